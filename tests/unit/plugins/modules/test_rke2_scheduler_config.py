# Copyright: (c) 2026, lvmkube.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""rke2_scheduler_config (RKE2 config.yaml and its config.yaml.d) on real files."""

from __future__ import annotations

from pathlib import Path

import yaml
from helpers.kube_scheduler import CONFIG_DIR, CONFIG_FILE, FIXTURES

from ansible_collections.lvmkube.cluster.plugins.module_utils.kube_scheduler import files as kube_scheduler_files
from ansible_collections.lvmkube.cluster.plugins.modules import rke2_scheduler_config

RANCHER_50 = '{"cni": "calico", "kube-scheduler-arg": ["v=2"], "token": "K10abc::server:def"}\n'


def rke2_layout(tmp_path, main_text):
    path = tmp_path / "config.yaml"
    path.write_text(main_text)
    path.chmod(0o600)
    dropins = tmp_path / "config.yaml.d"
    dropins.mkdir()
    (dropins / "50-rancher.yaml").write_text(RANCHER_50)
    args = {"path": str(path), "config_file": CONFIG_FILE, "config_dir": CONFIG_DIR, "backup_dir": str(tmp_path / "b")}
    return path, dropins, args


def test_rke2_old_config_yaml_edit_is_migrated_to_the_dropin(tmp_path, run_module):
    original = (FIXTURES / "rke2-config.yaml.txt").read_text()
    # what the module wrote into config.yaml before it used a drop-in
    old_edit = (
        original
        + "  - config="
        + CONFIG_FILE
        + "\nkube-scheduler-extra-mount:\n  - "
        + f"{CONFIG_DIR}:{CONFIG_DIR}:ro\n"
    )
    path, dropins, args = rke2_layout(tmp_path, old_edit)

    result = run_module(rke2_scheduler_config, _ansible_check_mode=True, _ansible_diff=True, **args)
    assert result["changed"] is True
    assert result["migrated"] is True
    assert [d["after_header"] for d in result["diff"]] == [str(path), str(dropins / "70-lvmkube-scheduler.yaml")]
    assert path.read_text() == old_edit
    assert not (dropins / "70-lvmkube-scheduler.yaml").exists()

    result = run_module(rke2_scheduler_config, **args)
    assert result["changed"] is True
    assert path.read_text() == original  # our old lines gone, comments and the rest byte for byte
    assert Path(result["backup_file"]).read_text() == old_edit
    dropin = dropins / "70-lvmkube-scheduler.yaml"
    assert yaml.safe_load(dropin.read_text()) == {
        "kube-scheduler-arg+": ["config=" + CONFIG_FILE],
        "kube-scheduler-extra-mount+": [f"{CONFIG_DIR}:{CONFIG_DIR}:ro"],
    }
    assert dropin.stat().st_mode & 0o777 == 0o600
    # Rancher's 50-rancher.yaml replaces config.yaml's list; ours appends after it
    assert result["scheduler_args"] == ["v=2", "config=" + CONFIG_FILE]
    assert result["base_config"] == ""

    assert run_module(rke2_scheduler_config, **args)["changed"] is False
    result = run_module(rke2_scheduler_config, state="absent", **args)
    assert result["changed"] is True
    assert not dropin.exists()
    assert path.read_text() == original
    assert run_module(rke2_scheduler_config, state="absent", **args)["changed"] is False


def test_rke2_users_own_config_is_reported_and_left_in_place(tmp_path, run_module):
    user = "/etc/rancher/rke2/scheduler.yaml"
    main_text = f"kube-scheduler-arg:\n- config={user}\n"
    path, dropins, args = rke2_layout(tmp_path, main_text)
    (dropins / "50-rancher.yaml").write_text('{"kube-scheduler-arg+": ["v=2"]}\n')
    result = run_module(rke2_scheduler_config, **args)
    assert result["base_config"] == user
    assert result["scheduler_args"] == [f"config={user}", "v=2", "config=" + CONFIG_FILE]  # ours is the last
    assert path.read_text() == main_text
    result = run_module(rke2_scheduler_config, _ansible_check_mode=True, state="absent", **args)
    assert result["base_config"] == user


def test_rke2_dropin_replaced_by_a_later_file_is_refused(tmp_path, run_module):
    _path, dropins, args = rke2_layout(tmp_path, "token: x\n")
    (dropins / "99-late.yaml").write_text("kube-scheduler-arg: [v=4]\n")
    result = run_module(rke2_scheduler_config, **args)
    assert result["failed"] is True
    assert "99-late.yaml replaces kube-scheduler-arg" in result["msg"]
    assert sorted(p.name for p in dropins.iterdir()) == ["50-rancher.yaml", "99-late.yaml"]
    result = run_module(rke2_scheduler_config, dropin_name="99-zz-lvmkube.yaml", **args)
    assert result["changed"] is True


