# Copyright: (c) 2026, lvmkube.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""TEST DOUBLE (an emulator) of the parts of Rancher's v2 provisioning planner that consume the objects
rancher_v2_cluster_scheduler writes. Not Rancher: written in Python from Rancher's Go source, rule by rule.

Source read: github.com/rancher/rancher, commit 59bd052e44553e77e5c570b84ed4a24dfa7b44ab (2026-08-21), files
- pkg/capr/planner/config.go: addUserConfig, renderFiles, restartStamp, clusterObjectAuthorized, addConfigFile
- pkg/capr/planner/planner.go: renderArgAndMount, convertInterfaceToStringSlice, PruneEmpty, constants
- pkg/capr/planner/filter.go: filterField (value types only)
- pkg/capr/common.go: GetRuntime, GetDistroDataDir, AuthorizedObjectAnnotation
- k8s.io/apimachinery metav1.LabelSelectorAsSelector (matchLabels, matchExpressions In/NotIn/Exists/DoesNotExist)
Each function below names the Go function it follows.

Gaps (what Rancher does that this emulator does not): filterConfigData also drops every key the KDM release data
of the cluster's version does not list as an argument (no KDM data here; only the value-type rule is kept); the
install instruction, drain hash, etcd/registries/token/address/label/taint config and the system-agent that
writes the files are not emulated; Kubernetes label-selector validation errors are not reproduced.
"""

from __future__ import annotations

import base64
import hashlib
import json

AUTHORIZED_OBJECT_ANNOTATION = "rke.cattle.io/object-authorized-for-clusters"  # pkg/capr/common.go
CONFIG_YAML_FILE_NAME = "/etc/rancher/%s/config.yaml.d/50-rancher.yaml"  # planner.go ConfigYamlFileName
KUBE_SCHEDULER_ARG = "kube-scheduler-arg"  # planner.go KubeSchedulerArg
KUBE_SCHEDULER_EXTRA_MOUNT = "kube-scheduler-extra-mount"  # planner.go KubeSchedulerExtraMount
DEFAULT_KUBE_SCHEDULER_CERT_DIR = "server/tls/kube-scheduler"  # planner.go DefaultKubeSchedulerCertDir
DEFAULT_KUBE_SCHEDULER_SECURE_PORT = "10259"  # planner.go DefaultKubeSchedulerDefaultSecurePort
CONTROL_PLANE_ROLE_LABEL = "rke.cattle.io/control-plane-role"


class PlannerError(Exception):
    """An error the planner returns: the machine's whole plan fails with it."""


def get_runtime(kubernetes_version):
    """common.go GetRuntime: 'k3s' when the version contains it, else 'rke2'."""
    return "k3s" if "k3s" in str(kubernetes_version or "") else "rke2"


def get_distro_data_dir(spec):
    """common.go GetDistroDataDir: DataDirectories.K8sDistro, else /var/lib/rancher/<runtime>."""
    custom = ((spec.get("rkeConfig") or {}).get("dataDirectories") or {}).get("k8sDistro") or ""
    return custom or f"/var/lib/rancher/{get_runtime(spec.get('kubernetesVersion'))}"


def selector_matches(selector, labels):
    """metav1.LabelSelectorAsSelector(selector).Matches(labels); an empty selector matches everything."""
    for key, value in (selector.get("matchLabels") or {}).items():
        if labels.get(key) != value:
            return False
    for expression in selector.get("matchExpressions") or []:
        key, operator, values = expression["key"], expression["operator"], expression.get("values") or []
        if operator == "In" and labels.get(key) not in values:
            return False
        if operator == "NotIn" and key in labels and labels[key] in values:
            return False
        if operator == "Exists" and key not in labels:
            return False
        if operator == "DoesNotExist" and key in labels:
            return False
    return True


def _filter_field(value):
    """filter.go filterField, the value-type rule: only string, bool and []interface{} values are kept."""
    return isinstance(value, (str, bool, list))


