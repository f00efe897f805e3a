# Copyright: (c) 2026, lvmkube.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""RKE2's config.yaml + config.yaml.d merge, as k3s' pkg/configfilearg does it, and drop-in rendering."""

from __future__ import annotations

import pytest
import yaml

from ansible_collections.lvmkube.cluster.plugins.module_utils import rke2_config as rc

# 50-rancher.yaml as Rancher's system-agent writes it for a server (keys as in Rancher's planner, values made up)
RANCHER_50 = """{
  "cni": "calico",
  "kube-scheduler-arg": ["v=2"],
  "kubelet-arg": ["max-pods=110"],
  "token": "K10abc::server:def"
}
"""


def test_drop_in_order_is_byte_order_and_only_yaml_names():
    names = ["90-z.yml", "50-rancher.yaml", "README", "60-a.YAML", "10-b.yaml.bak", "A.yaml", "05.yaml"]
    assert rc.dropin_order(names) == ["05.yaml", "50-rancher.yaml", "60-a.YAML", "90-z.yml", "A.yaml"]
    assert rc.sorts_after("60-lvmkube.yaml", "50-rancher.yaml")
    assert not rc.sorts_after("40-x.yaml", "50-rancher.yaml")
    assert rc.dropin_dir("/etc/rancher/rke2/config.yaml/") == "/etc/rancher/rke2/config.yaml.d"


def test_later_file_replaces_and_plus_appends():
    values, origins = rc.merge_configs(
        [
            ("config.yaml", {"kubelet-arg": ["a=1"], "cni": "canal", "kube-scheduler-arg": "v=1"}),
            ("50-rancher.yaml", {"kubelet-arg": ["b=2"], "cni": "calico"}),
            ("60-ours.yaml", {"kubelet-arg+": ["c=3"], "kube-scheduler-arg+": "config=/x"}),
        ]
    )
    assert values == {"kubelet-arg": ["b=2", "c=3"], "cni": "calico", "kube-scheduler-arg": ["v=1", "config=/x"]}
    assert origins["kubelet-arg"] == ["50-rancher.yaml", "60-ours.yaml+"]
    assert list(values) == ["kubelet-arg", "cni", "kube-scheduler-arg"]  # first-seen order


def test_plus_without_earlier_value_sets_and_plain_after_plus_replaces():
    values, _ = rc.merge_configs([("a", {"node-label+": "x=1"}), ("b", {"tls-san+": ["n"]})])
    assert values == {"node-label": "x=1", "tls-san": ["n"]}
    values, _ = rc.merge_configs(
        [("a", {"node-label": ["x"]}), ("b", {"node-label+": ["y"]}), ("c", {"node-label": []})]
    )
    assert values == {"node-label": []}


def test_to_list_follows_k3s_to_slice():
    assert rc.to_list("a") == ["a"]
    assert rc.to_list(["a", 1]) == ["a", 1]
    assert rc.to_list(True) == ["true"]
    assert rc.to_list(None) == []
    assert rc.to_list(5) == ["5"]


def test_effective_config_reads_json_style_rancher_file_and_empty_files():
    values, _ = rc.effective_config(
        [
            ("/c/config.yaml", ""),
            ("/c/config.yaml.d/50-rancher.yaml", RANCHER_50),
            ("/c/config.yaml.d/60-l.yaml", "kube-scheduler-arg+:\n- config=/etc/s.yaml\n"),
        ]
    )
    assert values["kube-scheduler-arg"] == ["v=2", "config=/etc/s.yaml"]
    assert values["cni"] == "calico"


@pytest.mark.parametrize("text", ["- a\n- b\n", "a: [b\n", "just a string\n"])
def test_bad_file_is_refused_naming_it(text):
    with pytest.raises(rc.Rke2ConfigError, match=r"/c/config\.yaml"):
        rc.effective_config([("/c/config.yaml", text)])


def test_read_config_texts_on_disk_with_replacement(tmp_path):
    config = tmp_path / "config.yaml"
    config.write_text("cni: canal\n")
    dropins = tmp_path / "config.yaml.d"
    dropins.mkdir()
    (dropins / "50-rancher.yaml").write_text(RANCHER_50)
    (dropins / "notes.txt").write_text("cni: none\n")
    (dropins / "sub.yaml").mkdir()  # directories are skipped like RKE2 does
    (dropins / "70-gone.yaml").write_text("cni: cilium\n")
    new = str(dropins / "60-new.yaml")
    texts = rc.read_config_texts(str(config), replace={new: "cni+: x\n", str(dropins / "70-gone.yaml"): None})
    assert [p for p, _ in texts] == [str(config), str(dropins / "50-rancher.yaml"), new]
    values, _ = rc.effective_config(texts)
    assert values["cni"] == ["calico", "x"]
    assert rc.read_config_texts(str(tmp_path / "none.yaml")) == []


def test_overridden_keys_names_later_replacing_file():
    texts = [
        ("/d/60-ours.yaml", "cloud-provider-name: external\nkubelet-arg+: [a]\n"),
        ("/d/70-late.yaml", "cloud-provider-name: aws\nkubelet-arg+: [b]\n"),
    ]
    settings = {"cloud-provider-name": "external", "kubelet-arg+": ["a"]}
    assert rc.overridden_keys(texts, "/d/60-ours.yaml", settings) == {"cloud-provider-name": "/d/70-late.yaml"}
    assert rc.overridden_keys(texts, "/d/70-late.yaml", settings) == {}


def test_render_dropin_keeps_order_and_round_trips():
    settings = {"kube-scheduler-arg+": ["config=/etc/k/s.yaml"], "cloud-provider-name": "external", "debug": True}
    text = rc.render_dropin(settings, header="line one\nline two")
    assert text.startswith("# line one\n# line two\n")
    assert list(yaml.safe_load(text)) == list(settings)
    assert yaml.safe_load(text) == settings
    assert rc.render_dropin(settings, header="") == yaml.safe_dump(settings, sort_keys=False)


@pytest.mark.parametrize(
    "settings",
    [{}, {"a": {"nested": 1}}, {"a": [[1]]}, {"--kubelet-arg": "x"}, {"a b": 1}, {"a": 1, "a+": 2}, {"+": 1}, None],
)
def test_render_dropin_refuses_what_rke2_cannot_read(settings):
    with pytest.raises(rc.Rke2ConfigError):
        rc.render_dropin(settings)
