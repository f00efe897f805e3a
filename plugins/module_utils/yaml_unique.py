# -*- coding: utf-8 -*-
# Copyright: (c) 2026, lvmkube.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""PyYAML loading that refuses a key given twice in one mapping, naming the key and both lines.

PyYAML's SafeLoader keeps the last of two equal keys (``SafeConstructor.construct_mapping`` fills a dict), so
a file edited and written back would lose the first block without a word. ruamel.yaml's round-trip loader
already refuses them (``DuplicateKeyError``, ``allow_duplicate_keys`` is false by default); every PyYAML
path of the node-editing modules loads through :func:`safe_load` / :func:`safe_load_all` here instead.
"""

from __future__ import annotations

try:
    import yaml

    HAS_PYYAML = True
except ImportError:  # the modules say so themselves
    yaml = None
    HAS_PYYAML = False


class DuplicateKeyError(ValueError):
    """A mapping that has a key twice; str() names the key and its lines (1-based)."""


if HAS_PYYAML:

    class UniqueKeySafeLoader(yaml.SafeLoader):
        """yaml.SafeLoader that raises DuplicateKeyError for a mapping key seen twice."""

        def construct_mapping(self, node, deep=False):
            if isinstance(node, yaml.MappingNode):
                self.flatten_mapping(node)  # merge keys (<<) may be overridden, as YAML allows
                seen = {}
                for key_node, _value_node in node.value:
                    if key_node.tag == "tag:yaml.org,2002:merge":
                        continue
                    key = self.construct_object(key_node, deep=True)
                    try:
                        first = seen.get(key)
                    except TypeError:
                        continue  # an unhashable key: SafeConstructor refuses it itself
                    line = key_node.start_mark.line + 1
                    if first is not None:
                        raise DuplicateKeyError(
                            f"duplicate key {key!r} on line {line} (first on line {first}): "
                            "YAML keeps only one of them, refusing to guess which one is meant"
                        )
                    seen[key] = line
            return super().construct_mapping(node, deep=deep)

else:  # pragma: no cover - the callers check HAS_PYYAML
    UniqueKeySafeLoader = None


def safe_load(text):
    """yaml.safe_load that refuses duplicate keys (DuplicateKeyError)."""
    return yaml.load(text, Loader=UniqueKeySafeLoader)


def safe_load_all(text):
    """yaml.safe_load_all that refuses duplicate keys (DuplicateKeyError); a list of the documents."""
    return list(yaml.load_all(text, Loader=UniqueKeySafeLoader))
