# Copyright: (c) 2026, lvmkube.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""rke2_config_dropin on real files: check mode, diff, backup, idempotence, removal, refusals."""

from __future__ import annotations

from pathlib import Path

import yaml

from ansible_collections.lvmkube.cluster.plugins.modules import rke2_config_dropin

SETTINGS = {"cloud-provider-name": "external", "kubelet-arg+": ["cloud-provider=external"]}


def layout(tmp_path):
    config = tmp_path / "config.yaml"
    config.write_text("token: abc\nkubelet-arg:\n- max-pods=200\n")
    dropins = tmp_path / "config.yaml.d"
    dropins.mkdir()
    (dropins / "50-rancher.yaml").write_text('{"kubelet-arg": ["max-pods=110"], "cni": "calico"}\n')
    return config, dropins


def test_write_check_diff_backup_idempotent_and_remove(tmp_path, run_module):
    config, dropins = layout(tmp_path)
    backups = tmp_path / "b"
    args = {"config_dir": str(dropins), "name": "60-cloud.yaml", "settings": SETTINGS, "backup_dir": str(backups)}
    target = dropins / "60-cloud.yaml"

    result = run_module(rke2_config_dropin, _ansible_check_mode=True, _ansible_diff=True, **args)
    assert result["changed"] is True
    assert result["diff"]["before"] == ""
    assert "cloud-provider-name: external" in result["diff"]["after"]
    assert not target.exists()
    assert result["effective"]["kubelet-arg"] == ["max-pods=110", "cloud-provider=external"]

    result = run_module(rke2_config_dropin, **args)
    assert result["changed"] is True
    assert result["backup_file"] == ""
    assert yaml.safe_load(target.read_text()) == SETTINGS
    assert target.stat().st_mode & 0o777 == 0o600
    assert result["files"] == [str(config), str(dropins / "50-rancher.yaml"), str(target)]
    assert result["overridden"] == {}
    assert sorted(p.name for p in dropins.iterdir()) == ["50-rancher.yaml", "60-cloud.yaml"]  # no temp left

    assert run_module(rke2_config_dropin, **args)["changed"] is False

    changed = dict(args, settings={"cloud-provider-name": "external"})
    old = target.read_text()
    result = run_module(rke2_config_dropin, **changed)
    assert result["changed"] is True
    assert Path(result["backup_file"]).read_text() == old
    assert result["effective"]["kubelet-arg"] == ["max-pods=110"]

    result = run_module(rke2_config_dropin, _ansible_check_mode=True, path=str(target), state="absent")
    assert result["changed"] is True
    assert target.exists()
    last = target.read_text()
    result = run_module(rke2_config_dropin, path=str(target), state="absent", backup_dir=str(backups))
    assert result["changed"] is True
    assert not target.exists()
    assert Path(result["backup_file"]).read_text() == last
    assert run_module(rke2_config_dropin, path=str(target), state="absent")["changed"] is False


def test_mode_is_corrected_without_rewriting(tmp_path, run_module):
    _config, dropins = layout(tmp_path)
    args = {"path": str(dropins / "60-cloud.yaml"), "settings": SETTINGS, "backup_dir": str(tmp_path / "b")}
    run_module(rke2_config_dropin, **args)
    (dropins / "60-cloud.yaml").chmod(0o644)
    result = run_module(rke2_config_dropin, **args)
    assert result["changed"] is True
    assert result["backup_file"] == ""
    assert (dropins / "60-cloud.yaml").stat().st_mode & 0o777 == 0o600


def test_later_replacing_file_is_warned(tmp_path, run_module, monkeypatch):
    _config, dropins = layout(tmp_path)
    warned = []
    # where a warning ends up (result or controller display) depends on what else the test process imported
    monkeypatch.setattr(rke2_config_dropin.AnsibleModule, "warn", lambda self, msg: warned.append(msg))
    result = run_module(rke2_config_dropin, path=str(dropins / "40-early.yaml"), settings={"cni": "cilium"})
    assert result["overridden"] == {"cni": str(dropins / "50-rancher.yaml")}
    assert warned == [
        f"{dropins}/50-rancher.yaml sets cni after {dropins}/40-early.yaml, "
        "so the value written here does not take effect"
    ]
    assert result["effective"]["cni"] == "calico"


def test_directory_created_and_config_file_derived(tmp_path, run_module):
    dropins = tmp_path / "rke2" / "config.yaml.d"
    (tmp_path / "rke2").mkdir()
    (tmp_path / "rke2" / "config.yaml").write_text("kubelet-arg: [a=1]\n")
    result = run_module(rke2_config_dropin, config_dir=str(dropins), name="60-x.yml", settings={"kubelet-arg+": "b=2"})
    assert result["changed"] is True
    assert result["effective"]["kubelet-arg"] == ["a=1", "b=2"]
    assert oct(dropins.stat().st_mode & 0o777) == "0o755"


def test_refusals_change_nothing(tmp_path, run_module):
    config, dropins = layout(tmp_path)
    before = {p.name: p.read_text() for p in dropins.iterdir()}
    for args in (
        {"path": str(dropins / "60-x.conf"), "settings": SETTINGS},
        {"path": str(dropins / "60-x.yaml"), "settings": {"a": {"b": 1}}},
        {"path": str(dropins / "60-x.yaml"), "settings": SETTINGS, "mode": "rw"},
    ):
        result = run_module(rke2_config_dropin, **args)
        assert result["failed"] is True, args
    config.write_text("kubelet-arg: [oops\n")
    result = run_module(rke2_config_dropin, path=str(dropins / "60-x.yaml"), settings=SETTINGS)
    assert result["failed"] is True
    assert str(config) in result["msg"]
    assert {p.name: p.read_text() for p in dropins.iterdir()} == before
    result = run_module(rke2_config_dropin, path=str(dropins / "60-x.yaml"))
    assert result["failed"] is True  # settings required with state=present
