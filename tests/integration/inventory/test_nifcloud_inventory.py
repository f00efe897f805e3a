# Copyright: (c) 2026, lvmkube.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""``ansible-inventory`` and ``ansible-playbook`` with the nifcloud plugin, as a user runs them.

The NIFCLOUD computing API is the double in nifcloud_api_double.py on 127.0.0.1: it checks the
signature version 2 on its own, answers DescribeInstances in XML and injects 500/503/401/malformed.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))

from inventory_cli import REPO, inventory_list, members, plain, run, write_source
from nifcloud_api_double import NifcloudApiDouble, instance
from playbook_helpers import said

pytestmark = pytest.mark.slow

KEY = "FUNCACCESSKEY0001"
SECRET = "func/secret+0f9e8d7c"
INJECTION = "{{ lookup('pipe','id') }}"

INSTANCES = {
    "jp-east-1": [
        instance(
            "master01",
            "east-11",
            public_ip="203.0.113.11",
            private_ip="10.0.0.11",
            itype="e-large",
            description="cluster=example role=control-plane etcd=true",
        ),
        instance(
            "node01",
            "east-12",
            public_ip="203.0.113.21",
            private_ip="10.0.0.21",
            description="cluster=example role=kube-node",
        ),
        instance(
            "node02", "east-12", private_ip="10.0.0.22", description=f"cluster=example role=kube-node {INJECTION}"
        ),
        instance("stopped01", "east-11", state="stopped", description="cluster=example"),
        instance("other01", "east-11", public_ip="203.0.113.99", description="cluster=other"),
    ],
    "jp-west-1": [
        instance(
            "node11",
            "west-11",
            public_ip="203.0.113.31",
            private_ip="10.1.0.31",
            description="cluster=example role=kube-node",
        ),
    ],
}


@pytest.fixture
def api():
    with NifcloudApiDouble(INSTANCES, KEY, SECRET) as double:
        yield double


def write_config(directory, api, **options):
    config = {
        "plugin": "lvmkube.cluster.nifcloud",
        "endpoint_template": api.endpoint_template,
        "regions": ["jp-east-1", "jp-west-1"],
    }
    config.update(options)
    return write_source(directory / "test.nifcloud.yml", config)


def test_list_signed_requests_groups_and_vars(api, tmp_path):
    path = write_config(tmp_path, api, labels={"cluster": "example"})
    result = inventory_list(path, tmp_path, env={"NIFCLOUD_ACCESS_KEY_ID": KEY, "NIFCLOUD_SECRET_ACCESS_KEY": SECRET})
    assert result.returncode == 0, result.stderr
    listing = json.loads(result.stdout)
    hostvars = plain(listing["_meta"]["hostvars"])
    assert set(hostvars) == {"master01", "node01", "node02", "stopped01", "node11"}
    # One signed POST per region, the secret never sent.
    assert sorted(r["region"] for r in api.requests) == ["jp-east-1", "jp-west-1"]
    assert all(r["content_type"] == "application/x-www-form-urlencoded" for r in api.requests)
    assert all(SECRET not in json.dumps(r["form"]) for r in api.requests)
    assert members(listing, "zone_east_12") == {"node01", "node02"}
    assert members(listing, "instance_type_e_large") == {"master01"}
    assert members(listing, "state_stopped") == {"stopped01"}
    assert members(listing, "role_kube_node") == {"node01", "node02", "node11"}
    assert members(listing, "etcd_true") == {"master01"}
    assert members(listing, "nifcloud") == set(hostvars)
    assert "cluster_other" not in listing
    master = hostvars["master01"]
    assert master["ansible_host"] == "203.0.113.11"
    assert master["nifcloud_instance_id"] == "master01"
    assert master["nifcloud_provider_id"].startswith("nifcloud:///east-11/i-")
    assert master["nifcloud_labels"] == {"cluster": "example", "role": "control-plane", "etcd": "true"}
    assert master["nifcloud_region"] == "jp-east-1"
    assert "ansible_host" not in hostvars["node02"]  # no public address
    assert "without an address" in result.stderr and "node02" in result.stderr


def test_private_connection_states_and_constructed(api, tmp_path):
    path = write_config(
        tmp_path,
        api,
        access_key=KEY,
        secret_access_key=SECRET,
        connect_with="private",
        states=["running"],
        labels={"cluster": "example"},
        groups={"kube_control_plane": "nifcloud_labels.role | default('') == 'control-plane'"},
        compose={"ip": "nifcloud_private_ip", "etcd_member_name": "nifcloud_instance_id"},
    )
    result = inventory_list(path, tmp_path)
    assert result.returncode == 0, result.stderr
    listing = json.loads(result.stdout)
    hostvars = plain(listing["_meta"]["hostvars"])
    assert "stopped01" not in hostvars
    assert hostvars["node02"]["ansible_host"] == "10.0.0.22"
    assert hostvars["node11"]["ip"] == "10.1.0.31"
    assert hostvars["master01"]["etcd_member_name"] == "master01"
    assert members(listing, "kube_control_plane") == {"master01"}


