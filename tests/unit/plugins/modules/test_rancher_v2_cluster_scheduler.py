# Copyright: (c) 2026, lvmkube.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""rancher_v2_cluster_scheduler against Rancher's planner as its source has it, not against our belief of it.

HTTP: a TEST DOUBLE of the Kubernetes API of Rancher's local cluster and of /v3/settings/server-version
(tests/doubles/rancher_local_cluster_double.py). What Rancher makes of the objects: a TEST DOUBLE emulating the
planner's addUserConfig, renderArgAndMount, renderFiles and restartStamp, each rule citing the rancher/rancher file,
function and commit it was read from (tests/doubles/rancher_planner_double.py). Every Cluster the module writes is
validated against the Cluster CRD's schema (tests/integration/crd_schemas/cluster-provisioning-v1.json, written
from rancher/rancher's generated CRD). No Rancher runs here.
"""

from __future__ import annotations

import base64
import copy
import sys
from pathlib import Path

import pytest
from helpers.kube_scheduler import CONFIG_FILE
from k8s_schema_helpers import validate_object

from ansible_collections.lvmkube.cluster.plugins.modules import rancher_v2_cluster_scheduler

sys.path.insert(0, str(Path(__file__).resolve().parents[3] / "doubles"))
import rancher_planner_double as planner
from rancher_local_cluster_double import LocalClusterApiDouble

TOKEN = "token-xyz:secret"
NS = "/api/v1/namespaces/fleet-default"
CLUSTERS = "/apis/provisioning.cattle.io/v1/namespaces/fleet-default/clusters"
CLUSTER_PATH = f"{CLUSTERS}/c1"
SECRET_PATH = f"{NS}/secrets/lvmkube-kube-scheduler-c1"
VERSION_PATH = "/v3/settings/server-version"
CP = {"matchLabels": {"rke.cattle.io/control-plane-role": "true"}}
CP_MACHINE = {"rke.cattle.io/control-plane-role": "true", "rke.cattle.io/etcd-role": "true"}
WORKER = {"rke.cattle.io/worker-role": "true"}
MOUNT = "/etc/kubernetes/scheduler:/etc/kubernetes/scheduler:ro"
CERT_ARGS = ["cert-dir=/var/lib/rancher/rke2/server/tls/kube-scheduler", "secure-port=10259"]
CERT_MOUNT = "/var/lib/rancher/rke2/server/tls/kube-scheduler:/var/lib/rancher/rke2/server/tls/kube-scheduler"
TEXT = "apiVersion: kubescheduler.config.k8s.io/v1\nkind: KubeSchedulerConfiguration\n"
SCHEMA_VERSION = "1.33"


def cluster(name="c1", version="v1.31.4+rke2r1", **rke):
    rke.setdefault("machineGlobalConfig", {"cni": "calico", "kube-scheduler-arg": ["v=2"]})
    return {
        "apiVersion": "provisioning.cattle.io/v1",
        "kind": "Cluster",
        "metadata": {"name": name, "namespace": "fleet-default", "resourceVersion": "100"},
        "spec": {"kubernetesVersion": version, "rkeConfig": rke},
    }


CLUSTER = cluster(
    machineSelectorConfig=[
        {"config": {"protect-kernel-defaults": False}},
        {"machineLabelSelector": CP, "config": {"kube-apiserver-arg": ["audit-log-maxage=7"]}},
    ],
    machineSelectorFiles=[
        {
            "machineLabelSelector": CP,
            "fileSources": [{"configMap": {"name": "audit", "items": [{"key": "p", "path": "/etc/a.yaml"}]}}],
        }
    ],
)
AUDIT = {"metadata": {"name": "audit", "annotations": {planner.AUTHORIZED_OBJECT_ANNOTATION: "c1"}}, "data": {"p": "x"}}


@pytest.fixture
def api():
    double = LocalClusterApiDouble(
        {CLUSTER_PATH: copy.deepcopy(CLUSTER), VERSION_PATH: {"name": "server-version", "value": "v2.9.3"}}, TOKEN
    )
    yield double
    double.server.shutdown()


def args(api, **extra):
    base = {
        "api_url": api.url,
        "rancher_url": api.url,
        "api_token": TOKEN,
        "cluster_name": "c1",
        "config_file": CONFIG_FILE,
        "config_dir": "/etc/kubernetes/scheduler",
        "config_text": TEXT,
    }
    base.update(extra)
    return {k: v for k, v in base.items() if v is not None}


def objects_of(api, plural):
    return {p.rsplit("/", 1)[1]: o for p, o in api.objects.items() if p.startswith(f"{NS}/{plural}/")}


def plan(api, path=CLUSTER_PATH, labels=None):
    """What the planner emulator makes of the stored objects for one machine (a control-plane one by default)."""
    obj = api.objects[path]
    assert validate_object(obj, SCHEMA_VERSION) == "crd"
    configmaps = {"audit": AUDIT, **objects_of(api, "configmaps")}
    return planner.node_plan(obj, objects_of(api, "secrets"), configmaps, CP_MACHINE if labels is None else labels)


def file_at(node_plan, path):
    found = [f for f in node_plan["files"] if f["path"] == path]
    return base64.b64decode(found[0]["content"]).decode() if found else None


# --------------------------------------------------------------------------- the whole life cycle


def test_present_check_idempotence_update_and_absent(api, run_module):
    before = plan(api)
    result = run_module(rancher_v2_cluster_scheduler, _ansible_check_mode=True, _ansible_diff=True, **args(api))
    assert result["changed"] is True
    assert "machineSelectorFiles" in result["diff"]["after"]
    assert api.writes() == []  # check mode only reads

    result = run_module(rancher_v2_cluster_scheduler, **args(api))
    assert result["changed"] is True
    assert result["server_version"] == "v2.9.3"
    assert api.writes() == [("POST", f"{NS}/secrets"), ("PUT", CLUSTER_PATH)]
    # the planner renders the machine plan without error: hash and authorization accepted
    node = plan(api)
    assert file_at(node, CONFIG_FILE) == TEXT
    # the user's global kube-scheduler-arg is carried, ours added, Rancher's own appended after
    assert node["config"]["kube-scheduler-arg"] == ["v=2", f"config={CONFIG_FILE}", *CERT_ARGS]
    assert node["config"]["kube-scheduler-extra-mount"] == [MOUNT, CERT_MOUNT]
    assert node["config"]["kube-apiserver-arg"] == ["audit-log-maxage=7"]  # the user's entry still applies
    assert node["restart_stamp"] != before["restart_stamp"]
    worker = plan(api, labels=WORKER)
    assert file_at(worker, CONFIG_FILE) is None
    assert "kube-scheduler-arg" not in worker["config"] or f"config={CONFIG_FILE}" not in str(worker["config"])
    rke = api.objects[CLUSTER_PATH]["spec"]["rkeConfig"]
    assert rke["machineGlobalConfig"] == CLUSTER["spec"]["rkeConfig"]["machineGlobalConfig"]
    assert rke["machineSelectorConfig"][:2] == CLUSTER["spec"]["rkeConfig"]["machineSelectorConfig"]
    assert rke["machineSelectorFiles"][0] == CLUSTER["spec"]["rkeConfig"]["machineSelectorFiles"][0]
    secret = api.objects[SECRET_PATH]
    assert secret["metadata"]["annotations"] == {planner.AUTHORIZED_OBJECT_ANNOTATION: "c1"}

    api.requests.clear()
    assert run_module(rancher_v2_cluster_scheduler, **args(api))["changed"] is False
    assert api.writes() == []

    # a new configuration replaces the Secret and the hash: the restart stamp changes, so RKE2 restarts
    result = run_module(rancher_v2_cluster_scheduler, **args(api, config_text=TEXT + "parallelism: 8\n"))
    assert result["changed"] is True
    assert api.writes()[-2:] == [("PUT", SECRET_PATH), ("PUT", CLUSTER_PATH)]
    updated = plan(api)
    assert file_at(updated, CONFIG_FILE).endswith("parallelism: 8\n")
    assert updated["restart_stamp"] != node["restart_stamp"]

    api.requests.clear()
    result = run_module(rancher_v2_cluster_scheduler, state="absent", **args(api, config_text=None))
    assert result["changed"] is True
    assert api.writes() == [("PUT", CLUSTER_PATH), ("DELETE", SECRET_PATH)]
    assert api.objects[CLUSTER_PATH]["spec"] == CLUSTER["spec"]
    assert plan(api)["config"] == before["config"]
    assert run_module(rancher_v2_cluster_scheduler, state="absent", **args(api, config_text=None))["changed"] is False


# --------------------------------------------------------------------------- the planner's rules, proved both ways


def test_planner_refuses_what_the_earlier_release_wrote():
    """The emulator fails a plan on a hex hash and on a Secret without the authorization annotation, and leaves a
    dynamic item out of the restart stamp: the three faults of the earlier release, each seen by the emulator."""
    text = TEXT.encode()
    item = {"key": "k", "path": CONFIG_FILE, "hash": planner.hashlib.sha256(text).hexdigest()}
    obj = cluster(machineSelectorFiles=[{"machineLabelSelector": CP, "fileSources": [{"secret": {"name": "s"}}]}])
    obj["spec"]["rkeConfig"]["machineSelectorFiles"][0]["fileSources"][0]["secret"]["items"] = [item]
    secret = {"metadata": {"name": "s"}, "data": {"k": base64.b64encode(text).decode()}}
    with pytest.raises(planner.PlannerError, match="was not authorized to access secret fleet-default/s"):
        planner.node_plan(obj, {"s": secret}, machine_labels=CP_MACHINE)
    secret["metadata"]["annotations"] = {planner.AUTHORIZED_OBJECT_ANNOTATION: "other,c1"}
    with pytest.raises(planner.PlannerError, match="does not contain the expected content"):
        planner.node_plan(obj, {"s": secret}, machine_labels=CP_MACHINE)
    item["hash"] = base64.b64encode(planner.hashlib.sha256(text).digest()).decode()
    stamp = planner.node_plan(obj, {"s": secret}, machine_labels=CP_MACHINE)["restart_stamp"]
    item["dynamic"] = True
    changed = copy.deepcopy(secret)
    changed["data"]["k"] = base64.b64encode(b"other").decode()
    item["hash"] = ""
    dynamic = [planner.node_plan(obj, {"s": s}, machine_labels=CP_MACHINE)["restart_stamp"] for s in (secret, changed)]
    assert dynamic[0] == dynamic[1]  # a dynamic file never restarts anything
    item["dynamic"] = False
    assert planner.node_plan(obj, {"s": changed}, machine_labels=CP_MACHINE)["restart_stamp"] != stamp


def test_item_is_base64_sha256_and_not_dynamic(api, run_module):
    run_module(rancher_v2_cluster_scheduler, **args(api))
    item = api.objects[CLUSTER_PATH]["spec"]["rkeConfig"]["machineSelectorFiles"][-1]["fileSources"][0]["secret"]
    assert item["items"] == [
        {
            "key": "scheduler-config.yaml",
            "path": CONFIG_FILE,
            "permissions": "0644",
            "hash": base64.b64encode(planner.hashlib.sha256(TEXT.encode()).digest()).decode(),
        }
    ]


# --------------------------------------------------------------------------- Rancher's version


@pytest.mark.parametrize("value", ["v2.7.1", "v2.6.13", "2.5.0", "dev", ""])
def test_rancher_older_than_2_7_2_or_unknown_is_refused(api, run_module, value):
    api.objects[VERSION_PATH]["value"] = value
    for state in ("present", "absent"):
        result = run_module(rancher_v2_cluster_scheduler, state=state, **args(api))
        assert result["failed"] is True
        assert "2.7.2" in result["msg"]
        assert "Nothing was changed" in result["msg"]
    assert api.writes() == []
    assert api.objects[CLUSTER_PATH] == CLUSTER


@pytest.mark.parametrize("value", ["v2.7.2", "v2.7.2-rc2", "v2.10-head", "v2.12.0"])
def test_rancher_2_7_2_and_later_is_accepted(api, run_module, value):
    api.objects[VERSION_PATH]["value"] = value
    assert run_module(rancher_v2_cluster_scheduler, **args(api))["changed"] is True


def test_rancher_url_from_api_url_and_missing_setting(run_module):
    prefix = "/k8s/clusters/local"
    double = LocalClusterApiDouble({prefix + CLUSTER_PATH: copy.deepcopy(CLUSTER)}, TOKEN, prefix=prefix)
    try:
        result = run_module(rancher_v2_cluster_scheduler, **args(double, api_url=double.url + prefix, rancher_url=None))
        assert result["failed"] is True
        assert f"{double.url}/v3/settings/server-version not found" in result["msg"]
        double.objects[VERSION_PATH] = {"value": "v2.8.0"}
        result = run_module(rancher_v2_cluster_scheduler, **args(double, api_url=double.url + prefix, rancher_url=None))
        assert result["changed"] is True
        result = run_module(
            rancher_v2_cluster_scheduler, **args(double, api_url="http://127.0.0.1:9/k8s", rancher_url=None)
        )
        assert result["failed"] is True
        assert "set rancher_url" in result["msg"]
    finally:
        double.server.shutdown()


# --------------------------------------------------------------------------- one Secret per cluster


def test_two_clusters_never_share_or_delete_each_others_secret(api, run_module):
    api.objects[f"{CLUSTERS}/c2"] = cluster("c2")
    run_module(rancher_v2_cluster_scheduler, **args(api))
    run_module(rancher_v2_cluster_scheduler, **args(api, cluster_name="c2", config_text=TEXT + "# c2\n"))
    assert set(objects_of(api, "secrets")) == {"lvmkube-kube-scheduler-c1", "lvmkube-kube-scheduler-c2"}
    assert file_at(plan(api, f"{CLUSTERS}/c2"), CONFIG_FILE) == TEXT + "# c2\n"
    assert file_at(plan(api), CONFIG_FILE) == TEXT

    run_module(rancher_v2_cluster_scheduler, state="absent", **args(api, config_text=None))
    assert set(objects_of(api, "secrets")) == {"lvmkube-kube-scheduler-c2"}
    assert file_at(plan(api, f"{CLUSTERS}/c2"), CONFIG_FILE) == TEXT + "# c2\n"

    # a Secret name given twice: the second cluster is refused, the first cluster's Secret is untouched
    shared = args(api, secret_name="lvmkube-kube-scheduler-c2")
    api.requests.clear()
    result = run_module(rancher_v2_cluster_scheduler, **shared)
    assert result["failed"] is True
    assert "authorized for cluster(s) 'c2'" in result["msg"]
    assert api.writes() == []
    result = run_module(rancher_v2_cluster_scheduler, state="absent", **dict(shared, config_text=None))
    assert "DELETE" not in [m for m, _p in api.writes()]
    assert result.get("failed") is not True
    assert f"{NS}/secrets/lvmkube-kube-scheduler-c2" in api.objects  # c2's Secret stays (with a warning)


def test_a_secret_lvmkube_did_not_make_is_refused(api, run_module):
    api.objects[SECRET_PATH] = {"metadata": {"name": "lvmkube-kube-scheduler-c1", "resourceVersion": "1"}, "data": {}}
    result = run_module(rancher_v2_cluster_scheduler, **args(api))
    assert result["failed"] is True
    assert "not made by lvmkube" in result["msg"]
    assert api.writes() == []


# --------------------------------------------------------------------------- the planner's merge order


def test_a_control_plane_entry_setting_scheduler_args_is_carried_and_ours_wins(api, run_module):
    rke = api.objects[CLUSTER_PATH]["spec"]["rkeConfig"]
    rke["machineSelectorConfig"].append({"machineLabelSelector": CP, "config": {"kube-scheduler-arg": "v=4"}})
    rke["machineSelectorConfig"].append(
        {
            "machineLabelSelector": {"matchLabels": {"rke.cattle.io/control-plane-role": "false"}},
            "config": {"kube-scheduler-arg": ["never-here=1"]},
        }
    )
    original = copy.deepcopy(api.objects[CLUSTER_PATH]["spec"])
    run_module(rancher_v2_cluster_scheduler, **args(api))
    configs = api.objects[CLUSTER_PATH]["spec"]["rkeConfig"]["machineSelectorConfig"]
    assert configs[:-1] == original["rkeConfig"]["machineSelectorConfig"]  # the user's entries untouched
    assert plan(api)["config"]["kube-scheduler-arg"] == ["v=4", f"config={CONFIG_FILE}", *CERT_ARGS]
    # an entry added after ours by someone: the next run puts ours last again
    configs.append({"config": {"kube-scheduler-arg": ["v=9"]}})
    assert f"config={CONFIG_FILE}" not in plan(api)["config"]["kube-scheduler-arg"]
    assert run_module(rancher_v2_cluster_scheduler, **args(api))["changed"] is True
    assert plan(api)["config"]["kube-scheduler-arg"] == ["v=9", f"config={CONFIG_FILE}", *CERT_ARGS]
    run_module(rancher_v2_cluster_scheduler, state="absent", **args(api, config_text=None))
    assert plan(api)["config"]["kube-scheduler-arg"] == ["v=9", *CERT_ARGS]


@pytest.mark.parametrize(
    "selector",
    [
        {"matchLabels": {"pool": "big"}},
        {"matchLabels": {"rke.cattle.io/control-plane-role": "true", "zone": "a"}},
        {"matchExpressions": [{"key": "rke.cattle.io/etcd-role", "operator": "Exists"}]},
    ],
)
def test_an_entry_for_some_control_plane_machines_is_refused_by_name(api, run_module, selector):
    rke = api.objects[CLUSTER_PATH]["spec"]["rkeConfig"]
    rke["machineSelectorConfig"].append(
        {"machineLabelSelector": selector, "config": {"kube-scheduler-extra-mount": "/x:/x"}}
    )
    result = run_module(rancher_v2_cluster_scheduler, **args(api))
    assert result["failed"] is True
    assert "machineSelectorConfig[2]" in result["msg"]
    assert "kube-scheduler-extra-mount" in result["msg"]
    assert api.writes() == []


def test_objects_of_the_earlier_release_are_taken_over(api, run_module):
    """A Cluster as 0.x left it: config= edited into the user's control-plane entry, one Secret for all clusters."""
    rke = api.objects[CLUSTER_PATH]["spec"]["rkeConfig"]
    rke["machineSelectorConfig"][1]["config"].update(
        {"kube-scheduler-arg": ["v=3", f"config={CONFIG_FILE}"], "kube-scheduler-extra-mount": [MOUNT]}
    )
    legacy_item = {"key": "scheduler-config.yaml", "path": CONFIG_FILE, "dynamic": True, "hash": "ab"}
    rke["machineSelectorFiles"].append(
        {
            "machineLabelSelector": CP,
            "fileSources": [{"secret": {"name": "lvmkube-kube-scheduler", "items": [legacy_item]}}],
        }
    )
    run_module(rancher_v2_cluster_scheduler, **args(api))
    rke = api.objects[CLUSTER_PATH]["spec"]["rkeConfig"]
    assert [e["fileSources"][0].get("secret", {}).get("name") for e in rke["machineSelectorFiles"]] == [
        None,
        "lvmkube-kube-scheduler-c1",
    ]
    assert rke["machineSelectorConfig"][1]["config"] == {
        "kube-apiserver-arg": ["audit-log-maxage=7"],
        "kube-scheduler-arg": ["v=3"],
    }
    assert plan(api)["config"]["kube-scheduler-arg"] == ["v=3", f"config={CONFIG_FILE}", *CERT_ARGS]


