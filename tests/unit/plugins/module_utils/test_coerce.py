# Copyright: (c) 2026, lvmkube.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""as_bool() and as_int(): the one rule for boolean and integer settings."""

from __future__ import annotations

import pytest

from ansible_collections.lvmkube.cluster.plugins.module_utils.coerce import as_bool, as_int


class MyError(ValueError):
    pass


@pytest.mark.parametrize("value", [True, False])
def test_as_bool_takes_booleans(value):
    assert as_bool(value, "flag") is value


@pytest.mark.parametrize("value", ["true", "yes", 1, 0, None, "False"])
def test_as_bool_refuses_anything_else_with_the_callers_error(value):
    with pytest.raises(MyError, match=r"^flag must be a boolean, true or false, got "):
        as_bool(value, "flag", MyError)


def test_as_int_takes_ints_and_checks_the_minimum():
    assert as_int(3, "n", 1) == 3
    assert as_int(0, "n") == 0
    with pytest.raises(MyError, match=r"^n must be 1 or more, got 0$"):
        as_int(0, "n", 1, MyError)


@pytest.mark.parametrize("value", [True, False, "3", 3.0, None, [3]])
def test_as_int_refuses_bools_floats_and_text_by_default(value):
    with pytest.raises(ValueError, match=r"^n must be an integer, got "):
        as_int(value, "n")


def test_as_int_text_takes_digit_strings_only():
    assert as_int(" 42 ", "n", text=True) == 42
    for value in ("-1", "4x", "", "1.5", True):
        with pytest.raises(MyError, match="must be an integer"):
            as_int(value, "n", 0, MyError, text=True)
    with pytest.raises(MyError, match="must be 5 or more, got 4"):
        as_int("4", "n", 5, MyError, text=True)
