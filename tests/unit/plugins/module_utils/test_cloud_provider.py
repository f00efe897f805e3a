# Copyright: (c) 2026, lvmkube.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Kubelet flag edits in the files kubeadm and the kubelet packages write (the controller side, the node-name rule,
the kubeadm snippet and the kubespray variables, is tested in plugins/plugin_utils/test_cloud_provider.py)."""

from __future__ import annotations

import pytest

from ansible_collections.lvmkube.cluster.plugins.module_utils import cloud_provider as cp

# The shape kubeadm writes (cmd/kubeadm/app/phases/kubelet/flags.go: KUBELET_KUBEADM_ARGS=%q of the joined flags).
KUBEADM = (
    'KUBELET_KUBEADM_ARGS="--container-runtime-endpoint=unix:///var/run/containerd/containerd.sock '
    '--pod-infra-container-image=registry.k8s.io/pause:3.10"\n'
)
WANTED = {"cloud-provider": "external"}


def test_flag_is_appended_and_removed_back_to_the_original():
    after = cp.edit_env_flags(KUBEADM, "KUBELET_KUBEADM_ARGS", WANTED)
    assert after == KUBEADM.replace('3.10"', '3.10 --cloud-provider=external"')
    assert cp.edit_env_flags(after, "KUBELET_KUBEADM_ARGS", WANTED) == after
    assert cp.edit_env_flags(after, "KUBELET_KUBEADM_ARGS", WANTED, "absent") == KUBEADM
    assert cp.edit_env_flags(KUBEADM, "KUBELET_KUBEADM_ARGS", WANTED, "absent") == KUBEADM


def test_existing_flag_keeps_its_place_and_other_lines_stay():
    text = '# comment\nKUBELET_KUBEADM_ARGS="--cloud-provider=aws --v=2"\nOTHER=1\n'
    assert (
        cp.edit_env_flags(text, "KUBELET_KUBEADM_ARGS", WANTED)
        == '# comment\nKUBELET_KUBEADM_ARGS="--cloud-provider=external --v=2"\nOTHER=1\n'
    )


@pytest.mark.parametrize(
    ("before", "after"),
    [
        ("KUBELET_EXTRA_ARGS=\n", "KUBELET_EXTRA_ARGS=--cloud-provider=external\n"),
        ("KUBELET_EXTRA_ARGS='--v=2'\n", "KUBELET_EXTRA_ARGS='--v=2 --cloud-provider=external'\n"),
        ("# only a comment\n", '# only a comment\nKUBELET_EXTRA_ARGS="--cloud-provider=external"\n'),
        ("", 'KUBELET_EXTRA_ARGS="--cloud-provider=external"\n'),
    ],
)
def test_extra_args_files_keep_their_quoting(before, after):
    edited = cp.edit_env_flags(before, "KUBELET_EXTRA_ARGS", WANTED)
    assert edited == after
    removed = cp.edit_env_flags(edited, "KUBELET_EXTRA_ARGS", WANTED, "absent")
    assert cp.parse_env_flags(removed, "KUBELET_EXTRA_ARGS") in (None, [], [("v", "2")])
    if "KUBELET_EXTRA_ARGS" in before:
        assert removed == before


def test_escaped_quotes_survive():
    text = 'KUBELET_KUBEADM_ARGS="--node-labels=a=\\"b\\""\n'
    assert cp.parse_env_flags(text, "KUBELET_KUBEADM_ARGS") == [("node-labels", 'a="b"')]
    edited = cp.edit_env_flags(text, "KUBELET_KUBEADM_ARGS", WANTED)
    assert edited == 'KUBELET_KUBEADM_ARGS="--node-labels=a=\\"b\\" --cloud-provider=external"\n'


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('KUBELET_KUBEADM_ARGS="--v=2\n', "no closing quote"),
        ('KUBELET_KUBEADM_ARGS="--v=2" x\n', "after the closing quote"),
        ("KUBELET_KUBEADM_ARGS=--v=2 --a=b\n", "unquoted value"),
        ('KUBELET_KUBEADM_ARGS="v=2"\n', "not a --flag"),
        ('KUBELET_KUBEADM_ARGS="--cloud-provider=a --cloud-provider=b"\n', "more than once"),
    ],
)
def test_files_that_cannot_be_edited_safely_are_refused(text, message):
    with pytest.raises(cp.KubeletFlagsError, match=message):
        cp.edit_env_flags(text, "KUBELET_KUBEADM_ARGS", WANTED)


@pytest.mark.parametrize("flags", [{}, {"--cloud-provider": "external"}, {"cloud-provider": "a b"}])
def test_bad_wanted_flags_are_refused(flags):
    with pytest.raises(cp.KubeletFlagsError):
        cp.edit_env_flags(KUBEADM, "KUBELET_KUBEADM_ARGS", flags)
