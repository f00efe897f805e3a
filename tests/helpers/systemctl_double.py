# Copyright: (c) 2026, lvmkube.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Put the TEST DOUBLE tests/doubles/systemctl/systemctl_double.py first on PATH as ``systemctl``.

Used by the unit tests of the read modules (in-process) and by integration tests (ansible-playbook inherits
the environment). No systemd runs here; the molecule scenario node_prep runs the same double in front of the
real systemctl on a VM.
"""

from __future__ import annotations

import os
from pathlib import Path

from helpers.shims import python_shim

DOUBLE = Path(__file__).resolve().parents[1] / "doubles" / "systemctl" / "systemctl_double.py"


class SystemctlDouble:
    def __init__(self, tmp_path, monkeypatch, units):
        bin_dir = tmp_path / "systemctl-double-bin"
        bin_dir.mkdir()
        python_shim(bin_dir, "systemctl", DOUBLE)
        units_file = tmp_path / "systemctl-double-units"
        units_file.write_text("".join(f"{name} {state}\n" for name, state in units.items()))
        self.state = tmp_path / "systemctl-double-state"
        self._monkeypatch = monkeypatch
        monkeypatch.setenv("PATH", f"{bin_dir}:{os.environ.get('PATH', '/usr/bin:/bin')}")
        monkeypatch.setenv("LVMKUBE_SYSTEMCTL_DOUBLE_UNITS", str(units_file))
        monkeypatch.setenv("LVMKUBE_SYSTEMCTL_DOUBLE_STATE", str(self.state))
        monkeypatch.delenv("LVMKUBE_SYSTEMCTL_DOUBLE_TIMEOUTS", raising=False)

    def timeouts(self, value):
        """``<verb>=<n>`` or ``<verb>=always`` (see the double)."""
        self._monkeypatch.setenv("LVMKUBE_SYSTEMCTL_DOUBLE_TIMEOUTS", value)

    def calls(self):
        """``[(verb, "timeout" | "answer"), ...]`` in call order."""
        log = self.state / "calls.log"
        lines = log.read_text().splitlines() if log.exists() else []
        return [(line.split("\t")[0], line.split("\t")[2]) for line in lines]