def test_rke2_without_config_yaml_writes_only_the_dropin(tmp_path, run_module):
    path = tmp_path / "rke2" / "config.yaml"
    args = {"path": str(path), "config_file": CONFIG_FILE, "config_dir": CONFIG_DIR, "backup_dir": str(tmp_path / "b")}
    assert run_module(rke2_scheduler_config, state="absent", **args)["changed"] is False
    result = run_module(rke2_scheduler_config, **args)
    assert result["changed"] is True
    assert result["created"] is True
    assert not path.exists()
    assert (tmp_path / "rke2" / "config.yaml.d" / "70-lvmkube-scheduler.yaml").exists()


def test_rke2_pyyaml_fallback_migrates_too(tmp_path, run_module, monkeypatch):
    monkeypatch.setattr(kube_scheduler_files, "HAS_RUAMEL", False)
    plain = (FIXTURES / "rke2-config-plain.yaml.txt").read_text()
    path, _dropins, args = rke2_layout(tmp_path, plain + f"kube-scheduler-arg:\n- config={CONFIG_FILE}\n")
    result = run_module(rke2_scheduler_config, **args)
    assert result["changed"] is True
    assert result["migrated"] is True
    assert yaml.safe_load(path.read_text()) == yaml.safe_load(plain)


def test_rke2_unparseable_is_refused(tmp_path, run_module):
    for broken_name in ("config.yaml", "config.yaml.d/50-rancher.yaml"):
        base = tmp_path / broken_name.replace("/", "_")
        base.mkdir()
        _path, dropins, args = rke2_layout(base, "token: x\n")
        broken = "token: [x\n"
        (base / broken_name).write_text(broken)
        result = run_module(rke2_scheduler_config, **args)
        assert result["failed"] is True
        assert str(base / broken_name) in result["msg"]
        assert (base / broken_name).read_text() == broken
        assert not (tmp_path / "b").exists()
        assert sorted(p.name for p in dropins.iterdir()) == ["50-rancher.yaml"]


def test_k3s_dropin_in_a_temporary_root_reports_the_users_config_and_is_removed(tmp_path, run_module):
    # standalone K3s: /etc/rancher/k3s/config.yaml and config.yaml.d in a temporary root (no k3s binary exists here)
    etc = tmp_path / "etc" / "rancher" / "k3s"
    (etc / "config.yaml.d").mkdir(parents=True)
    main = etc / "config.yaml"
    main_text = "# K3s server\nwrite-kubeconfig-mode: '0644'\nkube-scheduler-arg:\n- config=/etc/user/sched.yaml\n"
    main.write_text(main_text)
    dropin = etc / "config.yaml.d" / "70-lvmkube-scheduler.yaml"
    args = {
        "distribution": "k3s",
        "path": str(main),
        "config_file": CONFIG_FILE,
        "config_dir": CONFIG_DIR,
        "backup_dir": str(tmp_path / "b"),
    }

    probe = run_module(rke2_scheduler_config, _ansible_check_mode=True, **args)
    assert probe["changed"] is True and probe["base_config"] == "/etc/user/sched.yaml"
    assert not dropin.exists()

    result = run_module(rke2_scheduler_config, **args)
    assert result["changed"] is True and result["created"] is True
    assert yaml.safe_load(dropin.read_text()) == {"kube-scheduler-arg+": [f"config={CONFIG_FILE}"]}  # no mount
    assert result["scheduler_args"] == ["config=/etc/user/sched.yaml", f"config={CONFIG_FILE}"]
    assert main.read_text() == main_text  # config.yaml untouched
    assert run_module(rke2_scheduler_config, **args)["changed"] is False

    # a later file replacing kube-scheduler-arg would undo ours: refused, nothing written
    later = etc / "config.yaml.d" / "90-user.yaml"
    later.write_text("kube-scheduler-arg: [v=4]\n")
    dropin_text = dropin.read_text()
    refused = run_module(rke2_scheduler_config, **args)
    assert refused.get("failed") is True and "90-user.yaml replaces kube-scheduler-arg" in refused["msg"]
    assert dropin.read_text() == dropin_text
    later.unlink()

    gone = run_module(rke2_scheduler_config, state="absent", **args)
    assert gone["changed"] is True and not dropin.exists()
    assert main.read_text() == main_text


def test_k3s_default_path_is_k3s_config_yaml(tmp_path, run_module):
    # without path the module edits the distribution's file (K3s: /etc/rancher/k3s/config.yaml); check mode only
    result = run_module(
        rke2_scheduler_config,
        _ansible_check_mode=True,
        distribution="k3s",
        config_file=CONFIG_FILE,
        config_dir=CONFIG_DIR,
        backup_dir=str(tmp_path / "b"),
    )
    assert result["dropin"] == "/etc/rancher/k3s/config.yaml.d/70-lvmkube-scheduler.yaml"
