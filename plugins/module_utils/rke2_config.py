# -*- coding: utf-8 -*-
# Copyright: (c) 2026, lvmkube.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""RKE2's configuration file and its drop-in directory, read the way RKE2 reads them.

RKE2 (through k3s' ``pkg/configfilearg``) loads ``config.yaml`` first, then every regular file in
``config.yaml.d/`` whose name ends in ``.yaml`` or ``.yml`` (any case), in file-name order. For each
key, a later file *replaces* the value; a key written with a trailing ``+`` (``kube-scheduler-arg+``)
*appends* to the value collected so far (a single string counts as a one-item list). A ``key+`` with
nothing before it simply sets the value. See https://docs.rke2.io/install/configuration
("Multiple Config Files").

Everything here is pure except :func:`read_config_texts`, which only reads files.
"""

from __future__ import annotations

import os

try:
    import yaml

    HAS_YAML = True
except ImportError:  # pragma: no cover - PyYAML ships with ansible-core
    yaml = None
    HAS_YAML = False

from ansible_collections.lvmkube.cluster.plugins.module_utils import yaml_unique
from ansible_collections.lvmkube.cluster.plugins.module_utils.text_files import FileReadError, read_text

DEFAULT_CONFIG_FILE = "/etc/rancher/rke2/config.yaml"
DEFAULT_DROPIN_DIR = DEFAULT_CONFIG_FILE + ".d"
DROPIN_SUFFIXES = (".yaml", ".yml")
APPEND_SUFFIX = "+"
DEFAULT_HEADER = "Managed by Ansible (lvmkube.cluster.rke2_config_dropin). Local edits are overwritten."


class Rke2ConfigError(ValueError):
    """Configuration RKE2 would not read, or settings that cannot be written as a drop-in."""


def dropin_dir(config_file=DEFAULT_CONFIG_FILE):
    """The drop-in directory RKE2 reads for this configuration file (``<config_file>.d``)."""
    return str(config_file).rstrip("/") + ".d"


def is_dropin_name(name):
    """Whether RKE2 reads a file of this name from the drop-in directory (``.yaml``/``.yml``, any case)."""
    return isinstance(name, str) and "/" not in name and name.lower().endswith(DROPIN_SUFFIXES)


def dropin_order(names):
    """The drop-in file names RKE2 reads, in its order (byte order of the name, as Go's os.ReadDir)."""
    return sorted((n for n in names if is_dropin_name(n)), key=lambda n: n.encode("utf-8"))


def sorts_after(name, other):
    """Whether drop-in ``name`` is read after ``other`` (so its replacing keys win over ``other``'s)."""
    return name.encode("utf-8") > other.encode("utf-8")


def base_key(key):
    """``kube-scheduler-arg+`` -> ``kube-scheduler-arg``."""
    return key[:-1] if key.endswith(APPEND_SUFFIX) else key


def _to_string(value):
    """Go's convert.ToString for YAML scalars."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def to_list(value):
    """A value as RKE2 sees it when something is appended to it (k3s' toSlice)."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return list(value)
    text = _to_string(value).strip()
    return [text] if text else []


def parse_config_text(text, source):
    """One configuration file's text as a mapping (an empty file is an empty mapping)."""
    if not HAS_YAML:
        raise Rke2ConfigError("PyYAML is required to read RKE2 configuration files")
    try:
        data = yaml_unique.safe_load(text)
    except (yaml.YAMLError, yaml_unique.DuplicateKeyError) as exc:
        raise Rke2ConfigError(f"{source} is not valid YAML: {exc}") from exc
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise Rke2ConfigError(f"{source} must be a YAML mapping of flag names, found {type(data).__name__}")
    return {_to_string(k): v for k, v in data.items()}


def merge_configs(documents):
    """Merge parsed files as RKE2 does.

    documents: ``[(source, mapping), ...]`` in RKE2's order (config.yaml first, then the drop-ins).
    Returns ``(values, origins)``: the effective value of each flag (keys without ``+``, in first-seen order),
    and for each flag the sources that set (``source``) or appended to it (``source+``), in order.
    """
    values = {}
    origins = {}
    for source, mapping in documents:
        for raw_key, value in mapping.items():
            key = base_key(raw_key)
            append = raw_key.endswith(APPEND_SUFFIX)
            if append and key in values:
                values[key] = to_list(values[key]) + to_list(value)
                origins[key].append(source + APPEND_SUFFIX)
            else:
                values[key] = value
                origins[key] = [source + APPEND_SUFFIX] if append else [source]
    return values, origins


def effective_config(texts):
    """Parse and merge ``[(source, text), ...]`` (RKE2's order); returns ``(values, origins)``."""
    return merge_configs([(source, parse_config_text(text, source)) for source, text in texts])


def read_config_texts(config_file=DEFAULT_CONFIG_FILE, replace=None):
    """``[(path, text), ...]`` of the files RKE2 reads for config_file, in its order.

    replace: ``{path: text or None}`` stands in for files as they will be after a change (None: removed; a path
    that does not exist yet is added at its place in the order). Missing files and directories are skipped.
    """
    replace = dict(replace or {})
    config_file = str(config_file)
    directory = dropin_dir(config_file)
    names = []
    if os.path.isdir(directory):
        names = [n for n in os.listdir(directory) if os.path.isfile(os.path.join(directory, n))]
    for path in replace:
        if os.path.dirname(path) == directory and os.path.basename(path) not in names:
            names.append(os.path.basename(path))
    paths = [config_file] + [os.path.join(directory, n) for n in dropin_order(names)]
    texts = []
    for path in paths:
        if path in replace:
            if replace[path] is not None:
                texts.append((path, replace[path]))
            continue
        try:
            text = read_text(path)
        except FileReadError as exc:
            raise Rke2ConfigError(str(exc)) from None
        if text is not None:
            texts.append((path, text))
    return texts


def overridden_keys(texts, path, settings):
    """Keys of settings (written to drop-in ``path``) that a file read later replaces, with that file.

    Returns ``{key: later_path}``; a later ``key+`` appends and so does not count.
    """
    paths = [p for p, _text in texts]
    if path not in paths:
        return {}
    wanted = {base_key(k) for k in settings}
    found = {}
    for later, text in texts[paths.index(path) + 1 :]:
        for key in parse_config_text(text, later):
            if not key.endswith(APPEND_SUFFIX) and key in wanted:
                found[key] = later
    return found


def _plain(value, where):
    """A settings value as plain YAML data (str subclasses from templating made str)."""
    if isinstance(value, bool) or value is None or isinstance(value, (int, float)):
        return value
    if isinstance(value, str):
        return str(value)
    if isinstance(value, (list, tuple)):
        items = []
        for index, item in enumerate(value):
            if isinstance(item, (dict, list, tuple)):
                raise Rke2ConfigError(f"{where}[{index}]: RKE2 flags take scalars or lists of scalars")
            items.append(_plain(item, where))
        return items
    raise Rke2ConfigError(f"{where}: RKE2 flags take scalars or lists of scalars, got {type(value).__name__}")


def validate_settings(settings):
    """Settings as a plain, ordered dict, or Rke2ConfigError naming the first bad key."""
    if not isinstance(settings, dict) or not settings:
        raise Rke2ConfigError("settings must be a non-empty mapping of RKE2 flag names to values")
    plain = {}
    for key, value in settings.items():
        if not isinstance(key, str) or not base_key(key) or any(c.isspace() for c in key) or key.startswith("-"):
            raise Rke2ConfigError(f"{key!r} is not an RKE2 flag name (write e.g. kubelet-arg or kubelet-arg+)")
        plain[str(key)] = _plain(value, key)
    if len({base_key(k) for k in plain}) != len(plain):
        raise Rke2ConfigError("settings name the same flag twice (with and without +)")
    return plain


def render_dropin(settings, header=DEFAULT_HEADER):
    """The text of a drop-in file: a comment header, then the settings in their order."""
    if not HAS_YAML:
        raise Rke2ConfigError("PyYAML is required to render RKE2 configuration files")
    plain = validate_settings(settings)
    lines = "".join(f"# {line}\n" for line in str(header).splitlines()) if header else ""
    return lines + yaml.safe_dump(plain, sort_keys=False, default_flow_style=False, width=4096)
