# Copyright: (c) 2026, lvmkube.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The action lvmkube.cluster.node_converge on localhost, for real: templates rendered on the controller, one
read, the real modules (copy, ansible.posix.sysctl in check mode) only for what differs; a second run calls
nothing but the read. Services are run on VMs by the molecule scenarios (no systemd here)."""

from __future__ import annotations

import json
import pathlib

import pytest
from helpers.systemctl_double import SystemctlDouble
from node_prep_helpers import run_playbook, task_results

pytestmark = pytest.mark.slow

READ = "lvmkube.cluster.node_state_info"
PLAYBOOK = """
- name: node_converge on localhost
  hosts: localhost
  gather_facts: false
  tasks:
    - name: Converge
      lvmkube.cluster.node_converge: "{{ wanted }}"
      register: converged
"""


def converge(tmp_path, wanted, *args, check=True):
    play = tmp_path / "play.yml"
    play.write_text(PLAYBOOK, encoding="utf-8")
    extra = tmp_path / "vars.json"
    extra.write_text(json.dumps({"wanted": wanted, "who": "node_converge"}), encoding="utf-8")
    rc, output = run_playbook(play, "-e", f"@{extra}", *args, check=check)
    return rc, task_results(output, "Converge")[0]


@pytest.fixture
def files(tmp_path):
    template = tmp_path / "unit.j2"
    template.write_text("# {{ ansible_managed }}\n[Unit]\nDescription=written by {{ who }}\n", encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    return {
        "files": [
            {"path": str(out / "a.service"), "src": str(template), "mode": "0644"},
            {"path": str(out / "b.conf"), "content": "b = 1\n", "mode": "0600", "backup": True},
        ]
    }


def test_files_are_written_once_then_only_read(tmp_path, files):
    _rc, first = converge(tmp_path, files, "--diff")
    unit = pathlib.Path(files["files"][0]["path"])
    assert first["changed"] is True
    assert first["module_calls"] == [READ, "ansible.legacy.copy", "ansible.legacy.copy"]
    assert "Description=written by node_converge" in unit.read_text()
    assert oct(pathlib.Path(files["files"][1]["path"]).stat().st_mode & 0o777) == "0o600"
    assert [diff["after_header"] for diff in first["diff"]] == [item["path"] for item in files["files"]]
    _rc, second = converge(tmp_path, files)
    assert second["changed"] is False
    assert second["module_calls"] == [READ]
    assert second["files"] == {}
    pathlib.Path(files["files"][1]["path"]).write_text("b = 2\n", encoding="utf-8")
    _rc, third = converge(tmp_path, files)
    assert third["module_calls"] == [READ, "ansible.legacy.copy"]
    assert list(third["files"]) == [files["files"][1]["path"]]
    assert third["files"][files["files"][1]["path"]]["backup_file"]


def test_check_mode_writes_nothing_and_reports_the_unit_systemd_does_not_know(tmp_path, files, monkeypatch):
    SystemctlDouble(tmp_path, monkeypatch, {})  # no systemd here: the double answers "not-found"
    unit = files["files"][0]["path"]
    wanted = {
        **files,
        "services": [{"name": "lvmkube-converge-test.service", "enabled": True, "state": "started", "unit_file": unit}],
    }
    _rc, result = converge(tmp_path, wanted, "--check", "--diff")
    assert result["changed"] is True
    assert not pathlib.Path(unit).exists()
    assert result["module_calls"] == [READ, "ansible.legacy.copy", "ansible.legacy.copy"]
    assert result["services"]["lvmkube-converge-test.service"]["changed"] is True
    assert "does not know the unit yet" in result["services"]["lvmkube-converge-test.service"]["msg"]
    assert len(result["diff"]) == 2


def test_a_systemctl_timeout_is_retried_and_a_lasting_one_fails_with_nothing_written(tmp_path, files, monkeypatch):
    systemctl = SystemctlDouble(tmp_path, monkeypatch, {})
    unit = files["files"][0]["path"]
    wanted = {
        **files,
        "services": [{"name": "lvmkube-converge-test.service", "enabled": True, "state": "started", "unit_file": unit}],
    }
    systemctl.timeouts("show=1")
    _rc, once = converge(tmp_path, wanted, "--check")
    assert (
        once["module_calls"][0] == READ
        and "does not know the unit yet" in once["services"]["lvmkube-converge-test.service"]["msg"]
    )
    assert systemctl.calls() == [("show", "timeout"), ("show", "answer")]

    systemctl.timeouts("show=always")
    rc, always = converge(tmp_path, wanted, check=False)
    assert rc != 0 and always.get("failed") is True
    assert "failed 3 times" in always["msg"] and "Connection timed out" in always["msg"], always["msg"]
    assert (
        "systemctl show --property=LoadState,UnitFileState,ActiveState lvmkube-converge-test.service" in (always["msg"])
    )
    assert not pathlib.Path(unit).exists() and not pathlib.Path(files["files"][1]["path"]).exists()


def test_sysctls_agree_with_ansible_posix_sysctl_in_check_mode(tmp_path):
    running = pathlib.Path("/proc/sys/vm/swappiness").read_text().strip()
    sysctl_file = tmp_path / "90-test.conf"
    wanted = {"sysctls": {"vm.swappiness": running}, "sysctl_file": str(sysctl_file), "sysctl_set": False}
    _rc, missing = converge(tmp_path, wanted, "--check")
    assert missing["module_calls"] == [READ, "ansible.posix.sysctl"]
    assert missing["sysctls"][0]["name"] == "vm.swappiness"
    assert missing["sysctls"][0]["changed"] is True
    assert not sysctl_file.exists()
    sysctl_file.write_text(f"vm.swappiness={running}\n", encoding="utf-8")
    _rc, same = converge(tmp_path, wanted, "--check")
    assert same["module_calls"] == [READ]
    assert same["changed"] is False


def test_installed_packages_call_no_package_manager(tmp_path):
    _rc, result = converge(tmp_path, {"packages": ["dpkg"], "paths": [str(tmp_path)]})
    assert result["module_calls"] == [READ]
    assert result["state"]["paths"][str(tmp_path)]["type"] == "directory"
    assert result["packages"] is None


def test_nothing_wanted_calls_nothing(tmp_path):
    _rc, result = converge(tmp_path, {})
    assert result["module_calls"] == []
    assert result["changed"] is False


@pytest.mark.parametrize(
    ("wanted", "message"),
    [
        ({"files": [{"path": "/tmp/x", "src": "a.j2", "content": "x"}]}, "exactly one of src and content"),
        ({"sysctls": {"vm.swappiness": 1}}, "sysctl_file is required"),
        ({"files": [], "services": [{"name": "a", "enabled": True, "unit_file": "/etc/a"}]}, "not one of the files"),
        ({"services": [{"name": "a"}]}, "needs enabled, state or masked"),
    ],
)
def test_bad_wanted_state_is_refused_before_reading(tmp_path, wanted, message):
    rc, result = converge(tmp_path, wanted, check=False)
    assert rc != 0
    assert result["failed"] is True
    assert message in result["msg"]
    assert "module_calls" not in result
