# Copyright: (c) 2026, lvmkube.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Device class lists shared by the unit tests of the device class filters and of plugin_utils/storage."""

from __future__ import annotations

import copy

ISSUE_EXAMPLE = [
    {
        "name": "ssd",
        "volume_group": "myvg1",
        "devices": ["/dev/disk/by-id/virtio-data1"],
        "default": True,
        "spare_gb": 10,
    },
    {
        "name": "thin",
        "volume_group": "myvg2",
        "devices": ["/dev/vdc"],
        "thin_pool": {"name": "pool0", "overprovision_ratio": 5.0, "size_percent": 90},
        "lvcreate_options": [],
    },
]

EXPECTED_LVMD_YAML = """\
socket-name: /run/topolvm/lvmd.sock
device-classes:
  - name: ssd
    volume-group: myvg1
    default: true
    spare-gb: 10
  - name: thin
    volume-group: myvg2
    default: false
    type: thin
    thin-pool:
      name: pool0
      overprovision-ratio: 5.0
"""


def classes(*changes):
    """The issue's example with per-class changes applied (None removes a key)."""
    result = copy.deepcopy(ISSUE_EXAMPLE)
    for index, change in changes:
        for key, value in change.items():
            if value is None:
                result[index].pop(key, None)
            else:
                result[index][key] = value
    return result
