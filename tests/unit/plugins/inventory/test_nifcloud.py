# Copyright: (c) 2026, lvmkube.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Whole parses of the nifcloud inventory plugin into a real InventoryData.

The network is replaced at the seam ``client.fetch_instances`` (plugin_utils/nifcloud/client.py), which returns the
instances of a DescribeInstances answer parsed by the plugin's own parser; option handling, filtering, groups, host
variables and the cache run for real.
"""

from __future__ import annotations

import sys

import pytest
from ansible.errors import AnsibleError
from ansible.parsing.dataloader import DataLoader
from ansible.plugins.loader import inventory_loader
from ansible.template import Templar
from helpers.cloud_answers import ANSWER
from helpers.inventory_source import members, parse_source

NAME = "lvmkube.cluster.nifcloud"


@pytest.fixture
def fake_api(loader_ready, monkeypatch):
    module = sys.modules[type(inventory_loader.get(NAME)).__module__]
    calls = []

    def fetch(settings):
        calls.append(settings)
        instances = module.api.parse_instances(ANSWER)
        return {region: instances for region in settings["regions"]}

    monkeypatch.setattr(module.client, "fetch_instances", fetch)
    for name in ("NIFCLOUD_ACCESS_KEY_ID", "NIFCLOUD_SECRET_ACCESS_KEY", "NIFCLOUD_DEFAULT_REGION"):
        monkeypatch.delenv(name, raising=False)
    return calls


def parse(tmp_path, **options):
    config = dict({"plugin": NAME, "access_key": "KEY1", "secret_access_key": "SECRET1"}, **options)
    return parse_source(tmp_path / "test.nifcloud.yml", config)


def test_verify_file_needs_the_suffix(loader_ready, tmp_path):
    other = tmp_path / "hosts.yml"
    other.write_text("plugin: lvmkube.cluster.nifcloud\n")
    assert not inventory_loader.get(NAME).verify_file(str(other))


def test_groups_and_host_vars(fake_api, tmp_path):
    inv = parse(tmp_path)
    assert members(inv, "nifcloud") == ["db01", "web01"]
    assert members(inv, "zone_east_11") == members(inv, "role_kube_node") == ["web01"]
    assert members(inv, "state_stopped") == ["db01"]
    web = inv.hosts["web01"].vars
    assert web["ansible_host"] == "203.0.113.11"
    assert web["nifcloud_provider_id"] == "nifcloud:///east-11/i-abcd1234"
    assert web["nifcloud_region"] == "jp-east-1"
    assert "ansible_host" not in inv.hosts["db01"].vars
    # A description that looks like a template stays text.
    templar = Templar(loader=DataLoader(), variables={})
    assert "{{ lookup('pipe','id') }}" in templar.template(web["nifcloud_description"])


def test_filters_and_connect_with(fake_api, tmp_path):
    inv = parse(tmp_path, states=["running"], labels={"cluster": "example"}, connect_with="private")
    assert sorted(inv.hosts) == ["web01"]
    assert inv.hosts["web01"].vars["ansible_host"] == "10.0.0.11"
    assert sorted(parse(tmp_path, labels={"cluster": "other"}).hosts) == []


def test_an_instance_listed_in_two_regions_is_kept_once(fake_api, tmp_path, capsys):
    inv = parse(tmp_path, regions=["jp-east-1", "jp-west-1"])
    assert sorted(inv.hosts) == ["db01", "web01"]
    assert inv.hosts["web01"].vars["nifcloud_region"] == "jp-east-1"
    assert "listed in more than one region" in capsys.readouterr().err


def test_options_are_checked_before_any_request(fake_api, tmp_path):
    with pytest.raises(AnsibleError, match="no NIFCLOUD keys"):
        parse(tmp_path, secret_access_key=None)
    with pytest.raises(AnsibleError, match="retries must not be negative, got -1"):
        parse(tmp_path, retries=-1)
    with pytest.raises(AnsibleError, match="timeout must be at least 1, got 0"):
        parse(tmp_path, timeout=0)
    with pytest.raises(AnsibleError, match="invalid variable name"):
        parse(tmp_path, hostvars_prefix="1")
    assert fake_api == []


def test_cache_serves_second_parse_without_fetch(fake_api, tmp_path):
    cache = {"cache": True, "cache_plugin": "ansible.builtin.jsonfile", "cache_connection": str(tmp_path / "cache")}
    first = parse(tmp_path, **cache)
    second = parse(tmp_path, **cache)
    assert len(fake_api) == 1 and sorted(second.hosts) == sorted(first.hosts)
    assert all("SECRET1" not in path.read_text() + path.name for path in (tmp_path / "cache").iterdir())
    parse(tmp_path, access_key="KEY2", **cache)
    assert len(fake_api) == 2
