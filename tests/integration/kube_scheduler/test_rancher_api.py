# Copyright: (c) 2026, lvmkube.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The Rancher path against a local HTTP server on 127.0.0.1 that keeps a cluster object like /v3/clusters/<id>.

Proves: check mode sends only GETs and shows the diff, a real run sends one PUT whose body carries
extraArgs.config and the read-only extraBinds entry (everything else unchanged), a second run sends
no PUT, absent removes the settings again, and a bad token fails without a PUT.
"""

from __future__ import annotations

import copy
import json
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import playbook_helpers
import pytest
import yaml
from helpers.kube_scheduler import FIXTURES, role_play
from playbook_helpers import said

from .conftest import assert_second_run_unchanged, run_playbook

pytestmark = pytest.mark.slow

TOKEN = "token-abcde:secretsecret"
CONFIG_DIR_NAME = "scheduler"


class FakeRancher:
    def __init__(self):
        self.cluster = json.loads((FIXTURES / "rancher-cluster.json").read_text())
        self.requests = []
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def _auth_ok(self):
                return self.headers.get("Authorization") == f"Bearer {TOKEN}"

            def _send(self, status, body):
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self):
                owner.requests.append(("GET", self.path, None))
                if not self._auth_ok():
                    self._send(401, {"type": "error", "status": 401, "message": "must authenticate"})
                elif self.path == "/v3/clusters/c-abcde":
                    self._send(200, owner.cluster)
                else:
                    self._send(404, {"type": "error", "status": 404})

            def do_PUT(self):
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                owner.requests.append(("PUT", self.path, body))
                if not self._auth_ok():
                    self._send(401, {"type": "error", "status": 401})
                    return
                owner.cluster = body
                self._send(200, body)

            def log_message(self, format, *args):
                return

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def puts(self):
        return [r for r in self.requests if r[0] == "PUT"]


@pytest.fixture
def rancher():
    fake = FakeRancher()
    fake.thread.start()
    try:
        yield fake
    finally:
        fake.server.shutdown()
        fake.server.server_close()


PLAY = role_play(
    "kube_scheduler through the Rancher API",
    """\
        kube_scheduler_distribution: rancher-v3
        kube_scheduler_config_dir: {config_dir}
        kube_scheduler_rancher_url: {url}
        kube_scheduler_rancher_token: "{{{{ token | default('{token}') }}}}"
        kube_scheduler_rancher_cluster_id: c-abcde
