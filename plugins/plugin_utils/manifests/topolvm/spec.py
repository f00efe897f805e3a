# -*- coding: utf-8 -*-
# Copyright: (c) 2026, lvmkube.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The TopoLVM settings as the role's argument spec declares them.

``roles/topolvm/meta/argument_specs.yml`` is the one home of every setting's name, type, choices and default: the
settings dict holds one key per option of its ``main`` entry point (the variable name without ``topolvm_``), and
this module reads them from there. Nothing in the collection's Python repeats a name list or a default.
"""

from __future__ import annotations

import functools
import os
import re

import yaml
from ansible.module_utils.common.arg_spec import ArgumentSpecValidator

PREFIX = "topolvm_"
SPEC_FILE = os.path.join(
    os.path.dirname(__file__), "..", "..", "..", "..", "roles", "topolvm", "meta", "argument_specs.yml"
)
# What a setting without a usable default in the spec starts as: its type's empty value. A templated default
# (device_classes and nodes read the inventory; render_dir the playbook's folder) is the role's to evaluate.
_EMPTY = {"list": list, "dict": dict, "str": str, "path": str}


class SpecError(ValueError):
    """A settings dict that the argument spec does not describe."""


# A templated default's fallback literal: ``... | default('value') }}`` at its end.
_TEMPLATE_FALLBACK = re.compile(r"\|\s*default\(\s*'([^'{}]*)'\s*\)\s*\}\}\s*$")


@functools.cache
def _options():
    with open(SPEC_FILE, encoding="utf-8") as handle:
        options = yaml.safe_load(handle)["argument_specs"]["main"]["options"]
    return {name[len(PREFIX) :]: option for name, option in options.items()}


def options():
    """``{setting: option}``: the argument spec's options of the role, names without the prefix (a copy)."""
    return {name: dict(option) for name, option in _options().items()}


def names():
    """Every setting's name, in the argument spec's order."""
    return tuple(_options())


def of_type(kind):
    """The settings whose ``type`` is ``kind`` (``bool``, ``int``, ``float``, ...)."""
    return tuple(name for name, option in _options().items() if option.get("type", "str") == kind)


def choices(name):
    """The choices the argument spec allows for one setting (empty: any value of its type)."""
    return tuple(_options()[name].get("choices") or ())


def default(name):
    """One setting's default: the argument spec's; for a templated one, the literal it falls back to
    (``{{ lvmkube_distribution | default('kubeadm') }}`` gives ``kubeadm``) or else its type's empty value, as for
    an absent one."""
    option = _options()[name]
    value = option.get("default")
    if isinstance(value, str) and "{{" in value:
        fallback = _TEMPLATE_FALLBACK.search(value)
        if fallback:
            return fallback.group(1)
        value = None
    if value is None:
        return _EMPTY.get(option.get("type", "str"), lambda: None)()
    return yaml.safe_load(yaml.safe_dump(value))  # a fresh copy: callers may change it


def check_names(config):
    """Refuse a dict whose keys are not exactly the settings."""
    unknown = sorted(set(config) - set(_options()))
    if unknown:
        raise SpecError(f"unknown TopoLVM setting(s): {', '.join(unknown)}")
    missing = sorted(set(_options()) - set(config))
    if missing:
        raise SpecError(f"missing TopoLVM setting(s): {', '.join(missing)}")


def with_defaults(config):
    """Every setting: the given ones (None meaning not given) over the argument spec's defaults.

    Keys the spec does not know are kept, for :func:`check_names` to refuse them."""
    given = {name: value for name, value in config.items() if value is not None}
    return {**{name: default(name) for name in _options()}, **given}


def from_role(variables):
    """The settings from the role's variables (``{topolvm_<name>: value}``); other variables are left out, an option
    not given takes the spec's default.

    The values are converted as ansible-core converts role arguments when it validates them against the same
    argument spec (``ArgumentSpecValidator``: ``"yes"`` or ``"false"`` of an inventory or ``-e`` for a bool, text
    digits for an int), so that a value the role's argument validation accepted reaches the settings as its type.
    """
    spec = {f"{PREFIX}{name}": option for name, option in _options().items()}
    result = ArgumentSpecValidator(spec).validate({name: value for name, value in variables.items() if name in spec})
    if result.error_messages:
        raise SpecError("; ".join(result.error_messages))
    return {name[len(PREFIX) :]: value for name, value in result.validated_parameters.items()}
