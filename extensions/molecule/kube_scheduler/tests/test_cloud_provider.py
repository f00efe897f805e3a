# Copyright: (c) 2026, lvmkube.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""State of the VM after converge and idempotence of cloud_provider.yml (the kubelet is a test double)."""

from __future__ import annotations

KUBEADM = (
    'KUBELET_KUBEADM_ARGS="--container-runtime-endpoint=unix:///var/run/containerd/containerd.sock '
    '--pod-infra-container-image=registry.k8s.io/pause:3.10"\n'
)


def test_flags_file_gained_the_flag(host):
    text = host.file("/var/lib/kubelet/kubeadm-flags.env").content_string
    assert text == KUBEADM.replace('3.10"', '3.10 --cloud-provider=external"')


def test_absent_gave_the_kubeadm_text_back(host):
    assert host.file("/var/lib/kubelet-absent/kubeadm-flags.env").content_string == KUBEADM


def test_backups_hold_the_files_before_the_change(host):
    backups = host.check_output("ls /var/backups/lvmkube | grep '^kubeadm-flags.env.'").split()
    contents = sorted(host.file(f"/var/backups/lvmkube/{name}").content_string for name in backups)
    assert contents == sorted([KUBEADM, KUBEADM.replace('3.10"', '3.10 --cloud-provider=external"')])


def test_kubelet_double_restarted_once_for_the_change_and_not_on_the_second_run(host):
    assert host.service("kubelet-double").is_running
    starts = host.file("/var/lib/kubelet-double/starts").content_string.split()
    assert len(starts) == 2  # started by the scenario, restarted once by the role's handler
