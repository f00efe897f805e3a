#!/bin/sh
# Copyright: (c) 2026, lvmkube.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# The two lines below are a shell/Python polyglot: sh runs python3 on this file, Python sees a string.
""":"
exec python3 "$0" "$@"
"""
# TEST DOUBLE of TopoLVM's lvmd - not lvmd.
#
# The real lvmd cannot be downloaded where this collection is tested. This stand-in behaves like lvmd as far as
# the lvmd role can observe it:
#
# * accepts lvmd's flags: ``--config`` (TopoLVM 0.5 and later), ``--volume-group``, ``--listen`` and ``--spare``
#   (before 0.5), ``--container``; other ``--flag[=value]`` options (klog/zap logging flags) are ignored;
# * reads the configuration and validates it with lvmd's rules (at least one device class, valid unique names,
#   a volume group each, at most one default, ``type`` thick/thin, thin pools with a name and an
#   overprovision ratio of at least 1.0, unique volume group/thin pool targets, stripe-size format);
# * checks that every volume group (and thin pool) exists, using ``vgs``/``lvs``;
# * listens on the unix socket (``socket-name`` / ``--listen``), accepts connections and closes them at once
#   (it serves no gRPC), removes the socket on SIGTERM/SIGINT.
#
# It exits with status 1 and a message on stderr when lvmd would refuse to start. Every log line says it is a
# double. Only the Python 3 standard library is used, plus PyYAML to read the configuration.

import argparse
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys

DEFAULT_CONFIG = "/etc/topolvm/lvmd.yaml"
DEFAULT_SOCKET = "/run/topolvm/lvmd.sock"
NAME_RE = re.compile(r"^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$")
STRIPE_SIZE_RE = re.compile(r"^([0-9]*)(k|m|g|t|p|e|b|s)?$", re.IGNORECASE)
LVM_PATH = "/usr/local/sbin:/usr/sbin:/sbin"


class ConfigError(Exception):
    """The configuration would make lvmd refuse to start."""


def log(message):
    print(f"lvmd-double: {message}", file=sys.stderr, flush=True)


def parse_args(argv):
    parser = argparse.ArgumentParser(prog="lvmd", description="TEST DOUBLE of TopoLVM lvmd")
    parser.add_argument("--config", default=None)
    parser.add_argument("--container", action="store_true")
    parser.add_argument("--volume-group", default=None)
    parser.add_argument("--listen", default=None)
    parser.add_argument("--spare", type=int, default=None)
    args, unknown = parser.parse_known_args(argv)
    bad = [arg for arg in unknown if not arg.startswith("--")]
    if bad:
        parser.error(f"unexpected arguments: {' '.join(bad)}")
    return args, unknown


def load_config(path):
    try:
        with open(path, encoding="utf-8") as handle:
            text = handle.read()
    except OSError as exc:
        raise ConfigError(f"cannot read config file {path}: {exc.strerror}") from None
    try:
        import yaml  # noqa: PLC0415 - optional: the test VMs have no python3-yaml

        try:
            data = yaml.safe_load(text)
        except yaml.YAMLError as exc:
            raise ConfigError(f"config file {path} is not valid YAML: {exc}") from None
    except ImportError:
        log("PyYAML missing, reading the config with the built-in block YAML reader")
        data = parse_block_yaml(text)
    if not isinstance(data, dict):
        raise ConfigError(f"config file {path} must hold a mapping")
    return data


# A small reader for block-style YAML (what lvmd.yaml files look like), used when PyYAML is missing:
# nested mappings and sequences by indentation, plain/quoted scalars, [] / {} and flat flow lists.
# Anything else is refused as "not valid YAML" rather than guessed.


def _scalar(text):
    text = text.strip()
    if text in ("", "~", "null", "Null", "NULL"):
        return None
    if text in ("true", "True", "TRUE"):
        return True
    if text in ("false", "False", "FALSE"):
        return False
    if text.startswith('"'):
        try:
            return json.loads(text)
        except ValueError:
            raise ConfigError(f"not valid YAML: bad double-quoted string {text}") from None
    if text.startswith("'"):
        if len(text) < 2 or not text.endswith("'"):
            raise ConfigError(f"not valid YAML: bad single-quoted string {text}")
        return text[1:-1].replace("''", "'")
    if text == "[]":
        return []
    if text == "{}":
        return {}
    if text.startswith("[") and text.endswith("]"):
        inner = text[1:-1]
        if any(c in inner for c in "[]{}\"'"):
            raise ConfigError(f"not valid YAML for the built-in reader: {text}")
        return [_scalar(part) for part in inner.split(",")]
    if text[0] in "[{&*!|>%@`":
        raise ConfigError(f"not valid YAML for the built-in reader: {text}")
    if re.fullmatch(r"[-+]?[0-9]+", text):
        return int(text)
    if re.fullmatch(r"[-+]?([0-9]+\.[0-9]*|\.[0-9]+)([eE][-+]?[0-9]+)?", text):
        return float(text)
    return text


