# Copyright: (c) 2026, lvmkube.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The value checks the manifest builders share: dicts, known keys, string maps, lists of named entries, image
references."""

from __future__ import annotations

import pytest

from ansible_collections.lvmkube.cluster.plugins.plugin_utils.manifests import render


class OwnError(render.ManifestConfigError):
    pass


@pytest.mark.parametrize("value", [[], "a", None, 1])
def test_require_map_refuses_what_is_no_dict_with_the_callers_error(value):
    with pytest.raises(OwnError, match=r"^x\.resources must be a dict$"):
        render.require_map(value, "x.resources", OwnError)


def test_require_known_keys_names_the_unknown_and_the_known_ones():
    assert render.require_known_keys({"a": 1}, ("a", "b"), "x") == {"a": 1}
    with pytest.raises(render.ManifestConfigError, match=r"^x has unknown key\(s\): c, d \(known: a, b\)$"):
        render.require_known_keys({"d": 1, "c": 2, "a": 3}, ("a", "b"), "x")


def test_string_map_turns_keys_and_values_into_text():
    assert render.string_map({1: 2, "a": None, "b": True}, "labels") == {"1": "2", "a": "", "b": "True"}
    with pytest.raises(render.ManifestConfigError, match="labels must be a dict"):
        render.string_map(["a=b"], "labels")


def test_named_entries_yield_each_checked_entry():
    entries = [{"name": "a", "x": 1}, {"name": "b.c"}]
    assert list(render.named_entries(entries, "classes", "class", ("name", "x"))) == [
        (0, "a", entries[0]),
        (1, "b.c", entries[1]),
    ]


@pytest.mark.parametrize(
    ("entries", "message"),
    [
        ({"name": "a"}, "^classes must be a list$"),
        (["a"], r"^classes\[0\] must be a dict$"),
        ([{"name": "a", "size": 1}], r"^classes\[0\] has unknown key\(s\): size \(known: name\)$"),
        ([{"name": "*"}], r"classes\[0\].name '\*' is not a valid Kubernetes name"),
        ([{"name": "ä"}], r"classes\[0\].name"),
        ([{"name": "all\n"}], r"classes\[0\].name 'all\\n' is not a valid Kubernetes name"),
        ([{}], r"classes\[0\].name None"),
        ([{"name": "a"}, {"name": "a"}], "^class 'a' is listed twice$"),
    ],
)
def test_named_entries_refuse_hostile_lists(entries, message):
    with pytest.raises(OwnError, match=message):
        list(render.named_entries(entries, "classes", "class", ("name",), OwnError))


@pytest.mark.parametrize(
    ("image", "parts"),
    [
        ("registry.k8s.io/sig-storage/csi-resizer:v1.8.0", ("registry.k8s.io/sig-storage/csi-resizer", "v1.8.0")),
        ("mirror.example:5000/sig/csi-resizer", ("mirror.example:5000/sig/csi-resizer", "latest")),
        ("mirror.example:5000/a:v1@sha256:abc", ("mirror.example:5000/a", "v1@sha256:abc")),
        ("nginx", ("nginx", "latest")),
    ],
)
def test_split_image_keeps_the_registry_port_and_the_digest(image, parts):
    assert render.split_image(image) == parts


@pytest.mark.parametrize("name", ["kube-system\n", "a.b\n"])
def test_require_name_refuses_a_trailing_newline(name):
    # re's "$" matches before a final newline: the name check must read the whole value.
    with pytest.raises(render.ManifestConfigError, match="is not a valid Kubernetes name"):
        render.require_name(name, "namespace", render.DNS_SUBDOMAIN, 253)