# --------------------------------------------------------------------------- K3s and data directories


@pytest.mark.parametrize(
    ("version", "data_dir", "expected"),
    [
        ("v1.31.4+k3s1", "", "/var/lib/rancher/k3s"),
        ("v1.31.4+k3s1", "/srv/k3s", "/srv/k3s"),
        ("v1.31.4+rke2r1", "/srv/rke2", "/srv/rke2"),
    ],
)
def test_k3s_and_custom_data_dir(api, run_module, version, data_dir, expected):
    obj = api.objects[CLUSTER_PATH]
    obj["spec"]["kubernetesVersion"] = version
    if data_dir:
        obj["spec"]["rkeConfig"]["dataDirectories"] = {"k8sDistro": data_dir}
    result = run_module(rancher_v2_cluster_scheduler, **args(api, config_text=None))
    assert result["changed"] is False
    assert result["kubeconfig"] == f"{expected}/server/cred/scheduler.kubeconfig"
    assert result["distro_runtime"] == ("k3s" if "k3s" in version else "rke2")
    run_module(rancher_v2_cluster_scheduler, **args(api))
    node = plan(api)
    assert node["config"]["kube-scheduler-arg"][-2] == f"cert-dir={expected}/server/tls/kube-scheduler"
    ours = api.objects[CLUSTER_PATH]["spec"]["rkeConfig"]["machineSelectorConfig"][-1]["config"]
    if "k3s" in version:  # K3s runs kube-scheduler in its own process: no mounts
        assert "kube-scheduler-extra-mount" not in ours
        assert "kube-scheduler-extra-mount" not in node["config"]
        assert node["files"][-1]["path"] == "/etc/rancher/k3s/config.yaml.d/50-rancher.yaml"
    else:
        assert MOUNT in node["config"]["kube-scheduler-extra-mount"]