""",
)


def test_rancher_check_mode_put_idempotence_absent(tmp_path, rancher):
    config_dir = tmp_path / CONFIG_DIR_NAME
    config_file = f"{config_dir}/scheduler-config.yaml"
    play = PLAY.format(config_dir=config_dir, url=rancher.url, token=TOKEN)
    pristine = copy.deepcopy(rancher.cluster)

    rc, out, _recap = run_playbook(tmp_path, play, "--check", "--diff")
    assert rc == 0, out
    assert rancher.puts() == []  # check mode sends nothing that changes
    assert rancher.requests and all(method == "GET" for method, _path, _body in rancher.requests)
    assert '"config": "' + config_file in out  # the diff shows the change
    assert rancher.cluster == pristine
    assert not config_dir.exists()

    rc, out, _recap = run_playbook(tmp_path, play)
    assert rc == 0, out
    (put,) = rancher.puts()
    assert put[1] == "/v3/clusters/c-abcde"
    body = put[2]
    scheduler = body["rancherKubernetesEngineConfig"]["services"]["scheduler"]
    assert scheduler == {"extraArgs": {"config": config_file}, "extraBinds": [f"{config_dir}:{config_dir}:ro"]}
    expected = copy.deepcopy(pristine)
    expected["rancherKubernetesEngineConfig"]["services"]["scheduler"] = scheduler
    assert body == expected  # nothing else in the cluster object changed
    # the files went to the node before the PUT; v1.16 gets the Policy file, kubeconfig of RKE
    config = yaml.safe_load((config_dir / "scheduler-config.yaml").read_text())
    assert config["apiVersion"] == "kubescheduler.config.k8s.io/v1alpha1"
    assert config["clientConnection"]["kubeconfig"] == "/etc/kubernetes/ssl/kubecfg-kube-scheduler.yaml"
    assert (
        json.loads((config_dir / "scheduler-policy.cfg").read_text())["extenders"][0]["urlPrefix"]
        == "http://127.0.0.1:9251"
    )

    assert_second_run_unchanged(tmp_path, play)
    assert len(rancher.puts()) == 1

    rc, out, _recap = run_playbook(tmp_path, play, "-e", "state=absent")
    assert rc == 0, out
    assert len(rancher.puts()) == 2
    assert rancher.cluster == pristine


USER_CONFIG = (
    "apiVersion: kubescheduler.config.k8s.io/v1\nkind: KubeSchedulerConfiguration\n"
    "clientConnection:\n  kubeconfig: /etc/kubernetes/ssl/kubecfg-kube-scheduler.yaml\n"
    "parallelism: 8\nprofiles:\n- schedulerName: default-scheduler\n  pluginConfig:\n  - name: NodeResourcesFit\n"
    "    args:\n      scoringStrategy:\n        type: MostAllocated\n"
)


def test_rancher_users_own_config_is_read_on_the_node_merged_and_restored(tmp_path, rancher):
    """extraArgs.config names the user's file under RKE's /etc/kubernetes bind, which comes from <prefixPath>."""
    prefix = tmp_path / "prefix"
    user_file = prefix / "etc" / "kubernetes" / "custom" / "scheduler.yaml"
    user_file.parent.mkdir(parents=True)
    user_file.write_text(USER_CONFIG)
    rke = rancher.cluster["rancherKubernetesEngineConfig"]
    rke["kubernetesVersion"] = "v1.28.15-rancher1-1"
    rke["prefixPath"] = str(prefix)
    rke["services"]["scheduler"] = {
        "extraArgs": {"config": "/etc/kubernetes/custom/scheduler.yaml", "v": "2"},
        "extraBinds": ["/opt/other:/opt/other"],
    }
    pristine = copy.deepcopy(rancher.cluster)
    config_dir = tmp_path / CONFIG_DIR_NAME
    ours = config_dir / "scheduler-config.yaml"
    play = PLAY.format(config_dir=config_dir, url=rancher.url, token=TOKEN)

    rc, out, _recap = run_playbook(tmp_path, play)
    assert rc == 0, out
    (put,) = rancher.puts()
    scheduler = put[2]["rancherKubernetesEngineConfig"]["services"]["scheduler"]
    assert scheduler == {
        "extraArgs": {"config": str(ours), "v": "2"},
        "extraBinds": ["/opt/other:/opt/other", f"{config_dir}:{config_dir}:ro"],
    }
    merged = yaml.safe_load(ours.read_text())
    assert merged["parallelism"] == 8
    assert merged["profiles"] == yaml.safe_load(USER_CONFIG)["profiles"]
    assert [e["urlPrefix"] for e in merged["extenders"]] == ["http://127.0.0.1:9251"]
    assert "# lvmkube-base-config: /etc/kubernetes/custom/scheduler.yaml\n" in ours.read_text()
    assert user_file.read_text() == USER_CONFIG

    # config is ours now; the marker of our copy on the node says what to go back to
    assert_second_run_unchanged(tmp_path, play)
    rc, out, _recap = run_playbook(tmp_path, play, "-e", "state=absent")
    assert rc == 0, out
    assert len(rancher.puts()) == 2
    assert rancher.cluster == pristine

    # unparseable: refused, naming the file on the node, no PUT
    user_file.write_text("kind: [KubeSchedulerConfiguration\n")
    rc, out, _recap = run_playbook(tmp_path, play)
    assert rc != 0
    assert f"{user_file} is not valid YAML" in out
    assert len(rancher.puts()) == 2
    assert rancher.cluster == pristine


def test_rancher_bad_token_fails_without_put(tmp_path, rancher):
    play = PLAY.format(config_dir=tmp_path / CONFIG_DIR_NAME, url=rancher.url, token=TOKEN)
    rc, out, _recap = run_playbook(
        tmp_path, play, "-e", "token=wrong", "-e", "kube_scheduler_kubernetes_version=v1.20.0"
    )
    assert rc != 0
    assert "HTTP 401" in out
    assert rancher.puts() == []
    assert "secretsecret" not in out


def test_old_spelling_rancher_still_works_and_warns_naming_rancher_v3(tmp_path, rancher):
    # kube_scheduler_distribution: rancher (the spelling before the collection's one vocabulary) is rancher-v3, with
    # an ansible-core deprecation warning (filter kube_scheduler_distribution, Display.deprecated). The run goes
    # through subprocess, not playbook_helpers.ansible_tool, which fails every run showing a deprecation of ours:
    # this one is intended, and asserted.
    config_dir = tmp_path / CONFIG_DIR_NAME
    play = PLAY.format(config_dir=config_dir, url=rancher.url, token=TOKEN).replace(
        "kube_scheduler_distribution: rancher-v3", "kube_scheduler_distribution: rancher"
    )
    playbook = tmp_path / "play.yml"
    playbook.write_text(play)
    proc = subprocess.run(
        [playbook_helpers.tool("ansible-playbook"), "-i", "localhost,", "-c", "local",
         "-e", f"ansible_python_interpreter={sys.executable}", str(playbook), "--check"],
        cwd=playbook_helpers.ROOT, env=playbook_helpers.ansible_env(), capture_output=True, text=True, timeout=300,
        check=False,
    )  # fmt: skip
    out = proc.stdout + proc.stderr
    assert proc.returncode == 0, out
    # ansible-core words the removal differently across releases (2.21: "from collection 'lvmkube.cluster' version")
    assert said(
        "[DEPRECATION WARNING]: kube_scheduler_distribution: rancher is deprecated, use rancher-v3 (the same "
        "distribution). This feature will be removed from",
        out,
    ), out
    warning = out.split("[DEPRECATION WARNING]:", 1)[1].split("\n\n", 1)[0]
    assert "lvmkube.cluster" in warning and "2.0.0" in warning, warning
    assert out.count("[DEPRECATION WARNING]") == 1, out
    assert "TASK [lvmkube.cluster.kube_scheduler : Read the config of the scheduler through the Rancher API]" in out
    assert rancher.requests and rancher.puts() == []  # the Rancher v3 path ran (check mode: GETs only)
