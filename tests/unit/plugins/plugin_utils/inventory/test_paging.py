# Copyright: (c) 2026, lvmkube.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Paging accounting against APIs that ignore ``From``, lie in ``Total`` or stop early (property-based)."""

from __future__ import annotations

from helpers.hostile import FAST
from hypothesis import given
from hypothesis import strategies as st

from ansible_collections.lvmkube.cluster.plugins.plugin_utils.inventory import paging


@FAST
@given(st.lists(st.lists(st.integers(1, 30), max_size=5), max_size=8), st.integers(0, 40))
def test_paging_never_lists_an_id_twice_and_ends_or_fails(pages, total):
    seen, listed = set(), []
    offset = 0
    for ids in pages:
        items = [{"ID": i} for i in ids]
        try:
            fresh, complete = paging.add_page(seen, items, total, offset)
        except ValueError as exc:
            assert str(total) in str(exc)
            return
        listed.extend(item["ID"] for item in fresh)
        offset += len(items)
        if complete:
            assert len(listed) == total
            break
    assert len(listed) == len(set(listed)) <= total