# --------------------------------------------------------------------------- the user's own configuration


USER_CONFIG = "/etc/rancher/custom/scheduler.yaml"
USER_TEXT = (
    "apiVersion: kubescheduler.config.k8s.io/v1\nkind: KubeSchedulerConfiguration\nprofiles:\n- schedulerName: gpu\n"
)


def test_users_own_config_is_returned_and_must_be_merged(api, run_module):
    rke = api.objects[CLUSTER_PATH]["spec"]["rkeConfig"]
    rke["machineGlobalConfig"]["kube-scheduler-arg"] = ["v=2", f"config={USER_CONFIG}"]
    rke["machineSelectorFiles"].append(
        {"fileSources": [{"secret": {"name": "mine", "items": [{"key": "s", "path": USER_CONFIG}]}}]}
    )
    api.objects[f"{NS}/secrets/mine"] = {
        "metadata": {"name": "mine", "annotations": {planner.AUTHORIZED_OBJECT_ANNOTATION: "c1"}},
        "data": {"s": base64.b64encode(USER_TEXT.encode()).decode()},
    }
    result = run_module(rancher_v2_cluster_scheduler, **args(api, config_text=None))
    assert (result["base_config"], result["base_text"]) == (USER_CONFIG, USER_TEXT)
    assert api.writes() == []
    result = run_module(rancher_v2_cluster_scheduler, **args(api))
    assert result["failed"] is True
    assert f"config={USER_CONFIG}" in result["msg"]
    assert api.writes() == []
    merged = USER_TEXT + "extenders: []\n"
    assert run_module(rancher_v2_cluster_scheduler, **args(api, config_text=merged, base_config=USER_CONFIG))["changed"]
    node = plan(api)
    assert node["config"]["kube-scheduler-arg"] == ["v=2", f"config={CONFIG_FILE}", *CERT_ARGS]
    assert file_at(node, CONFIG_FILE) == merged
    run_module(rancher_v2_cluster_scheduler, state="absent", **args(api, config_text=None))
    assert plan(api)["config"]["kube-scheduler-arg"] == ["v=2", f"config={USER_CONFIG}", *CERT_ARGS]


