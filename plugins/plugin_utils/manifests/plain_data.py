# -*- coding: utf-8 -*-
# Copyright: (c) 2026, lvmkube.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A copy of templated input as plain dicts and lists, for the code that changes its input's copy.

On the controller, ansible-core 2.19+ hands filters lazily templated containers that hold a Templar; deep-copying
them copies the Templar too, which ansible-core 2.21 deprecates (removal in 2.25: "Instantiating filter
PluginLoader with aliases is deprecated", raised from the Templar's plugin loaders in copy.deepcopy). Reading the
container item by item templates each value once and copies no Templar; the values themselves (str, int, bool,
None, also when tagged) are immutable and are not copied.
"""

from __future__ import annotations

from collections.abc import Mapping


def plain_copy(value):
    """value with every mapping turned into a new dict and every list or tuple into a new list, recursively."""
    if isinstance(value, Mapping):
        return {key: plain_copy(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain_copy(item) for item in value]
    return value
