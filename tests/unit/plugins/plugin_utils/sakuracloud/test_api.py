# Copyright: (c) 2026, lvmkube.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The Sakura Cloud server API as the inventory reads it: the find query, the URL of a zone, error bodies, pages."""

from __future__ import annotations

import json
from urllib.parse import unquote

import pytest

from ansible_collections.lvmkube.cluster.plugins.plugin_utils.sakuracloud import api


def test_find_query_is_url_encoded_json():
    query = api.find_query(2000, 1000)
    assert "{" not in query and " " not in query
    body = json.loads(unquote(query))
    assert body["From"] == 2000
    assert body["Count"] == 1000
    assert set(body) == {"From", "Count", "Sort", "Filter", "Include"}
    assert "Interfaces" in body["Include"]


def test_find_query_sends_the_tags_as_the_sdk_filter():
    tags = api.filter_tags("@cluster=ex", ["etcd", "@cluster=ex"])
    assert tags == ["@cluster=ex", "etcd"]
    body = json.loads(unquote(api.find_query(0, 100, tags)))
    # iaas-api-go search.TagsAndEqual: the tag list is the one element of the condition.
    assert body["Filter"] == {"Tags.Name": [["@cluster=ex", "etcd"]]}
    assert json.loads(unquote(api.find_query(0, 100)))["Filter"] == {}
    assert api.filter_tags(None, []) == []


def test_api_error_message():
    body = json.dumps(
        {"is_fatal": True, "serial": "x", "status": "404 Not Found", "error_code": "not_found", "error_msg": "missing"}
    )
    assert api.api_error_message(body) == "not_found: missing"
    assert api.api_error_message("<html>") is None
    assert api.api_error_message("[]") is None


def test_page_servers_validation():
    assert api.page_servers({"Total": 2, "Servers": [{"ID": 1}]}) == ([{"ID": 1}], 2)
    assert api.page_servers({"Total": 0, "Servers": None}) == ([], 0)
    with pytest.raises(ValueError, match="not a JSON object"):
        api.page_servers([])
    with pytest.raises(ValueError, match="Servers"):
        api.page_servers({"Total": 1, "Servers": {}})
    with pytest.raises(ValueError, match="Total"):
        api.page_servers({"Servers": []})


def test_urls():
    assert (
        api.server_list_url("https://secure.sakura.ad.jp/cloud/zone/", "is1a")
        == "https://secure.sakura.ad.jp/cloud/zone/is1a/api/cloud/1.1/server"
    )
