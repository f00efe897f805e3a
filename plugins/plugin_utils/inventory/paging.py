# -*- coding: utf-8 -*-
# Copyright: (c) 2026, lvmkube.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Accounting for the pages of a paged server list: each ID once, no more than ``Total``, no partial list."""

from __future__ import annotations


def add_page(seen, items, total, offset):
    """Account for one page of a paged list; return the new servers (each ID once) and whether the list is complete.

    ``seen`` is the set of IDs listed so far (updated). Raises ValueError, with
    the numbers, when a page repeats an ID (an API that ignores ``From``), when
    more servers came than ``Total`` says, or when a page is empty before
    ``Total`` servers came (a partial list). ``ID`` must be present (see the
    plugin's shape checks).
    """
    fresh = []
    for item in items:
        item_id = item.get("ID") if isinstance(item, dict) else None
        if item_id in seen:
            raise ValueError(
                f"the page from {offset} repeats server {item_id} ({len(seen)} servers listed, Total {total}); "
                "the API ignored the paging"
            )
        seen.add(item_id)
        fresh.append(item)
    if len(seen) > total:
        raise ValueError(f"the API listed {len(seen)} servers but its Total says {total}")
    if not items and len(seen) < total:
        raise ValueError(f"the page from {offset} is empty after {len(seen)} servers of Total {total} (a partial list)")
    return fresh, len(seen) >= total
