# Copyright: (c) 2026, lvmkube.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Cache keys and the rule that strings from an API never become trusted templates."""

from __future__ import annotations

from ansible.parsing.dataloader import DataLoader
from ansible.template import Templar
from helpers.ansible_compat import HAS_DATA_TAGGING

from ansible_collections.lvmkube.cluster.plugins.plugin_utils.inventory import cache as inventory_cache


def test_digest_is_stable_and_covers_every_value():
    assert (
        inventory_cache.digest(["a", {"b": 1}])
        == inventory_cache.digest(["a", {"b": 1}])
        != inventory_cache.digest(["a", {"b": 2}])
    )


def test_entry_key_joins_the_file_key_and_the_fingerprint():
    assert inventory_cache.entry_key("lvmkube_sakuracloud_abc", "f" * 64) == "lvmkube_sakuracloud_abc_" + "f" * 32


def test_data_is_marked_unsafe_unless_data_tagging_keeps_it_untrusted():
    # Both code paths: ansible-core 2.19+ (data tagging) leaves fetched strings untrusted as they are, and so does a
    # plain JSON cache; another cache plugin may restore trust, and older cores need the explicit wrap.
    assert inventory_cache.HAS_DATA_TAGGING is HAS_DATA_TAGGING
    assert inventory_cache.must_mark_unsafe(False, None) is not HAS_DATA_TAGGING
    assert inventory_cache.must_mark_unsafe(True, "ansible.builtin.jsonfile") is not HAS_DATA_TAGGING
    assert inventory_cache.must_mark_unsafe(True, "community.general.redis") is True
    assert inventory_cache.unsafe({"a": "b"}, False) == {"a": "b"}
    wrapped = inventory_cache.unsafe({"a": "{{ 1 + 1 }}"}, True)["a"]
    assert Templar(loader=DataLoader(), variables={}).template(wrapped) == "{{ 1 + 1 }}"
