# Copyright: (c) 2026, lvmkube.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations


class ModuleDocFragment:
    """The attributes every module documents: check_mode, diff_mode, platform.

    The base fragment describes each attribute once; each module states its own C(support) (ansible-core merges a
    module's attribute entry over the fragment's, ansible/utils/plugin_docs.py merge_fragment). The sub-fragments
    state what is the same for a group of modules.
    """

    DOCUMENTATION = r"""
options: {}
attributes:
  check_mode:
    description: Can run in check mode and return a changed status prediction without modifying the target.
  diff_mode:
    description: Returns details on what has changed (or would change in check mode) when run with C(--diff).
  platform:
    description: Target operating systems that can be managed.
"""

    # Modules that run on the managed node and read or write its files and commands (Linux with Python).
    POSIX = r"""
options: {}
attributes:
  platform:
    support: full
    platforms: posix
"""

    # Modules that only read: the same in check mode, nothing to show a diff of.
    INFO_MODULE = r"""
options: {}
attributes:
  check_mode:
    support: full
    details: The module only reads; it runs the same in check mode.
  diff_mode:
    support: N/A
    details: The module changes nothing.
"""

    # Modules that change something: both modes in full.
    CHANGES = r"""
options: {}
attributes:
  check_mode:
    support: full
  diff_mode:
    support: full
"""
