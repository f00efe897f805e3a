# Copyright: (c) 2026, lvmkube.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The role lvmkube.cluster.swap (tag swap_fstab) on a scratch fstab: check mode, diff, backup, idempotence.

The VM scenario extensions/molecule/node_prep proves the whole role on real machines; this test pins
the fstab rewrite, which is the part that must never lose a line.
"""

from __future__ import annotations

import pytest
from helpers.systemctl_double import SystemctlDouble
from node_prep_helpers import run_playbook, stats, task_results

pytestmark = pytest.mark.slow

FSTAB = """\
# /etc/fstab: static file system information.
UUID=0a1b-2c3d / ext4 rw,discard,errors=remount-ro 0 1
UUID=5f2e8a0c-1111-4c4c-9f9f-0123456789ab none swap sw 0 0
#/dev/vda2 none swap sw 0 0
\t/swapfile\tnone\tswap\tdefaults,pri=5\t0 0
LABEL=myswap none swap sw
/dev/vdc1 /srv/swapdata ext4 defaults 0 2
/srv/swap.img /srv/x auto defaults 0 0
"""

SWAP_LINES = [
    "UUID=5f2e8a0c-1111-4c4c-9f9f-0123456789ab none swap sw 0 0",
    "\t/swapfile\tnone\tswap\tdefaults,pri=5\t0 0",
    "LABEL=myswap none swap sw",
]

PLAYBOOK = """
- name: Swap role on a scratch fstab
  hosts: localhost
  gather_facts: false
  roles:
    - role: lvmkube.cluster.swap
      swap_fstab_path: "{{ fstab }}"
"""

TASK = "lvmkube.cluster.swap : Comment out the swap lines of fstab (a backup is kept)"


def test_swap_role_comments_fstab_swap_lines_with_backup(tmp_path, monkeypatch):
    # No systemd here: swap_info's systemctl reads go to the TEST DOUBLE (a failed read would fail the role).
    SystemctlDouble(tmp_path, monkeypatch, {})
    fstab = tmp_path / "etc" / "fstab"
    fstab.parent.mkdir()
    fstab.write_text(FSTAB)
    playbook = tmp_path / "swap.yml"
    playbook.write_text(PLAYBOOK)
    common = ("--tags", "swap_fstab", "-e", f"fstab={fstab}")

    _rc, out = run_playbook(playbook, *common, "--check", "--diff")
    (check,) = task_results(out, TASK)
    assert check["changed"] is True
    assert fstab.read_text() == FSTAB, "check mode must not touch the file"
    assert sorted(p.name for p in fstab.parent.iterdir()) == ["fstab"], "check mode must not write a backup"
    diffs = check["diff"] if isinstance(check["diff"], list) else [check["diff"]]
    diff_text = "".join(item.get("after", "") for item in diffs)
    assert "# UUID=5f2e8a0c-1111-4c4c-9f9f-0123456789ab none swap sw 0 0" in diff_text

    _rc, out = run_playbook(playbook, *common, "--diff")
    (applied,) = task_results(out, TASK)
    assert applied["changed"] is True
    lines = fstab.read_text().splitlines()
    original = FSTAB.splitlines()
    assert len(lines) == len(original), "no line may be deleted"
    for before, after in zip(original, lines, strict=True):
        if before in SWAP_LINES:
            assert after.startswith("# ")
            assert before in after
            assert after.endswith("# disabled by lvmkube.cluster.swap")
        else:
            assert after == before, "non-swap lines (comments, other file systems) stay as they were"
    backups = [p for p in fstab.parent.iterdir() if p.name != "fstab"]
    assert len(backups) == 1
    assert backups[0].name.startswith("fstab.")
    assert backups[0].read_text() == FSTAB

    _rc, out = run_playbook(playbook, *common)
    assert stats(out)["changed"] == 0
    assert len(list(fstab.parent.iterdir())) == 2, "an unchanged file gets no new backup"


@pytest.mark.parametrize("value", ["high", "300"])
def test_swap_role_rejects_bad_swappiness_before_changing_anything(tmp_path, value):
    fstab = tmp_path / "fstab"
    fstab.write_text(FSTAB)
    playbook = tmp_path / "swap.yml"
    playbook.write_text(PLAYBOOK)
    rc, out = run_playbook(playbook, "-e", f"fstab={fstab}", "-e", f"swap_swappiness={value}", check=False)
    assert rc != 0
    failed = [
        result
        for play in out["plays"]
        for task in play["tasks"]
        for result in task["hosts"].values()
        if result.get("failed")
    ]
    assert len(failed) == 1
    assert "swap_swappiness" in failed[0]["msg"]
    assert fstab.read_text() == FSTAB
    assert sorted(p.name for p in tmp_path.iterdir()) == ["fstab", "swap.yml"]
