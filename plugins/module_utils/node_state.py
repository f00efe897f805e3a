# -*- coding: utf-8 -*-
# Copyright: (c) 2026, lvmkube.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Pure helpers that tell which kernel settings and services of a node differ from what is wanted.

The module ``lvmkube.cluster.node_state_info`` reads files and ``systemctl show`` output once and
calls these; the roles then run ``ansible.posix.sysctl``, ``community.general.modprobe`` and
``ansible.builtin.systemd_service`` only for what differs. Each rule mirrors the one of the module
that does the change, so that "nothing to do" here means that module would report ``ok``; where
the rules could disagree, these helpers report a difference and let the real module decide.
"""

from __future__ import annotations

import copy
import hashlib
import re

from ansible.module_utils.common.text.converters import to_bytes

# The wanted-state options node_state_info and node_converge share (documented in doc_fragments/node_state.py).
WANTED_STATE_OPTIONS = {
    "sysctls": {"type": "dict", "default": {}},
    "sysctl_file": {"type": "path"},
    "kernel_modules": {"type": "list", "elements": "str", "default": []},
    "packages": {"type": "list", "elements": "str", "default": []},
    "vips": {
        "type": "dict",
        "options": {
            "addresses": {"type": "list", "elements": "str", "required": True},
            "device": {"type": "str", "default": "lo"},
            "state_file": {"type": "path", "default": "/var/lib/lvmkube/dsr-vips"},
        },
    },
    "paths": {"type": "list", "elements": "path", "default": []},
}


# A wanted file's options that node_state_info (the read) and node_converge (which also writes) share.
FILE_OPTIONS = {
    "path": {"type": "path", "required": True},
    "content": {"type": "str"},
    "mode": {"type": "raw"},
    "owner": {"type": "str"},
    "group": {"type": "str"},
}


def file_options(**more):
    """A fresh copy of FILE_OPTIONS with the options of one module added."""
    return {**copy.deepcopy(FILE_OPTIONS), **more}


def wanted_state_options():
    """A fresh copy of WANTED_STATE_OPTIONS, for an argument spec to extend."""
    return copy.deepcopy(WANTED_STATE_OPTIONS)


# Values ansible.posix.sysctl turns into "1" and "0" (ansible.module_utils.parsing.convert_bool).
_TRUE = frozenset(("y", "yes", "on", "1", "true", "t", "1.0"))
_FALSE = frozenset(("n", "no", "off", "0", "false", "f", "0.0"))

# community.general.modprobe's files.
MODULES_LOAD_DIR = "/etc/modules-load.d"
MODPROBE_DIR = "/etc/modprobe.d"


def sysctl_value(value):
    """The value as ansible.posix.sysctl compares it: booleans to "1"/"0", other text stripped."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    text = str(value)
    if text.lower() in _TRUE:
        return "1"
    if text.lower() in _FALSE:
        return "0"
    return text.strip()


def parse_sysctl_file(text):
    """``name -> value`` of a sysctl.d file; the last assignment of a name wins (as in ansible.posix.sysctl)."""
    values = {}
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith(("#", ";")) or "=" not in line:
            continue
        name, value = line.split("=", 1)
        values[name.strip()] = value.strip()
    return values


def sysctl_proc_path(name):
    """``/proc/sys`` path of a sysctl name: dots are separators, slashes stand for dots (``eth0/100``)."""
    return "/proc/sys/" + "".join("/" if char == "." else "." if char == "/" else char for char in name.strip())


def sysctls_to_set(wanted, file_values, proc_values):
    """Sysctls whose file line or running value differs from ``wanted``, as ``[{"name", "value"}]``.

    ``wanted``: name -> value; ``file_values``: :func:`parse_sysctl_file` of the role's file;
    ``proc_values``: name -> running value, ``None`` when it could not be read.
    """
    drift = []
    for name in sorted(wanted):
        value = sysctl_value(wanted[name])
        key = name.strip()
        running = proc_values.get(key)
        if file_values.get(key) != value or running is None or running.split() != value.split():
            drift.append({"name": key, "value": value})
    return drift


def kernel_module_loaded(name, proc_modules, builtin_modules):
    """Whether a module is loaded (``/proc/modules``) or built in (``modules.builtin``)."""
    prefix = name.replace("-", "_") + " "
    if any(line.startswith(prefix) for line in proc_modules.splitlines()):
        return True
    suffix = f"/{name}.ko"
    return any(line.rstrip().endswith(suffix) for line in builtin_modules.splitlines())


def kernel_module_persistent(name, modules_load_texts):
    """Whether a modules-load.d file lists the module on a line of its own."""
    pattern = re.compile(rf"^ *{re.escape(name)} *(?:[#;].*)?\Z")
    return any(pattern.match(line) for text in modules_load_texts for line in text.splitlines())


def kernel_module_has_options(name, modprobe_texts):
    """Whether a modprobe.d file sets options for the module (the roles want none)."""
    pattern = re.compile(rf"^options {re.escape(name)} \w+=\S+ *(?:[#;].*)?\Z")
    return any(pattern.match(line) for text in modprobe_texts for line in text.splitlines())