def _split_key(content):
    match = re.match(r"^([^\s'\"#][^:]*?|'[^']*'|\"[^\"]*\"):(\s+(.*))?$", content)
    if not match:
        return None
    key = match.group(1)
    if key[0] in "'\"":
        key = _scalar(key)
    return key, (match.group(3) or "").strip()


def _block(lines, index, indent):
    """Parse the block starting at lines[index] (whose indentation is ``indent``); return (value, next index)."""
    first = lines[index][1]
    if first == "-" or first.startswith("- "):
        items = []
        while (
            index < len(lines)
            and lines[index][0] == indent
            and (lines[index][1] == "-" or lines[index][1].startswith("- "))
        ):
            rest = lines[index][1][1:].strip()
            if not rest:
                if index + 1 < len(lines) and lines[index + 1][0] > indent:
                    value, index = _block(lines, index + 1, lines[index + 1][0])
                else:
                    value, index = None, index + 1
                items.append(value)
            elif _split_key(rest):
                # "- key: value": a mapping whose keys are indented like the text after the dash
                inner = indent + 1 + (len(lines[index][1]) - 1 - len(lines[index][1][1:].lstrip()))
                lines[index] = (inner, rest)
                value, index = _block(lines, index, inner)
                items.append(value)
            else:
                items.append(_scalar(rest))
                index += 1
        return items, index
    mapping = {}
    while index < len(lines) and lines[index][0] == indent:
        content = lines[index][1]
        if content == "-" or content.startswith("- "):
            break
        split = _split_key(content)
        if not split:
            raise ConfigError(f"not valid YAML: expected 'key: value' at {content!r}")
        key, rest = split
        index += 1
        if rest:
            mapping[key] = _scalar(rest)
        elif index < len(lines) and (
            lines[index][0] > indent
            or (lines[index][0] == indent and (lines[index][1] == "-" or lines[index][1].startswith("- ")))
        ):
            mapping[key], index = _block(lines, index, lines[index][0])
        else:
            mapping[key] = None
    return mapping, index


def parse_block_yaml(text):
    lines = []
    for raw in text.splitlines():
        if "\t" in raw[: len(raw) - len(raw.lstrip())]:
            raise ConfigError("not valid YAML: tab in indentation")
        stripped = raw.strip()
        if not stripped or stripped.startswith("#") or stripped in ("---", "..."):
            continue
        lines.append((len(raw) - len(raw.lstrip(" ")), stripped))
    if not lines:
        return None
    value, index = _block(lines, 0, lines[0][0])
    if index != len(lines):
        raise ConfigError(f"not valid YAML: unexpected indentation at {lines[index][1]!r}")
    return value


def validate_device_classes(classes):
    """lvmd's start-up validation of the device classes; raises ConfigError."""
    if not isinstance(classes, list) or not classes:
        raise ConfigError("should have at least one device-class")
    names = set()
    targets = set()
    defaults = 0
    for dc in classes:
        if not isinstance(dc, dict):
            raise ConfigError(f"device-class must be a mapping: {dc!r}")
        name = dc.get("name") or ""
        if not isinstance(name, str) or not name:
            raise ConfigError("device-class name should not be empty")
        if len(name) > 63 or not NAME_RE.match(name):
            raise ConfigError(f"device-class name is invalid: {name}")
        vg = dc.get("volume-group") or ""
        if not isinstance(vg, str) or not vg:
            raise ConfigError(f"volume group name should not be empty: {name}")
        if dc.get("default") is True:
            defaults += 1
        elif dc.get("default") not in (None, False):
            raise ConfigError(f"default must be a boolean: {name}")
        if name in names:
            raise ConfigError(f"duplicate device-class name: {name}")
        names.add(name)
        lv_type = dc.get("type") or ""
        if lv_type not in ("", "thick", "thin"):
            raise ConfigError("target 'type' of device-class can be one of 'thick' or 'thin'")
        target = vg
        if lv_type == "thin":
            pool = dc.get("thin-pool")
            if not isinstance(pool, dict):
                raise ConfigError(f"device class type is thin but thinpool config is empty: {name}")
            if not pool.get("name"):
                raise ConfigError(f"thinpool name should not be empty: {name}")
            ratio = pool.get("overprovision-ratio")
            if isinstance(ratio, bool) or not isinstance(ratio, (int, float)) or ratio < 1.0:
                raise ConfigError(
                    f"overprovision ratio for thin pool {pool.get('name')} in device class {name} should be 1.0 or more"
                )
            target = f"{vg}/{pool['name']}"
        if target in targets:
            raise ConfigError(f"duplicate volumegroup/thinpool name: {name}, {target}")
        targets.add(target)
        stripe_size = dc.get("stripe-size")
        if stripe_size not in (None, "") and not STRIPE_SIZE_RE.match(str(stripe_size)):
            raise ConfigError(f'stripe-size format is "Size[k|UNIT]": {name}')
        spare = dc.get("spare-gb")
        if spare is not None and (isinstance(spare, bool) or not isinstance(spare, int) or spare < 0):
            raise ConfigError(f"spare-gb must be a non-negative integer: {name}")
    if defaults > 1:
        raise ConfigError("should not have multiple default device-class")