def test_users_config_without_a_source_is_refused(api, run_module):
    api.objects[CLUSTER_PATH]["spec"]["rkeConfig"]["machineGlobalConfig"]["kube-scheduler-arg"] = [
        f"config={USER_CONFIG}"
    ]
    result = run_module(rancher_v2_cluster_scheduler, **args(api, config_text=None))
    assert result["failed"] is True
    assert "no machineSelectorFiles entry" in result["msg"]


def test_refusals_write_nothing(api, run_module):
    result = run_module(rancher_v2_cluster_scheduler, **args(api, api_token="wrong"))
    assert result["failed"] is True
    assert "401" in result["msg"]
    result = run_module(rancher_v2_cluster_scheduler, **args(api, cluster_name="missing"))
    assert result["failed"] is True
    assert "no provisioning.cattle.io/v1 Cluster fleet-default/missing" in result["msg"]
    del api.objects[CLUSTER_PATH]["spec"]["rkeConfig"]
    result = run_module(rancher_v2_cluster_scheduler, **args(api))
    assert result["failed"] is True
    assert "no spec.rkeConfig" in result["msg"]
    assert api.writes() == []


# --------------------------------------------------------------------------- a busy or failing API


def test_cluster_changed_by_rancher_in_between_is_read_again(api, run_module):
    """Rancher's controllers update the Cluster (status) all the time: a 409 on PUT means read, edit, PUT again."""
    api.faults[("PUT", CLUSTER_PATH)] = [409, 409]
    result = run_module(rancher_v2_cluster_scheduler, **args(api))
    assert result["changed"] is True
    assert [m for m, p in api.writes() if p == CLUSTER_PATH] == ["PUT", "PUT", "PUT"]
    assert file_at(plan(api), CONFIG_FILE) == TEXT
    assert run_module(rancher_v2_cluster_scheduler, **args(api))["changed"] is False


