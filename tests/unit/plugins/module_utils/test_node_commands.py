# Copyright: (c) 2026, lvmkube.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A failed read is never "nothing there": the read modules retry a command that failed (systemd's D-Bus
timeouts pass) a bounded number of times, then fail naming the command and its error.

swap_info and node_state_info ask tests/doubles/systemctl/systemctl_double.py (a TEST DOUBLE: no systemd
here) through a ``systemctl`` wrapper first on PATH; it times out once (the retry answers) or always (the
task fails). lvm_device_check's LVM tools are replaced by a flaky run_command (no LVM tools here either)."""

from __future__ import annotations

import pytest
from helpers.systemctl_double import SystemctlDouble

from ansible_collections.lvmkube.cluster.plugins.module_utils import node_commands
from ansible_collections.lvmkube.cluster.plugins.module_utils.node_commands import NodeCommandError, run_read
from ansible_collections.lvmkube.cluster.plugins.modules import (
    lvm_device_check,
    node_state_info,
    swap_info,
    systemd_mask,
)

TIMEOUT = "Failed to list unit files: Connection timed out"


class Flaky:
    """A run_command that fails ``failures`` times (-1: always) with systemctl's D-Bus timeout, then answers."""

    def __init__(self, failures, answer=(0, "ok\n", "")):
        self.failures, self.answer, self.calls = failures, answer, []

    def __call__(self, args, **kwargs):
        self.calls.append((list(args), kwargs))
        if self.failures == -1 or len(self.calls) <= self.failures:
            return 1, "", TIMEOUT + "\n"
        return self.answer


def test_run_read_retries_a_timeout_and_answers():
    run, slept = Flaky(1), []
    assert run_read(run, ["systemctl", "list-unit-files"], sleep=slept.append, delay=2) == (0, "ok\n", "")
    assert len(run.calls) == 2 and slept == [2]


def test_run_read_fails_after_the_bounded_attempts_naming_command_and_error():
    run, slept = Flaky(-1), []
    with pytest.raises(NodeCommandError) as info:
        run_read(run, ["systemctl", "list-unit-files"], sleep=slept.append, delay=2)
    assert len(run.calls) == node_commands.ATTEMPTS == 3 and slept == [2, 4]
    assert str(info.value) == f"systemctl list-unit-files failed 3 times (last rc 1): {TIMEOUT}"


def test_run_read_takes_other_exit_codes_as_answers_and_passes_options():
    run = Flaky(0, answer=(2, "", ""))
    assert run_read(run, ["blkid"], ok_rcs=(0, 2), environ_update={"LC_ALL": "C"})[0] == 2
    assert run.calls == [(["blkid"], {"environ_update": {"LC_ALL": "C"}})]


@pytest.fixture
def systemctl(tmp_path, monkeypatch):
    monkeypatch.setattr(node_commands, "DELAY_SECONDS", 0)
    units = {"dev-vdb1.swap": "generated", "swap.target": "masked", "lvmd.service": "enabled"}
    return SystemctlDouble(tmp_path, monkeypatch, units)


@pytest.fixture
def swap_files(tmp_path):
    (tmp_path / "fstab").write_text("/swapfile none swap sw 0 0\n")
    (tmp_path / "swaps").write_text("Filename Type Size Used Priority\n")
    return {"fstab": str(tmp_path / "fstab"), "proc_swaps": str(tmp_path / "swaps")}


def test_swap_info_retries_a_list_unit_files_that_timed_out_once(run_module, systemctl, swap_files):
    systemctl.timeouts("list-unit-files=1")
    result = run_module(swap_info, **swap_files)
    assert result["rc"] == 0, result
    assert result["units"] == {"dev-vdb1.swap": "generated"} and result["masked_units"] == ["swap.target"]
    assert "dev-vdb1.swap" in result["units_to_mask"] and "systemctl" not in str(result.get("warnings"))
    assert [c for c in systemctl.calls() if c[0] == "list-unit-files"] == [
        ("list-unit-files", "timeout"),
        ("list-unit-files", "answer"),
    ]


