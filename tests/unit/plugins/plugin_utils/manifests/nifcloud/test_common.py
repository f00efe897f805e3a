# Copyright: (c) 2026, lvmkube.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What both NIFCLOUD components share: the credentials Secret, the common settings, imagePullSecrets."""

from __future__ import annotations

import base64

import pytest

from ansible_collections.lvmkube.cluster.plugins.plugin_utils.manifests.nifcloud import common
from ansible_collections.lvmkube.cluster.plugins.plugin_utils.manifests.nifcloud.ccm import CCM_DEFAULTS
from ansible_collections.lvmkube.cluster.plugins.plugin_utils.manifests.nifcloud.common import NifcloudConfigError
from ansible_collections.lvmkube.cluster.plugins.plugin_utils.manifests.render import ManifestConfigError


def test_secret_holds_the_credentials_and_errors_never_show_them():
    secret = common.credentials_secret("s", "kube-system", "AK-VALUE", "SK-VALUE")
    assert {k: base64.b64decode(v).decode() for k, v in secret["data"].items()} == {
        "access_key_id": "AK-VALUE",
        "secret_access_key": "SK-VALUE",
    }
    with pytest.raises(NifcloudConfigError) as error:
        common.credentials_secret("s", "kube-system", "AK-VALUE", " ")
    assert "AK-VALUE" not in str(error.value)
    assert "secret access key is empty" in str(error.value)


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        ({"kubernetes_version": "latest"}, "kubernetes_version 'latest' is not a Kubernetes version"),
        ({"kubernetes_version": "1.x"}, "kubernetes_version '1.x' is not a Kubernetes version"),
        ({"namespace": "kube_system"}, "namespace 'kube_system' is not a valid Kubernetes name"),
        ({"secret_name": "Keys"}, "secret_name 'Keys' is not a valid Kubernetes name"),
        ({"image_repository": "ghcr.io/a b"}, "image_repository must be a non-empty image name"),
        ({"image_pull_policy": "Sometimes"}, "image_pull_policy must be Always, IfNotPresent or Never"),
        ({"region": "jp-east-1\n"}, "is not a NIFCLOUD region"),
        ({"version": "1.2.0\n"}, "is not a release"),
        ({"namespace": "kube-system\n"}, r"namespace 'kube-system\\n' is not a valid Kubernetes name"),
    ],
)
def test_common_settings_are_checked_and_the_error_is_a_manifest_error(settings, message):
    with pytest.raises(NifcloudConfigError, match=message) as error:
        common.normalize_common(dict({"region": "jp-east-1"}, **settings), CCM_DEFAULTS)
    assert isinstance(error.value, ManifestConfigError)


def test_kubernetes_version_and_release_are_read():
    cfg = common.normalize_common(
        {"region": "jp-east-1", "kubernetes_version": "v1.24.17+rke2r1", "version": "v1.3.0"}, CCM_DEFAULTS
    )
    assert cfg["kubernetes_minor"] == (1, 24)
    assert (cfg["version"], cfg["image_tag"]) == ("1.3.0", "v1.3.0")


@pytest.mark.parametrize(
    ("names", "message"),
    [("mirror", "must be a list"), (["a", "a"], "names a Secret twice"), (["*"], r"image_pull_secrets\[0\]")],
)
def test_bad_image_pull_secrets_are_refused(names, message):
    with pytest.raises(NifcloudConfigError, match=message):
        common.image_pull_secrets(names)