@pytest.mark.parametrize("faults", [[409, 409, 409], [500]], ids=["always-409", "500"])
def test_cluster_that_cannot_be_written_leaves_everything_as_it_was(api, run_module, faults):
    run_module(rancher_v2_cluster_scheduler, **args(api))
    before = copy.deepcopy({p: o for p, o in api.objects.items() if p != VERSION_PATH})
    before_plan = plan(api)
    api.faults[("PUT", CLUSTER_PATH)] = list(faults)
    result = run_module(rancher_v2_cluster_scheduler, **args(api, config_text=TEXT + "parallelism: 8\n"))
    assert result["failed"] is True
    assert "The Secret was put back as it was: nothing changed" in result["msg"]
    assert base64.b64decode(api.objects[SECRET_PATH]["data"]["scheduler-config.yaml"]).decode() == TEXT
    assert api.objects[CLUSTER_PATH]["spec"] == before[CLUSTER_PATH]["spec"]
    assert plan(api)["files"] == before_plan["files"]  # the planner still renders the old, consistent plan

    # a first run that fails deletes the Secret it created
    api.objects.pop(SECRET_PATH)
    api.objects[CLUSTER_PATH]["spec"] = copy.deepcopy(CLUSTER["spec"])
    api.faults[("PUT", CLUSTER_PATH)] = list(faults)
    result = run_module(rancher_v2_cluster_scheduler, **args(api))
    assert result["failed"] is True
    assert SECRET_PATH not in api.objects
    assert api.objects[CLUSTER_PATH]["spec"] == CLUSTER["spec"]


def test_server_error_on_read_writes_nothing(api, run_module):
    api.faults[("GET", CLUSTER_PATH)] = [503]
    result = run_module(rancher_v2_cluster_scheduler, **args(api))
    assert result["failed"] is True
    assert "HTTP 503" in result["msg"]
    api.faults[("GET", VERSION_PATH)] = [500]
    result = run_module(rancher_v2_cluster_scheduler, **args(api))
    assert result["failed"] is True
    assert api.writes() == []