@pytest.mark.parametrize("verb", ["list-unit-files", "list-units"])
def test_swap_info_fails_when_systemctl_never_answers(run_module, systemctl, swap_files, verb):
    systemctl.timeouts(f"{verb}=always")
    result = run_module(swap_info, **swap_files)
    assert result["rc"] == 1 and result["failed"] is True
    assert f"systemctl {verb}" in result["msg"] and "Connection timed out" in result["msg"], result["msg"]
    assert "failed 3 times" in result["msg"] and result["attempts"] == 3
    assert "units" not in result and "units_to_mask" not in result  # no empty answer next to the failure
    assert [c for c in systemctl.calls() if c[0] == verb] == [(verb, "timeout")] * 3


def test_node_state_info_retries_systemctl_show(run_module, systemctl):
    systemctl.timeouts("show=1")
    result = run_module(node_state_info, services=["lvmd.service"])
    assert result["rc"] == 0, result
    assert result["services"]["lvmd.service"]["UnitFileState"] == "enabled"
    assert systemctl.calls() == [("show", "timeout"), ("show", "answer")]


def test_node_state_info_fails_when_systemctl_show_never_answers(run_module, systemctl):
    systemctl.timeouts("show=always")
    result = run_module(node_state_info, services=["lvmd.service"])
    assert (
        result["rc"] == 1
        and "systemctl show --property=LoadState,UnitFileState,ActiveState lvmd.service" in (result["msg"])
    )
    assert "Connection timed out" in result["msg"] and "services_to_start" not in result


class FakeModule:
    """What lvm_device_check's Inspector uses of AnsibleModule, with a flaky run_command."""

    def __init__(self, run_command):
        self.run_command = run_command
        self.failed = None

    def get_bin_path(self, name, required=False):
        return f"/sbin/{name}"

    def fail_json(self, **kwargs):
        self.failed = kwargs
        raise SystemExit(1)


def test_lvm_device_check_retries_vgs_and_reads_its_answer(monkeypatch):
    monkeypatch.setattr(node_commands, "DELAY_SECONDS", 0)
    report = '{"report": [{"vg": [{"vg_name": "myvg1", "vg_size": "1020.00", "vg_extent_size": "4.00"}]}]}'
    module = FakeModule(Flaky(2, answer=(0, report, "")))
    assert lvm_device_check.Inspector(module).vg_rows() == {"myvg1": {"vg_size": 1020.0, "vg_extent_size": 4.0}}
    assert len(module.run_command.calls) == 3
    assert module.run_command.calls[0][1] == {"environ_update": {"LC_ALL": "C", "LANG": "C"}}


def test_lvm_device_check_fails_when_pvs_never_answers(monkeypatch):
    monkeypatch.setattr(node_commands, "DELAY_SECONDS", 0)
    module = FakeModule(Flaky(-1))
    with pytest.raises(SystemExit):
        lvm_device_check.Inspector(module).pv_rows()
    assert module.failed["msg"].startswith("/sbin/pvs --reportformat json") and TIMEOUT in module.failed["msg"]
    assert module.failed["rc"] == 1 and len(module.run_command.calls) == 3


def test_systemd_mask_retries_its_read_of_the_masked_units(run_module, systemctl):
    systemctl.timeouts("list-unit-files=1")
    result = run_module(systemd_mask, units=["swap.target", "dev-vdb1.swap"], _ansible_check_mode=True)
    assert result["rc"] == 0 and result["changed_units"] == ["dev-vdb1.swap"]  # swap.target is masked already
    assert systemctl.calls() == [("list-unit-files", "timeout"), ("list-unit-files", "answer")]


def test_systemd_mask_fails_when_its_read_never_answers(run_module, systemctl):
    systemctl.timeouts("list-unit-files=always")
    result = run_module(systemd_mask, units=["swap.target"], _ansible_check_mode=True)
    assert result["rc"] == 1 and "list-unit-files" in result["msg"] and "Connection timed out" in result["msg"]
    assert "changed_units" not in result