def kernel_modules_to_load(names, proc_modules, builtin_modules, modules_load_texts, modprobe_texts):
    """Modules not loaded, not listed for boot, or with options set: those community.general.modprobe would change."""
    return [
        name
        for name in names
        if not kernel_module_loaded(name, proc_modules, builtin_modules)
        or not kernel_module_persistent(name, modules_load_texts)
        or kernel_module_has_options(name, modprobe_texts)
    ]


def parse_systemctl_show(text):
    """``Key=Value`` lines of ``systemctl show`` as a dict."""
    props = {}
    for line in text.splitlines():
        key, sep, value = line.partition("=")
        if sep:
            props[key] = value
    return props


def service_running_enabled(props):
    """Whether a unit is loaded, enabled and active: ansible.builtin.systemd_service would change nothing."""
    return (
        props.get("LoadState") == "loaded"
        and props.get("UnitFileState") == "enabled"
        and props.get("ActiveState") == "active"
    )


def installed_dpkg_packages(text):
    """Names that ``dpkg-query -W -f='${Package}\\t${db:Status-Abbrev}\\n'`` shows as installed (status ``?i``)."""
    installed = set()
    for line in text.splitlines():
        name, _sep, status = line.partition("\t")
        if len(status) >= 2 and status[1] == "i":
            installed.add(name.strip())
    return installed


def installed_rpm_packages(text, names):
    """Names that ``rpm -q --queryformat '%{NAME}\\n' NAME...`` printed (not "package X is not installed")."""
    lines = {line.strip() for line in text.splitlines()}
    return {name for name in names if name in lines}


def missing_packages(names, installed):
    """Wanted packages that are not installed, in the order given."""
    return [name for name in names if name not in installed]


def parse_vgs_names(text):
    """Volume group names of ``vgs --noheadings -o vg_name``."""
    return sorted({line.strip() for line in text.splitlines() if line.strip()})


def parse_checksum(text):
    """``(algorithm, hex digest)`` of ``"sha256:abc..."`` (as M(ansible.builtin.get_url) takes it), or ``None``.

    A bare digest is taken as sha1, the algorithm M(ansible.builtin.copy) compares with.
    """
    if not text:
        return None
    algorithm, sep, digest = str(text).strip().rpartition(":")
    algorithm = algorithm.lower() if sep else "sha1"
    digest = digest.lower()
    lengths = {"md5": 32, "sha1": 40, "sha224": 56, "sha256": 64, "sha384": 96, "sha512": 128}
    if algorithm not in lengths or len(digest) != lengths[algorithm] or not re.fullmatch("[0-9a-f]+", digest):
        return None
    return algorithm, digest


def file_mode(value):
    """A wanted mode as an int: octal text such as ``"0644"``, or an int as YAML gives ``0644`` unquoted.

    ``None`` when no mode is wanted; ``False`` for anything else (a symbolic mode such as ``u+x``), which is
    reported as differing so that the real module decides.
    """
    if value is None:
        return None
    if isinstance(value, int) and not isinstance(value, bool):
        return value if 0 <= value <= 0o7777 else False
    text = str(value).strip()
    if re.fullmatch("[0-7]{1,4}", text):
        return int(text, 8)
    return False


def file_differs(wanted, found):
    """Whether M(ansible.builtin.copy) or M(ansible.builtin.template) would change a file.

    ``wanted``: ``digest`` (``(algorithm, hex)`` or ``None`` when the content is unknown), ``mode``
    (:func:`file_mode`), ``owner`` and ``group`` (names or numeric ids, ``None`` for any).
    ``found``: ``None`` when the path is not a regular file, else ``digests`` (algorithm -> hex),
    ``mode`` (permission bits), ``owner``, ``uid``, ``group`` and ``gid``.
    """
    if found is None or wanted.get("digest") is None:
        return True
    algorithm, digest = wanted["digest"]
    if found["digests"].get(algorithm) != digest:
        return True
    mode = wanted.get("mode")
    if mode is False or (mode is not None and mode != found["mode"]):
        return True
    for name, id_key in (("owner", "uid"), ("group", "gid")):
        value = wanted.get(name)
        if value is not None and str(value) not in (found[name], str(found[id_key])):
            return True
    return False


def content_digest(text):
    """``("sha1", hex)`` of a wanted text, as M(ansible.builtin.copy) checksums the file it would write."""
    return ("sha1", hashlib.sha1(to_bytes(text, errors="surrogate_or_strict")).hexdigest())


def found_from_read(file_state):
    """The ``found`` of :func:`file_differs` from one entry of node_state_info's RV(files) (``None``: no file)."""
    if not file_state or file_state.get("sha1") is None:
        return None
    return {
        "digests": {"sha1": file_state["sha1"]},
        "mode": int(file_state["mode"], 8),
        "owner": file_state["owner"],
        "uid": file_state.get("uid"),
        "group": file_state["group"],
        "gid": file_state.get("gid"),
    }
