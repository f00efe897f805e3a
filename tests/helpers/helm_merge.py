# Copyright: (c) 2026, lvmkube.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A double of Helm's merge of given values into a chart's values.yaml, for unit tests.

Written from helm/helm pkg/chart/common/util/coalesce.go (coalesceValues, coalesceTablesFullKey; commit
a97ed11efd1db9fe220e73b7cff4c7299ad881d0): a map given
where the chart has a map is merged key by key; a key given as null deletes the chart's key; anything else
(lists, scalars, a list given where the chart has a map) replaces the chart's value. tests/integration/helm_values
checks this double against the real helm v4 on our test charts.
"""

from __future__ import annotations

import copy


def coalesce(chart, given):
    """The values a template sees: ``given`` merged over the chart's defaults ``chart``."""
    result = copy.deepcopy(chart)
    for key, value in given.items():
        if value is None:
            result.pop(key, None)
        elif isinstance(value, dict) and isinstance(result.get(key), dict):
            result[key] = coalesce(result[key], value)
        else:
            result[key] = _drop_nulls(value)
    return result


def _drop_nulls(value):
    if isinstance(value, dict):
        return {k: _drop_nulls(v) for k, v in value.items() if v is not None}
    return copy.deepcopy(value)


def value_at(values, path, default=None):
    """The value at a dotted path of nested dicts (a tuple of keys), ``default`` when a key is missing."""
    for key in path:
        if not isinstance(values, dict) or key not in values:
            return default
        values = values[key]
    return values


def merged_at(chart_default, values, path):
    """What a template of the chart reads at ``path`` after Helm's merge of ``values`` with its default there."""
    given = value_at(values, path, default=_MISSING)
    if given is _MISSING:
        return copy.deepcopy(chart_default)
    return coalesce({"v": chart_default}, {"v": given}).get("v")


_MISSING = object()