def test_refused_key_is_one_clear_error_without_the_secret(api, tmp_path):
    wrong = "wrong/secret-5a4b3c"
    path = write_config(tmp_path, api, access_key=KEY, secret_access_key=wrong)
    result = inventory_list(path, tmp_path)
    assert result.returncode != 0
    assert said(
        "NIFCLOUD API refused the access key or its signature (HTTP 401) for region jp-east-1, jp-west-1",
        result.stderr,
    )
    assert said("Client.SignatureDoesNotMatch", result.stderr)
    assert not said(wrong, result.stderr, result.stdout)


def test_missing_keys_and_unknown_region(api, tmp_path):
    result = inventory_list(write_config(tmp_path, api), tmp_path)
    assert result.returncode != 0 and said("no NIFCLOUD keys", result.stderr)
    path = tmp_path / "bad.nifcloud.yml"
    path.write_text(
        yaml.safe_dump(
            {
                "plugin": "lvmkube.cluster.nifcloud",
                "access_key": KEY,
                "secret_access_key": SECRET,
                "endpoint_template": api.endpoint_template,
            }
        )
    )
    result = inventory_list(str(path), tmp_path, env={"NIFCLOUD_DEFAULT_REGION": "east-1"})
    assert result.returncode != 0 and said("unknown NIFCLOUD region 'east-1'", result.stderr)
    assert api.requests == []


def test_retries_then_gives_up_and_malformed(api, tmp_path):
    api.inject("jp-east-1", "503", "500")
    path = write_config(tmp_path, api, access_key=KEY, secret_access_key=SECRET, regions=["jp-east-1"])
    result = inventory_list(path, tmp_path)
    assert result.returncode == 0, result.stderr
    assert len(api.requests) == 3
    api.inject("jp-east-1", "503", "503", "503")
    result = inventory_list(path, tmp_path)
    assert result.returncode != 0
    assert said(
        f"{api.endpoint_template.format(region='jp-east-1')} answered HTTP 503 (region jp-east-1) after 3 attempts: "
        "Server.Unavailable",
        result.stderr,
    )
    api.inject("jp-east-1", "malformed")
    result = inventory_list(path, tmp_path)
    assert result.returncode != 0
    assert said("returned an unexpected answer (region jp-east-1): the answer is not valid XML", result.stderr)


def test_cache_and_playbook_never_templates_descriptions(api, tmp_path):
    path = write_config(
        tmp_path,
        api,
        access_key=KEY,
        secret_access_key=SECRET,
        cache=True,
        cache_plugin="ansible.builtin.jsonfile",
        cache_connection=str(tmp_path / "cache"),
    )
    first = inventory_list(path, tmp_path)
    assert first.returncode == 0, first.stderr
    assert len(api.requests) == 2
    assert all(SECRET not in p.read_text() and KEY not in p.name for p in (tmp_path / "cache").iterdir())
    playbook = tmp_path / "show.yml"
    playbook.write_text(
        "- name: Show what the inventory says\n"
        "  hosts: node02\n"
        "  gather_facts: false\n"
        "  tasks:\n"
        "    - name: Print the description\n"
        "      ansible.builtin.debug:\n"
        '        msg: "DESC={{ nifcloud_description }} ID={{ nifcloud_instance_id }}"\n'
    )
    result = run("ansible-playbook", "-i", path, str(playbook), home=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"DESC=cluster=example role=kube-node {INJECTION} ID=node02" in result.stdout
    assert "uid=" not in result.stdout
    assert len(api.requests) == 2  # the playbook's inventory came from the cache


def test_example_inventory_gives_kubespray_groups(api, tmp_path):
    config = yaml.safe_load((REPO / "inventories" / "nifcloud-api" / "nifcloud.yml").read_text())
    config.update(endpoint_template=api.endpoint_template, regions=["jp-east-1", "jp-west-1"])
    path = tmp_path / "example.nifcloud.yml"
    path.write_text(yaml.safe_dump(config))
    result = inventory_list(
        str(path), tmp_path, env={"NIFCLOUD_ACCESS_KEY_ID": KEY, "NIFCLOUD_SECRET_ACCESS_KEY": SECRET}
    )
    assert result.returncode == 0, result.stderr
    listing = json.loads(result.stdout)
    assert members(listing, "kube_control_plane") == {"master01"}
    assert members(listing, "kube_node") == {"master01", "node01", "node02", "node11"}
    assert members(listing, "etcd") == {"master01"}
    assert members(listing, "k8s_cluster") == members(listing, "kube_node")
    assert members(listing, "lvmkube_storage") == {"node01", "node02", "node11"}
    hostvars = plain(listing["_meta"]["hostvars"])
    assert (hostvars["node01"]["ip"], hostvars["node01"]["access_ip"]) == ("10.0.0.21", "10.0.0.21")
