# -*- coding: utf-8 -*-
# Copyright: (c) 2026, lvmkube.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The distribution a role uses: its own variable, lvmkube_distribution, one vocabulary."""

from __future__ import annotations

from ansible.errors import AnsibleFilterError
from ansible.utils.display import Display

from ansible_collections.lvmkube.cluster.plugins.plugin_utils import role_distribution as rd

display = Display()


def role_distribution(value, variable, shared="", serves=None, why=""):
    """The vocabulary's name of the distribution; fails on a conflict or a distribution the role cannot serve."""
    if not isinstance(variable, str) or not variable:
        raise AnsibleFilterError("role_distribution needs the name of the role variable")
    if serves is not None and (not isinstance(serves, (list, tuple)) or not serves):
        raise AnsibleFilterError("role_distribution: serves must be a non-empty list of distributions")
    try:
        name, notes = rd.choose(
            value, variable, shared, tuple(serves) if serves else rd.vocabulary.DISTRIBUTIONS, str(why or "")
        )
    except rd.RoleDistributionError as exc:
        raise AnsibleFilterError(str(exc)) from exc
    for note in notes:
        display.warning(note)
    return name


class FilterModule:
    """Distribution filters."""

    def filters(self):
        return {"role_distribution": role_distribution}
