# Copyright: (c) 2026, lvmkube.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The whole lvmd role on localhost where systemd is not available (systemctl is a TEST DOUBLE that answers
"not-found" for the lvmd unit, as systemd does for a unit it does not know): check mode with --diff shows the exact
lvmd.yaml and unit it would write (current and pre-0.5 lvmd) and writes nothing; lvmd_managed_by_topolvm
removes what a host install left. The VM scenario extensions/molecule/storage runs the service for real."""

from __future__ import annotations

import uuid

import pytest
from helpers.systemctl_double import SystemctlDouble
from lvmd_helpers import DOUBLE, play_dir, run_play

from ansible_collections.lvmkube.cluster.plugins.filter.device_classes import lvmd_config

pytestmark = pytest.mark.slow

PLAYBOOK = """
- name: The lvmd role
  hosts: localhost
  gather_facts: false
  roles:
    - role: lvmkube.cluster.lvmd
"""
CLASSES = [
    {"name": "ssd", "volume_group": "myvg1", "devices": ["/dev/vdb"], "default": True, "spare_gb": 10},
    {"name": "thin", "volume_group": "myvg2", "thin_pool": {"name": "pool0", "overprovision_ratio": 5.0}},
]


@pytest.fixture(autouse=True)
def systemctl(tmp_path, monkeypatch):
    # A failed systemctl read fails the role: without systemd here, the double answers instead.
    return SystemctlDouble(tmp_path, monkeypatch, {})


@pytest.fixture
def prefix():
    with play_dir(PLAYBOOK) as path:
        yield path


def run(prefix, *args, **variables):
    values = {
        "lvmkube_device_classes": CLASSES,
        "lvmd_install_method": "controller_file",
        "lvmd_controller_file": str(DOUBLE),
        "lvmd_install_path": str(prefix / "sbin" / "lvmd"),
        "lvmd_config_path": str(prefix / "etc" / "lvmd.yaml"),
        # a unit name that cannot exist on the test machine
        "lvmd_service_name": f"lvmd-functest-{uuid.uuid4().hex[:8]}",
    }
    values.update(variables)
    return run_play(prefix, values, *args)


def result_of(output, suffix):
    for play in output["plays"]:
        for task in play["tasks"]:
            if task["task"]["name"].endswith(suffix):
                return task["hosts"]["localhost"]
    raise AssertionError(f"task {suffix!r} did not run")


CONVERGE = "Write lvmd.yaml and the systemd unit, enable and start lvmd (restarted when its binary or files changed)"


def written(output, path):
    """The copy result node_converge gave for path, or None when it found nothing to write there."""
    return result_of(output, CONVERGE)["files"].get(str(path))


def after(result):
    diff = result["diff"]
    return (diff[0] if isinstance(diff, list) else diff)["after"]


def unit_path(output):
    return next(path for path in result_of(output, CONVERGE)["state"]["files"] if path.endswith(".service"))


def test_check_mode_shows_config_and_unit_and_writes_nothing(prefix):
    rc, output, text = run(prefix, "--check", "--diff")
    assert rc == 0, text
    config = written(output, prefix / "etc" / "lvmd.yaml")
    assert config["changed"] is True
    assert after(config) == lvmd_config(CLASSES)
    unit = after(written(output, unit_path(output)))
    lines = unit.splitlines()
    assert f"ExecStart={prefix}/sbin/lvmd --config={prefix}/etc/lvmd.yaml" in lines
    assert "ExecStartPre=/bin/mkdir -p /run/topolvm" in lines
    assert "Wants=lvm2-monitor.service" in lines and "After=lvm2-monitor.service" in lines
    assert "Restart=on-failure" in lines
    assert not (prefix / "sbin").exists()
    assert not (prefix / "etc").exists()


def test_files_already_in_place_are_not_written_again(prefix):
    binary, config = prefix / "sbin" / "lvmd", prefix / "etc" / "lvmd.yaml"
    binary.parent.mkdir()
    config.parent.mkdir()
    binary.write_bytes(DOUBLE.read_bytes())
    binary.chmod(0o755)
    config.write_text(lvmd_config(CLASSES), encoding="utf-8")
    config.chmod(0o644)
    rc, output, text = run(prefix, "--check", "--diff")
    assert rc == 0, text
    read = result_of(output, "Read the volume groups, the service, lvmd's paths, its configuration and its unit")
    unit = f"/etc/systemd/system/{read['services'].popitem()[0]}.service"
    assert read["files_to_write"] == []  # the binary is in place; lvmd.yaml and the unit are node_converge's
    assert result_of(output, CONVERGE)["state"]["files_to_write"] == [unit]
    assert result_of(output, CONVERGE)["module_calls"] == ["ansible.legacy.copy"]  # the unit; the read is reused
    assert result_of(output, "Copy the binary from the controller").get("skipped") is True
    assert written(output, config) is None

    binary.write_bytes(b"#!/bin/sh\n# another lvmd\n")
    config.chmod(0o600)
    rc, output, text = run(prefix, "--check", "--diff")
    assert rc == 0, text
    assert result_of(output, "Copy the binary from the controller")["changed"] is True
    assert written(output, config)["changed"] is True
    assert binary.read_bytes() == b"#!/bin/sh\n# another lvmd\n"  # check mode: nothing written
    assert config.stat().st_mode & 0o777 == 0o600


def test_before_0_5_flags_replace_the_config_file(prefix):
    rc, output, text = run(
        prefix, "--check", "--diff", lvmd_version="0.2.2", lvmkube_device_classes=CLASSES[:1], lvmd_extra_args=["-v"]
    )
    assert rc == 0, text
    unit = after(written(output, unit_path(output)))
    expected = f"ExecStart={prefix}/sbin/lvmd --volume-group=myvg1 --listen=/run/topolvm/lvmd.sock --spare=10 -v"
    assert expected in unit.splitlines()
    assert list(result_of(output, CONVERGE)["state"]["files"]) == [unit_path(output)]  # no lvmd.yaml


def test_before_0_5_one_device_class_only(prefix):
    rc, _output, text = run(prefix, "--check", lvmd_version="0.4.0")
    assert rc != 0
    assert "lvmd before 0.5.0 serves one volume group only, but 2 device classes are given" in text


def test_invalid_device_classes_fail_before_anything(prefix):
    bad = [dict(CLASSES[0]), dict(CLASSES[1], default=True)]
    rc, _output, text = run(prefix, lvmkube_device_classes=bad)
    assert rc != 0
    assert "exactly one device class must have default: true (found 2: ssd, thin)" in text
    assert not (prefix / "sbin").exists()


def test_managed_by_topolvm_removes_the_host_install(prefix):
    (prefix / "sbin").mkdir()
    (prefix / "etc").mkdir()
    (prefix / "sbin" / "lvmd").write_bytes(DOUBLE.read_bytes())
    (prefix / "etc" / "lvmd.yaml").write_text(lvmd_config(CLASSES), encoding="utf-8")
    rc, output, text = run(prefix, "--check", lvmd_managed_by_topolvm=True)
    assert rc == 0, text
    assert (prefix / "sbin" / "lvmd").exists(), "check mode must not remove anything"
    rc, output, text = run(prefix, lvmd_managed_by_topolvm=True)
    assert rc == 0, text
    assert output["stats"]["localhost"]["changed"] > 0
    assert not (prefix / "sbin" / "lvmd").exists()
    assert not (prefix / "etc" / "lvmd.yaml").exists()
    rc, output, text = run(prefix, lvmd_managed_by_topolvm=True)
    assert rc == 0, text
    assert output["stats"]["localhost"]["changed"] == 0