def lvm_report(command, fields, section):
    path = os.environ.get("PATH", "") + os.pathsep + LVM_PATH
    binary = shutil.which(command, path=path)
    if not binary:
        raise ConfigError(f"{command} not found: lvm2 is not installed")
    result = subprocess.run(
        [binary, "--reportformat", "json", "-o", fields],
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise ConfigError(f"{command} failed: {result.stderr.strip()}")
    rows = []
    for report in json.loads(result.stdout or "{}").get("report", []):
        rows.extend(report.get(section, []))
    return rows


def check_lvm(classes):
    """Every volume group and thin pool must exist, as lvmd checks at start."""
    vgs = {row["vg_name"] for row in lvm_report("vgs", "vg_name", "vg")}
    need_pools = [dc for dc in classes if dc.get("type") == "thin"]
    pools = set()
    if need_pools:
        for row in lvm_report("lvs", "lv_name,vg_name,lv_attr", "lv"):
            if row.get("lv_attr", "").startswith("t"):
                pools.add(f"{row['vg_name']}/{row['lv_name']}")
    for dc in classes:
        if dc["volume-group"] not in vgs:
            raise ConfigError(f"volume group not found: {dc['volume-group']} (device-class {dc['name']})")
        if dc.get("type") == "thin":
            target = f"{dc['volume-group']}/{dc['thin-pool']['name']}"
            if target not in pools:
                raise ConfigError(f"thin pool not found: {target} (device-class {dc['name']})")


def serve(socket_name):
    directory = os.path.dirname(socket_name)
    if directory and not os.path.isdir(directory):
        raise ConfigError(f"socket directory {directory} does not exist")
    if os.path.lexists(socket_name):
        os.unlink(socket_name)
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    server.bind(socket_name)
    server.listen(16)

    def stop(signum, _frame):
        log(f"signal {signum}: removing {socket_name} and exiting")
        server.close()
        if os.path.lexists(socket_name):
            os.unlink(socket_name)
        sys.exit(0)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    log(f"listening on {socket_name} (accepts and closes connections, serves no gRPC)")
    while True:
        try:
            connection, _addr = server.accept()
        except OSError:
            return
        connection.close()


def main(argv=None):
    args, ignored = parse_args(sys.argv[1:] if argv is None else argv)
    log("THIS IS A TEST DOUBLE OF TOPOLVM LVMD, NOT LVMD")
    if ignored:
        log(f"ignoring flags: {' '.join(ignored)}")
    try:
        if args.volume_group is not None:
            # lvmd before TopoLVM 0.5: one volume group, no configuration file.
            if args.config is not None:
                raise ConfigError("--config and --volume-group cannot be used together")
            classes = [{"name": "default", "volume-group": args.volume_group, "default": True}]
            if args.spare is not None and args.spare < 0:
                raise ConfigError("--spare must not be negative")
            socket_name = args.listen or DEFAULT_SOCKET
            log(f"legacy mode: volume group {args.volume_group}")
        else:
            if args.listen is not None:
                raise ConfigError("--listen needs --volume-group (lvmd 0.5 and later read socket-name from --config)")
            config_path = args.config or DEFAULT_CONFIG
            config = load_config(config_path)
            classes = config.get("device-classes")
            validate_device_classes(classes)
            socket_name = config.get("socket-name") or DEFAULT_SOCKET
            if not isinstance(socket_name, str):
                raise ConfigError("socket-name must be a string")
            log(f"configuration file loaded: {config_path}, device classes {', '.join(dc['name'] for dc in classes)}")
        check_lvm(classes)
        serve(socket_name)
    except ConfigError as exc:
        log(f"error: {exc}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
