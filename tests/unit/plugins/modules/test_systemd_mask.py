# Copyright: (c) 2026, lvmkube.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Tests of the systemd_mask module against a systemctl TEST DOUBLE (this host runs no systemd).

The double keeps unit file states in a file, answers ``list-unit-files`` from it as systemctl prints
it, and records every ``mask``/``unmask`` call. On real systemd the module runs in the node_prep
molecule scenario (swap role), whose verifier reads ``systemctl is-enabled`` of every unit.
"""

from __future__ import annotations

import json
import os
import stat

import pytest

from ansible_collections.lvmkube.cluster.plugins.modules import systemd_mask

DOUBLE = r"""#!/usr/bin/env python3
import json, os, sys
state_file = os.environ["SYSTEMCTL_DOUBLE_STATE"]
with open(state_file) as handle:
    state = json.load(handle)
args = sys.argv[1:]
if args[0] == "list-unit-files":
    for unit, unit_state in sorted(state["units"].items()):
        print(f"{unit} {unit_state} enabled")
    sys.exit(0)
if args[0] in ("mask", "unmask"):
    assert args[1] == "--", args
    state["calls"].append(args)
    for unit in args[2:]:
        if unit in state.get("refuse", []):
            print(f"Failed to mask unit: File /etc/systemd/system/{unit} already exists.", file=sys.stderr)
            sys.exit(1)
        state["units"][unit] = "masked" if args[0] == "mask" else "generated"
    with open(state_file, "w") as handle:
        json.dump(state, handle)
    sys.exit(0)
sys.exit(2)
"""


@pytest.fixture
def systemctl(tmp_path, monkeypatch):
    """The double on PATH; returns (read_state, write_state)."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    script = bin_dir / "systemctl"
    script.write_text(DOUBLE)
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    state_file = tmp_path / "state.json"
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    monkeypatch.setenv("SYSTEMCTL_DOUBLE_STATE", str(state_file))

    def write(units, refuse=()):
        state_file.write_text(json.dumps({"units": units, "calls": [], "refuse": list(refuse)}))

    def read():
        return json.loads(state_file.read_text())

    return read, write


def test_units_to_change_keeps_order_and_drops_duplicates():
    assert systemd_mask.units_to_change(["b.swap", "a.swap", "b.swap", "c.target"], ["a.swap"], True) == [
        "b.swap",
        "c.target",
    ]
    assert systemd_mask.units_to_change(["b.swap", "a.swap"], ["a.swap"], False) == ["a.swap"]


def test_masks_only_the_unmasked_units_in_one_call(run_module, systemctl):
    read, write = systemctl
    write({"dev-vdb1.swap": "generated", "swapfile.swap": "masked", "swap.target": "static"})
    units = ["dev-vdb1.swap", "swapfile.swap", "dev-disk-by\\x2duuid-1234.swap", "swap.target"]
    result = run_module(systemd_mask, units=units, _ansible_diff=True)
    assert result["changed"] is True
    assert result["changed_units"] == ["dev-vdb1.swap", "dev-disk-by\\x2duuid-1234.swap", "swap.target"]
    assert read()["calls"] == [["mask", "--", "dev-vdb1.swap", "dev-disk-by\\x2duuid-1234.swap", "swap.target"]]
    assert result["diff"]["before"].splitlines()[0] == "dev-vdb1.swap: not masked"
    assert result["diff"]["after"].splitlines()[-1] == "swap.target: masked"

    again = run_module(systemd_mask, units=units)
    assert again["changed"] is False
    assert again["changed_units"] == []
    assert len(read()["calls"]) == 1


def test_check_mode_reports_and_calls_nothing(run_module, systemctl):
    read, write = systemctl
    write({"dev-vdb1.swap": "generated"})
    result = run_module(systemd_mask, units=["dev-vdb1.swap"], _ansible_check_mode=True)
    assert result["changed"] is True
    assert result["changed_units"] == ["dev-vdb1.swap"]
    assert read()["calls"] == []
    assert read()["units"]["dev-vdb1.swap"] == "generated"


def test_runtime_mask_is_made_persistent_and_unmask(run_module, systemctl):
    read, write = systemctl
    write({"a.swap": "masked-runtime", "b.swap": "masked"})
    assert run_module(systemd_mask, units=["a.swap", "b.swap"])["changed_units"] == ["a.swap"]
    result = run_module(systemd_mask, units=["a.swap", "b.swap", "c.swap"], masked=False)
    assert result["changed_units"] == ["a.swap", "b.swap"]
    assert read()["calls"][-1] == ["unmask", "--", "a.swap", "b.swap"]


def test_refusal_of_systemctl_fails_with_its_message(run_module, systemctl):
    _read, write = systemctl
    write({}, refuse=["swapfile.swap"])
    result = run_module(systemd_mask, units=["swapfile.swap"])
    assert result["failed"] is True
    assert "already exists" in result["msg"]


@pytest.mark.parametrize("bad", ["-x.swap", "/etc/systemd/system/a.swap", "noext", ""])
def test_bad_names_fail_before_systemctl_runs(run_module, systemctl, bad):
    read, write = systemctl
    write({})
    result = run_module(systemd_mask, units=["ok.swap", bad])
    assert result["failed"] is True
    assert "not unit names" in result["msg"]
    assert read()["calls"] == []


def test_empty_list_does_nothing(run_module, systemctl):
    read, write = systemctl
    write({})
    assert run_module(systemd_mask, units=[])["changed"] is False
    assert read()["calls"] == []
