# Copyright: (c) 2026, lvmkube.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Package names by distribution: the roles' tasks/os_packages.yml with the facts of several systems.

One ansible-playbook run on five local hosts, each given the distribution facts ansible's setup
module reports on that system (Ubuntu 24.04 and 22.04, Debian 12 and 13, Rocky Linux 9). The real
include_vars/first_found of lvm, kube_prereqs and kube_scheduler runs; the play records what each
role would install, or the error it stops with.
"""

from __future__ import annotations

import json

import pytest
from playbook_helpers import json_output, run_playbook

pytestmark = pytest.mark.slow

# The facts of ansible.builtin.setup (gather_subset distribution) on each system, as ansible_facts holds them.
FACTS = {
    "ubuntu2404": {"distribution": "Ubuntu", "distribution_version": "24.04", "distribution_major_version": "24",
                   "distribution_release": "noble", "os_family": "Debian"},
    "ubuntu2204": {"distribution": "Ubuntu", "distribution_version": "22.04", "distribution_major_version": "22",
                   "distribution_release": "jammy", "os_family": "Debian"},
    "debian12": {"distribution": "Debian", "distribution_version": "12.11", "distribution_major_version": "12",
                 "distribution_release": "bookworm", "os_family": "Debian"},
    "debian13": {"distribution": "Debian", "distribution_version": "13.1", "distribution_major_version": "13",
                 "distribution_release": "trixie", "os_family": "Debian"},
    "rocky9": {"distribution": "Rocky", "distribution_version": "9.4", "distribution_major_version": "9",
               "distribution_release": "Blue Onyx", "os_family": "RedHat"},
}  # fmt: skip

# role -> the internal fact holding what the role installs
ROLES = {
    "lvm": "lvm__packages",
    "kube_prereqs": "kube_prereqs__nfs_client_package",
    "kube_scheduler": "kube_scheduler__packages",
}

BLOCK = """
    - name: "{role}"
      block:
        - name: "Include the os_packages tasks of {role}"
          ansible.builtin.include_role:
            name: lvmkube.cluster.{role}
            tasks_from: os_packages
            public: true
          vars:
            ansible_facts: "{{{{ lab_facts[inventory_hostname] }}}}"
        - name: "Record {role}"
          ansible.builtin.set_fact:
            found: "{{{{ found | combine({{'{role}': {{'installs': {fact}, 'files': {role}__os_vars_files}}}}) }}}}"
          vars:
            ansible_facts: "{{{{ lab_facts[inventory_hostname] }}}}"
      rescue:
        - name: "Record the refusal of {role}"
          ansible.builtin.set_fact:
            found: "{{{{ found | combine({{'{role}': {{'error': ansible_failed_result.msg}}}}) }}}}"
"""


@pytest.fixture(scope="module")
def outcomes(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("os_packages")
    play = (
        "- name: Package names by distribution\n  hosts: all\n  gather_facts: false\n"
        "  vars:\n    found: {}\n  tasks:"
        + "".join(BLOCK.format(role=role, fact=fact) for role, fact in ROLES.items())
        + "    - name: Report\n      ansible.builtin.debug:\n        var: found\n"
    )
    playbook = tmp / "play.yml"
    playbook.write_text(play)
    extra = tmp / "facts.json"
    extra.write_text(json.dumps({"lab_facts": FACTS}))
    inventory = ",".join(FACTS) + ","
    proc = run_playbook(
        playbook, "-c", "local", "-e", f"@{extra}", inventory=inventory, callback="ansible.builtin.json"
    )
    assert proc.returncode == 0, proc.stdout[-4000:] + proc.stderr[-2000:]
    report = json_output(proc)["plays"][0]["tasks"][-1]["hosts"]
    return {host: result["found"] for host, result in report.items()}


@pytest.mark.parametrize("host", ["ubuntu2404", "ubuntu2204", "debian12", "debian13"])
def test_debian_family_gets_the_debian_names(outcomes, host):
    found = outcomes[host]
    assert found["lvm"]["installs"] == ["lvm2", "thin-provisioning-tools"]
    assert found["kube_prereqs"]["installs"] == "nfs-common"
    assert found["kube_scheduler"]["installs"] == ["python3-yaml"]


def test_most_specific_file_is_tried_first(outcomes):
    assert outcomes["ubuntu2404"]["lvm"]["files"] == ["Ubuntu-24.04.yml", "Ubuntu-24.yml", "Ubuntu.yml", "Debian.yml"]
    assert outcomes["debian13"]["kube_scheduler"]["files"] == [
        "Debian-13.1.yml",
        "Debian-13.yml",
        "Debian.yml",
        "Debian.yml",
    ]


REFUSALS = [
    ("lvm", "lvm_packages"),
    ("kube_prereqs", "kube_prereqs_nfs_client_package"),
    ("kube_scheduler", "kube_scheduler_packages"),
]


@pytest.mark.parametrize(("role", "variable"), REFUSALS)
def test_unsupported_family_is_refused_with_its_name(outcomes, role, variable):
    error = outcomes["rocky9"][role]["error"]
    assert "installs" not in outcomes["rocky9"][role]
    assert error.startswith(f"{role}: no package names for Rocky 9.4 (os_family RedHat) on rocky9")
    assert "Rocky-9.4.yml, Rocky-9.yml, Rocky.yml, RedHat.yml" in error
    assert f"Set {variable} to" in error and "Nothing was changed." in error
