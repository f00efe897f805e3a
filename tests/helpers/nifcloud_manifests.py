# Copyright: (c) 2026, lvmkube.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Test helpers for the NIFCLOUD manifests: object lookups, and the rows of the chart-option tests of nifcloud_ccm
and nifcloud_csi (test_ccm_helm.py, test_csi_helm.py).

Each row (Knob): the role option, a non-default setting, the chart's value path, the chart's default there, how the
chart's template turns the value into the field, and where render mode writes that field. :func:`check` merges the
helm value into the default as Helm does (helpers/helm_merge, checked against the real helm in
tests/integration/helm_values), applies the template's rule and compares with render.

Facts: nifcloud/nifcloud-cloud-controller-manager chart v1.2.0 (commit 231d33d5acede8892f8d147bce7467e018f89614),
charts/nifcloud-cloud-controller-manager/values.yaml and templates/daemonset.yaml;
nifcloud/nifcloud-additional-storage-csi-driver chart v1.1.0 (commit df5e6830e86678a7572f5e9ad9ac5fe0b2f93ed5),
charts/nifcloud-additional-storage-csi-driver/values.yaml and templates/{controller,node,storageclass}.yaml.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, NamedTuple

import pytest
import yaml

from ansible_collections.lvmkube.cluster.plugins.plugin_utils.manifests.nifcloud.common import NifcloudConfigError
from helpers.helm_merge import merged_at

ROOT = Path(__file__).resolve().parents[2]
REGION = {"region": "jp-east-1"}
FIXED = "(set by the role, no option)"
# Options of both roles that are no chart value: the output, the credentials (the role makes the Secret), the
# connection, the chart's source, and the Helm release's namespace (k8s_manifests_helm_namespace).
NOT_CHART = {
    "state",
    "output",
    "render_dir",
    "render_secrets",
    "access_key_id",
    "secret_access_key",
    "create_secret",
    "kubeconfig",
    "context",
    "wait_timeout",
    "helm_binary",
    "helm_chart_version",
    "helm_repo_url",
    "namespace",
}


class Knob(NamedTuple):
    option: str  # the role option without its prefix
    setting: dict  # non-default settings (the option and what it needs)
    path: tuple  # the chart value
    default: Any  # the chart's values.yaml there
    template: Callable  # (merged value) -> the field as the chart's template writes it
    field: Callable  # (render objects) -> the field


def find(objs, kind, name=None):
    return next(o for o in objs if o["kind"] == kind and (name is None or o["metadata"]["name"] == name))


def pod_spec(obj):
    return obj["spec"]["template"]["spec"]


def env_of(container):
    """name -> value or valueFrom of a container's env."""
    return {e["name"]: e.get("value", e.get("valueFrom")) for e in container["env"]}


def pod(kind):
    return lambda objs: find(objs, kind)["spec"]["template"]


def container(kind, name):
    return lambda objs: next(c for c in pod(kind)(objs)["spec"]["containers"] if c["name"] == name)


def args_with(kind, name, prefix):
    return lambda objs: [a for a in container(kind, name)(objs)["args"] if a.startswith(prefix)]


def env_after(kind, name, fixed):
    """The env entries after the chart's fixed ones (where the chart writes extraEnv)."""
    return lambda objs: container(kind, name)(objs)["env"][fixed:]


def same(value):
    return value


def or_none(value):
    return value or None  # `with` writes nothing for an empty map or list


def image_tag(image):
    return image.rsplit(":", 1)[1]


def common_knobs(repository, mirror, main_container):
    """image.repository, image.tag (from image_tag or version), image.pullPolicy and nifcloud.region: the same in
    both charts."""

    def image(objs):
        return main_container(objs)["image"]

    return [
        Knob(
            "image_repository",
            {"image_repository": f"mirror.example/{mirror}"},
            ("image", "repository"),
            repository,
            same,
            lambda o: image(o).rsplit(":", 1)[0],
        ),
        Knob("image_tag", {"image_tag": "v9.9.1"}, ("image", "tag"), "", same, lambda o: image_tag(image(o))),
        Knob("version", {"version": "9.9.0"}, ("image", "tag"), "", same, lambda o: image_tag(image(o))),
        Knob(
            "image_pull_policy",
            {"image_pull_policy": "Always"},
            ("image", "pullPolicy"),
            "IfNotPresent",
            same,
            lambda o: main_container(o)["imagePullPolicy"],
        ),
        Knob(
            "region",
            {"region": "jp-west-1"},
            ("nifcloud", "region"),
            "",
            same,
            lambda o: next(e["value"] for e in main_container(o)["env"] if e["name"] == "NIFCLOUD_REGION"),
        ),
    ]


def ids(knobs):
    return [f"{k.option}:{'.'.join(k.path)}" for k in knobs]


def check(knob, objects, helm_values):
    """The field render writes for the knob's setting, after checking that the chart writes the same."""
    raw = dict(REGION, **knob.setting)
    values = helm_values(raw)
    wanted = knob.field(objects(raw))
    assert knob.template(merged_at(knob.default, values, knob.path)) == wanted
    return wanted


def role_options(role):
    """The role's options (argument spec), without the role's prefix."""
    spec = yaml.safe_load((ROOT / "roles" / role / "meta" / "argument_specs.yml").read_text(encoding="utf-8"))
    return {name.removeprefix(f"{role}_") for name in spec["argument_specs"]["main"]["options"]}


def assert_every_option_is_covered(role, knobs, refused, not_chart):
    """Every option of the role is a row, refused with helm output, or said not to be a chart value."""
    covered = ({k.option for k in knobs} - {FIXED}) | set(refused) | not_chart
    assert covered == role_options(role)


def assert_refused_by_the_chart(helm_values, setting):
    """helm output refuses the setting, naming the chart, so that no value silently differs."""
    with pytest.raises(NifcloudConfigError, match="cannot be given to the chart"):
        helm_values(dict(REGION, **setting))
