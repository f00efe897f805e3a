# Copyright: (c) 2026, lvmkube.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""NIFCLOUD description labels: the ``key=value`` words, the groups they make (property-based), the filter."""

from __future__ import annotations

from helpers.hostile import FAST, hostile_text
from hypothesis import given

from ansible_collections.lvmkube.cluster.plugins.plugin_utils.nifcloud import labels as nifcloud_labels


def test_description_labels():
    assert nifcloud_labels.description_labels("cluster=example role=kube-node,etcd=true\nnote: free text =x") == {
        "cluster": "example",
        "role": "kube-node",
        "etcd": "true",
    }
    assert nifcloud_labels.description_labels("a=1 a=2") == {"a": "2"}
    assert nifcloud_labels.description_labels(None) == {}


@FAST
@given(hostile_text)
def test_nifcloud_label_groups_are_identifiers(description):
    labels = nifcloud_labels.description_labels(description)
    for _label, group in nifcloud_labels.label_groups(labels):
        assert group.isidentifier() and group.isascii()
