# Copyright: (c) 2026, lvmkube.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""module_utils/kube_scheduler/base.py: Backend.render, the file with each distribution's kubeconfig."""

from __future__ import annotations

import json

import pytest
import yaml
from helpers.kube_scheduler import CONFIG_DIR, render

URL = "http://127.0.0.1:9251"


@pytest.mark.parametrize(
    ("distribution", "kubeconfig"),
    [
        ("kubeadm", "/etc/kubernetes/scheduler.conf"),
        ("rke1", "/etc/kubernetes/ssl/kubecfg-kube-scheduler.yaml"),
        ("rancher", "/etc/kubernetes/ssl/kubecfg-kube-scheduler.yaml"),
        ("rke2", "/var/lib/rancher/rke2/server/cred/scheduler.kubeconfig"),
    ],
)
@pytest.mark.parametrize("version", ["1.16", "1.30"])
def test_kubeconfig_per_distribution(distribution, kubeconfig, version):
    _api, files = render(version, distribution, URL, 1, "topolvm.io/capacity", CONFIG_DIR)
    assert yaml.safe_load(files["scheduler-config.yaml"])["clientConnection"]["kubeconfig"] == kubeconfig


def test_kubeconfig_override_and_https_service_url():
    _api, files = render(
        "1.30",
        "kubeadm",
        "https://topolvm-scheduler.topolvm-system.svc:9251",
        1,
        "topolvm.io/capacity",
        CONFIG_DIR + "/",
        kubeconfig="/x/kc",
    )
    config = yaml.safe_load(files["scheduler-config.yaml"])
    assert config["clientConnection"]["kubeconfig"] == "/x/kc"
    assert config["extenders"][0]["enableHTTPS"] is True
    _api, old = render("1.16", "kubeadm", "https://10.0.0.5:9251", 1, "topolvm.io/capacity", CONFIG_DIR)
    assert json.loads(old["scheduler-policy.cfg"])["extenders"][0]["enableHttps"] is True
