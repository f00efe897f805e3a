# Copyright: (c) 2026, lvmkube.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""module_utils/kube_scheduler/k3s.py: standalone K3s is the RKE2 backend with K3s' paths and no mount.

K3s reads its configuration with k3s-io/k3s pkg/configfilearg/parser.go (commit
f646604010affc6a1d3233a8a0870bca46bf80cf), the loader RKE2 embeds: ``readConfigFile`` loads config.yaml first, then
``dotDFiles`` - the regular files of ``config.yaml.d`` whose name ends in .yaml or .yml, any case
(``util.HasSuffixI``), in the order ``os.ReadDir`` returns (sorted by name); a key ending in ``+`` appends to the
value so far (``toSlice``: a string is one item), any other key replaces it. module_utils/rke2_config.py reads
files that way; these tests run it on a K3s layout in a temporary root.
"""

from __future__ import annotations

import yaml

from ansible_collections.lvmkube.cluster.plugins.module_utils import rke2_config
from ansible_collections.lvmkube.cluster.plugins.module_utils.kube_scheduler import k3s, registry, rke2

CONFIG_DIR = "/etc/kubernetes/scheduler"
CONFIG_FILE = CONFIG_DIR + "/scheduler-config.yaml"


def test_k3s_paths_service_and_kubeconfig():
    backend = registry.backend("k3s")
    assert backend is k3s.BACKEND
    assert isinstance(backend, rke2.Rke2Backend)  # the RKE2 backend's code, K3s' paths
    assert backend.config_path == "/etc/rancher/k3s/config.yaml"
    assert backend.kubeconfig == "/var/lib/rancher/k3s/server/cred/scheduler.kubeconfig"
    assert backend.service == "k3s"
    assert rke2.BACKEND.config_path == "/etc/rancher/rke2/config.yaml"  # RKE2 keeps its own


def test_k3s_renders_its_scheduler_kubeconfig():
    _api, files = k3s.BACKEND.render("v1.31.4+k3s1", "http://127.0.0.1:9251", 100, "topolvm.io/capacity", CONFIG_DIR)
    config = yaml.safe_load(files["scheduler-config.yaml"])
    assert config["clientConnection"]["kubeconfig"] == "/var/lib/rancher/k3s/server/cred/scheduler.kubeconfig"
    assert config["apiVersion"] == "kubescheduler.config.k8s.io/v1"


def test_k3s_dropin_appends_config_without_a_mount():
    # K3s runs kube-scheduler in its own process: no kube-scheduler-extra-mount (K3s has no such flag;
    # stripInvalidFlags in parser.go would skip it with a warning)
    assert k3s.BACKEND.dropin_settings(CONFIG_FILE, CONFIG_DIR) == {"kube-scheduler-arg+": [f"config={CONFIG_FILE}"]}
    assert rke2.BACKEND.dropin_settings(CONFIG_FILE, CONFIG_DIR) == {
        "kube-scheduler-arg+": [f"config={CONFIG_FILE}"],
        "kube-scheduler-extra-mount+": [f"{CONFIG_DIR}:{CONFIG_DIR}:ro"],
    }


def test_k3s_edit_of_config_yaml_never_adds_a_mount_but_takes_an_old_one_out():
    config = {"write-kubeconfig-mode": "0644", "kube-scheduler-arg": ["v=2"]}
    assert k3s.BACKEND.edit_config(config, True, CONFIG_FILE, CONFIG_DIR) is True
    assert config == {"write-kubeconfig-mode": "0644", "kube-scheduler-arg": ["v=2", f"config={CONFIG_FILE}"]}
    config["kube-scheduler-extra-mount"] = [f"{CONFIG_DIR}:{CONFIG_DIR}:ro"]
    assert k3s.BACKEND.edit_config(config, False, CONFIG_FILE, CONFIG_DIR) is True
    assert config == {"write-kubeconfig-mode": "0644", "kube-scheduler-arg": ["v=2"]}
    assert k3s.BACKEND.edit_config(config, False, CONFIG_FILE, CONFIG_DIR) is False


def test_k3s_files_are_read_in_the_loaders_order(tmp_path):
    # /etc/rancher/k3s in a temporary root: config.yaml, then the drop-ins by name, .yaml/.yml in any case
    etc = tmp_path / "etc" / "rancher" / "k3s"
    dropins = etc / "config.yaml.d"
    dropins.mkdir(parents=True)
    main = etc / "config.yaml"
    main.write_text("kube-scheduler-arg: v=2\ntls-san: [k3s.example]\n")
    (dropins / "10-user.YML").write_text("kube-scheduler-arg+: [config=/etc/user/scheduler.yaml]\n")
    (dropins / "20-notes.txt").write_text("kube-scheduler-arg: [ignored=1]\n")  # not .yaml/.yml: not read
    (dropins / "70-lvmkube-scheduler.yaml").write_text(
        yaml.safe_dump(k3s.BACKEND.dropin_settings(CONFIG_FILE, CONFIG_DIR))
    )
    texts = rke2_config.read_config_texts(str(main))
    assert [path.rsplit("/", 1)[-1] for path, _text in texts] == [
        "config.yaml",
        "10-user.YML",
        "70-lvmkube-scheduler.yaml",
    ]
    values, _origins = rke2_config.effective_config(texts)
    # toSlice made the single string a list; both + keys appended; ours is the last config=, the one in effect
    assert values["kube-scheduler-arg"] == ["v=2", "config=/etc/user/scheduler.yaml", f"config={CONFIG_FILE}"]
    assert "kube-scheduler-extra-mount" not in values