def add_user_config(spec, machine_labels):
    """config.go addUserConfig: machineGlobalConfig, then each matching machineSelectorConfig entry in list order;
    a later entry's key replaces the earlier value outright (`config[k] = v`); then filterConfigData; then
    data-dir from dataDirectories.k8sDistro.
    A nil MachineLabelSelector matches every machine (`opts.MachineLabelSelector == nil || sel.Matches(...)`).
    """
    rke = spec.get("rkeConfig") or {}
    config = dict(rke.get("machineGlobalConfig") or {})
    for opts in rke.get("machineSelectorConfig") or []:
        selector = opts.get("machineLabelSelector")
        if selector is None or selector_matches(selector, machine_labels):
            config.update(opts.get("config") or {})
    config = {k: v for k, v in config.items() if v is not None and _filter_field(v)}
    k8s_distro = (rke.get("dataDirectories") or {}).get("k8sDistro") or ""
    if k8s_distro:
        config["data-dir"] = k8s_distro
    return config


def _string_slice(value):
    """planner.go convertInterfaceToStringSlice: a list as strings, a string as one item, else empty."""
    if isinstance(value, list):
        return [str(v) for v in value]
    if isinstance(value, str):
        return [value]
    return []


def _arg_value(args, name):
    """planner.go getArgValue with '=': the value of the last name=value in args, else ''."""
    value = ""
    for arg in args:
        key, _sep, val = arg.partition("=")
        if key.lstrip("-") == name:
            value = val
    return value


def render_arg_and_mount(config, spec):
    """planner.go renderArgAndMount for kube-scheduler on a control-plane machine (addRoleConfig):
    cert-dir=<data dir>/server/tls/kube-scheduler and secure-port=10259 are appended unless the user set
    tls-cert-file/cert-dir or secure-port; on RKE2 the cert dir is appended to kube-scheduler-extra-mount.
    """
    args = _string_slice(config.get(KUBE_SCHEDULER_ARG))
    mounts = _string_slice(config.get(KUBE_SCHEDULER_EXTRA_MOUNT))
    cert_dir = f"{get_distro_data_dir(spec)}/{DEFAULT_KUBE_SCHEDULER_CERT_DIR}"
    cert_dir_arg, mount = f"cert-dir={cert_dir}", f"{cert_dir}:{cert_dir}"
    secure_port_arg = f"secure-port={DEFAULT_KUBE_SCHEDULER_SECURE_PORT}"
    if args:
        tls_cert_file = _arg_value(args, "tls-cert-file")
        if tls_cert_file:
            cert_dir_arg = ""
            directory = tls_cert_file.rsplit("/", 1)[0]
            mount = f"{directory}:{directory}"
        elif _arg_value(args, "cert-dir"):
            cert_dir_arg = ""
            mount = f"{_arg_value(args, 'cert-dir')}:{_arg_value(args, 'cert-dir')}"
        if _arg_value(args, "secure-port"):
            secure_port_arg = ""
    if cert_dir_arg:
        args.append(cert_dir_arg)
    if secure_port_arg:
        args.append(secure_port_arg)
    config[KUBE_SCHEDULER_ARG] = args
    if get_runtime(spec.get("kubernetesVersion")) == "rke2":
        config[KUBE_SCHEDULER_EXTRA_MOUNT] = [*mounts, mount]


def cluster_object_authorized(obj, cluster_name):
    """config.go clusterObjectAuthorized: the annotation split on ',' must hold the cluster's name."""
    annotations = (obj.get("metadata") or {}).get("annotations") or {}
    return cluster_name in str(annotations.get(AUTHORIZED_OBJECT_ANNOTATION, "")).split(",")


