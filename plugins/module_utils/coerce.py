# -*- coding: utf-8 -*-
# Copyright: (c) 2026, lvmkube.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Boolean and integer settings, checked one way for every module, filter and plugin of the collection.

A boolean setting must be a YAML boolean: ``"yes"``, ``"true"`` or ``1`` are refused rather than guessed,
so a quoted value in an inventory is an error and not a silent false. An integer setting must be an int
that is not a bool (Python's ``True`` is an int); ``text=True`` also takes a string of decimal digits, for
values that Jinja templating has turned into text. Each caller passes its own error class, so a module's
user sees the error type (and message prefix) that module documents.
"""

from __future__ import annotations

import re

_DIGITS = re.compile(r"[0-9]+")


def as_bool(value, what, error=ValueError):
    """value when it is a bool; else raise ``error("<what> must be a boolean, true or false, got ...")``."""
    if isinstance(value, bool):
        return value
    raise error(f"{what} must be a boolean, true or false, got {value!r}")


def as_int(value, what, minimum=None, error=ValueError, text=False):
    """value as an int; raise error when it is not one (bools are not) or below minimum.

    text=True also accepts a string of decimal digits, surrounding white space ignored.
    """
    if isinstance(value, int) and not isinstance(value, bool):
        number = int(value)
    elif text and isinstance(value, str) and _DIGITS.fullmatch(value.strip()):
        number = int(value.strip())
    else:
        raise error(f"{what} must be an integer, got {value!r}")
    if minimum is not None and number < minimum:
        raise error(f"{what} must be {minimum} or more, got {number}")
    return number
