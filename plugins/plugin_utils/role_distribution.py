# -*- coding: utf-8 -*-
# Copyright: (c) 2026, lvmkube.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""How a role decides its distribution: the collection-wide ``lvmkube_distribution`` and the role's own
``<role>_distribution`` (an alias kept for older inventories), one vocabulary (module_utils/distribution.py).

Rules, the same for every role:

- the role variable defaults to ``lvmkube_distribution`` (``kubeadm`` when that is unset too);
- both are checked against the vocabulary (deprecated spellings give their new name);
- when ``lvmkube_distribution`` is set and the role variable names another distribution, that is an error, not a
  silent choice: a leftover ``topolvm_distribution`` in one group's vars would otherwise place TopoLVM for one
  distribution while the other roles configure another;
- a role variable set without ``lvmkube_distribution`` keeps working, with a note that it is deprecated;
- a distribution the role cannot serve is refused, naming the variable, before the role changes anything.
"""

from __future__ import annotations

from ansible_collections.lvmkube.cluster.plugins.module_utils import distribution as vocabulary

SHARED = "lvmkube_distribution"
DEFAULT = "kubeadm"


class RoleDistributionError(ValueError):
    """The role cannot use the distribution it was given."""


def _canonical(value, where, error=RoleDistributionError):
    try:
        return vocabulary.canonical(value, where)
    except vocabulary.DistributionError as exc:
        raise error(str(exc)) from exc


def served(value, where, serves=vocabulary.DISTRIBUTIONS, why="", error=RoleDistributionError):
    """The vocabulary's name for ``value`` when it is one of ``serves``; else ``error`` naming ``where``."""
    name = _canonical(value, where, error)
    allowed = tuple(vocabulary.canonical(item, "serves") for item in serves)
    if name not in allowed:
        raise error(
            f"{where}: {value!r} is a distribution this role cannot serve; it serves {', '.join(allowed)}."
            + (f" {why}" if why else "")
            + " Nothing was changed."
        )
    return name


def choose(value, variable, shared="", serves=vocabulary.DISTRIBUTIONS, why=""):
    """(name, notes): the distribution a role uses, and notes for the operator (deprecations).

    ``value`` is the role variable ``variable`` (its default is ``lvmkube_distribution``), ``shared`` the value of
    ``lvmkube_distribution`` or empty when it is unset.
    """
    notes = []
    if shared not in (None, ""):
        shared_name = _canonical(shared, SHARED)
        if _canonical(value, variable) != shared_name:
            raise RoleDistributionError(
                f"{variable}={value!r} disagrees with {SHARED}={shared!r}: the role variable is an older alias of"
                f" {SHARED}; remove it (or make it {shared_name}). Nothing was changed."
            )
        name = served(value, f"{variable} (from {SHARED})", serves, why)
    else:
        name = served(value, variable, serves, why)
        if name != DEFAULT:
            notes.append(
                f"{variable} is deprecated: set {SHARED}: {name} once (group_vars/all) for every role of"
                " lvmkube.cluster; the role variable keeps working until then."
            )
    if vocabulary.is_deprecated(value):
        notes.append(f"{variable}: {value!r} is a deprecated spelling of {name}.")
    return name, notes