def render_files(spec, cluster_name, namespace, secrets, configmaps, machine_labels):  # noqa: PLR0917
    """config.go (*Planner).renderFiles: for each machineSelectorFiles entry matching the machine (a nil selector
    matches all), each file source: a Secret and a ConfigMap in one source is an error; the object must authorize
    the cluster (else 'was not authorized'); an item's hash, when set, must equal base64.StdEncoding of the
    SHA-256 of the value (else 'does not contain the expected content'). Files keep Dynamic from the item.
    secrets, configmaps: {name: object} of the cluster's namespace.
    """
    files = []
    for msf in (spec.get("rkeConfig") or {}).get("machineSelectorFiles") or []:
        selector = msf.get("machineLabelSelector")
        if selector is not None and not selector_matches(selector, machine_labels):
            continue
        for source in msf.get("fileSources") or []:
            secret_ref, configmap_ref = source.get("secret") or {}, source.get("configMap") or {}
            if secret_ref.get("name") and configmap_ref.get("name"):
                raise PlannerError("secret and configmap cannot both be defined at the same time for files")
            for kind, ref, store in (("secret", secret_ref, secrets), ("configmap", configmap_ref, configmaps)):
                if not ref.get("name"):
                    continue
                obj = store.get(ref["name"])
                if obj is None:
                    raise PlannerError(f"error retrieving {kind} {namespace}/{ref['name']} while rendering files")
                if not cluster_object_authorized(obj, cluster_name):
                    raise PlannerError(
                        f"error rendering files: cluster {namespace}/{cluster_name} was not authorized to access "
                        f"{kind} {namespace}/{ref['name']}"
                    )
                for item in ref.get("items") or []:
                    if kind == "secret":
                        raw = base64.b64decode((obj.get("data") or {}).get(item["key"], ""))
                    else:
                        raw = str((obj.get("data") or {}).get(item["key"], "")).encode()
                    expected = base64.b64encode(hashlib.sha256(raw).digest()).decode()
                    if item.get("hash") and item["hash"] != expected:
                        raise PlannerError(f"{kind} {ref['name']} does not contain the expected content")
                    files.append(
                        {
                            "path": item["path"],
                            "content": base64.b64encode(raw).decode(),
                            "dynamic": bool(item.get("dynamic", False)),
                            "permissions": item.get("permissions") or ref.get("defaultPermissions") or "",
                        }
                    )
    return files


def restart_stamp(files, spec, image="rancher/system-agent-installer-rke2:v1.31.3-rke2r1", config_generation=0):
    """config.go restartStamp: SHA-256 over ProvisionGeneration, the installer image, path and content of every
    file that is not Dynamic (in plan order), and Status.ConfigGeneration; hex encoded."""
    digest = hashlib.sha256()
    digest.update(str((spec.get("rkeConfig") or {}).get("provisionGeneration") or 0).encode())
    digest.update(image.encode())
    for file in files:
        if file["dynamic"]:
            continue
        digest.update(file["path"].encode())
        digest.update(file["content"].encode())
    digest.update(str(config_generation).encode())
    return digest.hexdigest()


def node_plan(cluster, secrets, configmaps=None, machine_labels=None):
    """The slice of (*Planner).addConfigFile these tests need, for one machine: user config (addUserConfig), the
    control-plane kube-scheduler args (addRoleConfig -> renderArgAndMount), the files (renderFiles), then
    50-rancher.yaml (not dynamic) last, PruneEmpty'd; and the restart stamp over them.
    Returns {'config': dict, 'files': [...], 'restart_stamp': str}; raises PlannerError as the planner fails.
    """
    spec = cluster["spec"]
    name, namespace = cluster["metadata"]["name"], cluster["metadata"]["namespace"]
    labels = machine_labels if machine_labels is not None else {CONTROL_PLANE_ROLE_LABEL: "true"}
    config = add_user_config(spec, labels)
    if labels.get(CONTROL_PLANE_ROLE_LABEL) == "true":
        render_arg_and_mount(config, spec)
    files = render_files(spec, name, namespace, secrets, configmaps or {}, labels)
    config = {k: v for k, v in config.items() if v not in ("", [], None)}  # PruneEmpty
    runtime = get_runtime(spec.get("kubernetesVersion"))
    files.append(
        {
            "path": CONFIG_YAML_FILE_NAME % runtime,
            "content": base64.b64encode(json.dumps(config, indent=2, sort_keys=True).encode()).decode(),
            "dynamic": False,
            "permissions": "",
        }
    )
    return {"config": config, "files": files, "restart_stamp": restart_stamp(files, spec)}
