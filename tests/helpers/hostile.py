# Copyright: (c) 2026, lvmkube.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Hypothesis strategies of hostile cloud data (names, tags, descriptions), shared by the property tests.

Names, tags and descriptions come from whoever can create a server: the strategies reach Ansible's and ssh's
pattern characters, whitespace, control characters and the names Ansible treats specially quickly.
"""

from __future__ import annotations

import string

from hypothesis import settings
from hypothesis import strategies as st

# Few examples: CPU is shared; the strategies are built to reach the hostile characters quickly. No deadline, no
# database, no too_slow check: the profile tests/conftest.py loads for every test.
FAST = settings(max_examples=150)
HOSTILE = "*?!&:[],~ \t\n\r\x00\x1b\u2028\u3000%#\"'\\{}$@=/;|<>`"
hostile_text = st.text(
    alphabet=st.one_of(st.sampled_from(HOSTILE), st.sampled_from(string.ascii_letters + "._-"), st.characters()),
    max_size=24,
)
# "localhost" in full-width letters (NFKC folds it to localhost).
FULLWIDTH_LOCALHOST = "\uff4c\uff4f\uff43\uff41\uff4c\uff48\uff4f\uff53\uff54"
special_words = st.sampled_from(
    [
        *("localhost", "LOCALHOST", FULLWIDTH_LOCALHOST, "localhost.", "a.localhost", "127.0.0.1", "127.1.2.3"),
        *("::1", "0.0.0.0", "all", "ungrouped", "All", "kube_node", "etcd"),
    ]
)
names = st.one_of(hostile_text, special_words)
# Host pattern characters of Ansible (manager.py) and of ssh_config (match.c), and whitespace.
PATTERN_CHARS = set("*?![],&:~")
