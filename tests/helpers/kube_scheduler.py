# Copyright: (c) 2026, lvmkube.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What the kube_scheduler tests share: the fixture directory and the role's default file locations."""

from __future__ import annotations

from pathlib import Path

import yaml

from ansible_collections.lvmkube.cluster.plugins.module_utils.kube_scheduler import registry

# Files in the exact shapes kubeadm, kubespray, RKE1, RKE2 and Rancher write (tests/unit/fixtures/kube_scheduler).
FIXTURES = Path(__file__).resolve().parents[1] / "unit" / "fixtures" / "kube_scheduler"
# kube_scheduler_config_dir's default and the configuration file in it (kube_scheduler_file_names).
CONFIG_DIR = "/etc/kubernetes/scheduler"
CONFIG_FILE = CONFIG_DIR + "/scheduler-config.yaml"


def fixture_text(name: str) -> str:
    """The text of one fixture file."""
    return (FIXTURES / name).read_text(encoding="utf-8")


def fixture_yaml(name: str):
    """One fixture file, parsed."""
    return yaml.safe_load(fixture_text(name))


def render(k8s_version, distribution, extender_url, weight, capacity_resource, config_dir, **kwargs):  # noqa: PLR0917
    """The configuration files the backend of distribution renders (what the role's filter asks for)."""
    return registry.backend(distribution).render(
        k8s_version, extender_url, weight, capacity_resource, config_dir, **kwargs
    )


# The role's variables that point a localhost run into a scratch directory ({tmp}) and at the health double
# ({url}), as lines of a role's `vars:` (8 spaces in), for the integration tests' PLAY format strings.
LOCAL_ROLE_VARS = """\
        kube_scheduler_config_dir: {tmp}/scheduler
        kube_scheduler_backup_dir: {tmp}/backups
        kube_scheduler_pod_log_dir: {tmp}/pods
        kube_scheduler_health_url: {url}
        kube_scheduler_health_settle_seconds: 0
        kube_scheduler_health_retries: 3
        kube_scheduler_health_delay: 1
"""

# The head of every play the integration tests run: the kube_scheduler role on localhost, its state from the
# extra variable `state` (present unless `-e state=absent`). The text is a format string, as the parts are.
_PLAY_HEAD = """
- name: {name}
  hosts: localhost
  gather_facts: false
  roles:
    - role: lvmkube.cluster.kube_scheduler
      vars:
        kube_scheduler_state: "{{{{{{{{ state | default('present') }}}}}}}}"
"""


def role_play(name: str, role_vars: str) -> str:
    """A play running the kube_scheduler role on localhost with role_vars (lines 8 spaces in), as a format string:
    the caller fills in its own fields ({tmp}, {url}, ...) with str.format."""
    return _PLAY_HEAD.format(name=name) + role_vars
