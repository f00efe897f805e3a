# -*- coding: utf-8 -*-
# Copyright: (c) 2026, lvmkube.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What the action lvmkube.cluster.node_converge asks the node about, and which module calls follow.

Pure functions: the action reads the node once with M(lvmkube.cluster.node_state_info) (whose rules, in
``node_state.py``, each mirror the module that changes the thing), and these turn the wanted state and
that read into the arguments of the real modules, only for what differs. The action runs them.
"""

from __future__ import annotations

from ansible_collections.lvmkube.cluster.plugins.module_utils.node_state import (
    content_digest,
    file_differs,
    file_mode,
    found_from_read,
)

SERVICE_STATES = ("started", "stopped")
# What an earlier read (option node_read) can stand for: files, services and paths, not sysctls, modules,
# packages or VIPs (those rules need the node's raw values, which the read does not return).
NODE_READ_KEYS = ("files", "services", "paths")


class ConvergeError(ValueError):
    """The wanted state is not well formed; nothing was read or changed."""


def check_spec(spec):
    """Refuse a wanted state the action cannot converge (before anything is read)."""
    if spec.get("sysctls") and not spec.get("sysctl_file"):
        raise ConvergeError("sysctl_file is required when sysctls are given")
    paths = set()
    for item in spec.get("files") or []:
        if (item.get("src") is None) == (item.get("content") is None):
            raise ConvergeError(f"files: {item.get('path')} needs exactly one of src and content")
        if item["path"] in paths:
            raise ConvergeError(f"files: {item['path']} is listed twice")
        paths.add(item["path"])
    names = set()
    for service in spec.get("services") or []:
        if service["name"] in names:
            raise ConvergeError(f"services: {service['name']} is listed twice")
        names.add(service["name"])
        if service.get("state") is not None and service["state"] not in SERVICE_STATES:
            raise ConvergeError(f"services: {service['name']}: state must be one of {', '.join(SERVICE_STATES)}")
        for path in [service.get("unit_file"), *(service.get("restart_on") or [])]:
            if path is not None and path not in paths:
                raise ConvergeError(f"services: {service['name']}: {path} is not one of the files")
        if not any(service.get(key) is not None for key in ("enabled", "state", "masked")):
            raise ConvergeError(f"services: {service['name']} needs enabled, state or masked")
    if spec.get("node_read") is not None:
        others = [key for key in ("sysctls", "kernel_modules", "packages") if spec.get(key)]
        others += ["vips"] if spec.get("vips") is not None else []
        if others:
            raise ConvergeError(f"node_read stands for files, services and paths only, not {', '.join(others)}")


def read_args(spec, contents):
    """Arguments of the one M(lvmkube.cluster.node_state_info) call; ``None`` when there is nothing to read.

    ``contents``: path -> the file's wanted text (templates already rendered on the controller).
    """
    args = {}
    if spec.get("sysctls"):
        args["sysctls"] = dict(spec["sysctls"])
        args["sysctl_file"] = spec["sysctl_file"]
    for key in ("kernel_modules", "packages", "paths"):
        if spec.get(key):
            args[key] = list(spec[key])
    if spec.get("vips") is not None:
        args["vips"] = dict(spec["vips"])
    if spec.get("services"):
        args["services"] = [service["name"] for service in spec["services"]]
    if spec.get("files"):
        args["files"] = [
            {
                "path": item["path"],
                "content": contents[item["path"]],
                **{key: item[key] for key in ("mode", "owner", "group") if item.get(key) is not None},
            }
            for item in spec["files"]
        ]
    return args or None


def sysctl_calls(spec, state):
    """M(ansible.posix.sysctl) arguments for each sysctl whose file line or running value differs."""
    return [
        {
            "name": item["name"],
            "value": item["value"],
            "sysctl_file": spec["sysctl_file"],
            "reload": True,
            "sysctl_set": bool(spec.get("sysctl_set", True)),
            "state": "present",
        }
        for item in state.get("sysctls_to_set", [])
    ]


def kernel_module_calls(state):
    """M(community.general.modprobe) arguments for each module not loaded or not listed for boot."""
    return [
        {"name": name, "state": "present", "persistent": "present"} for name in state.get("kernel_modules_to_load", [])
    ]


def package_call(state):
    """M(ansible.builtin.package) arguments for the missing packages, or ``None``."""
    missing = state.get("packages_missing", [])
    return {"name": list(missing), "state": "present"} if missing else None


def file_needs_writing(path, state):
    return path in state.get("files_to_write", [])


def service_call(service, props, *, unit_changed, restart, check_mode):
    """``(arguments, note)`` of the M(ansible.builtin.systemd_service) call a service needs.

    ``props``: C(LoadState), C(UnitFileState), C(ActiveState) from the read; ``unit_changed``: the unit file was
    (or in check mode would be) written by this action, so systemd is reloaded first; ``restart``: a file the
    service reads changed, so a running service is restarted rather than only started. Returns
    ``(None, None)`` when the service is as wanted; ``(None, note)`` when check mode cannot ask systemd about
    a unit it does not know yet (a real run would reload systemd and start it).
    """
    loaded = props.get("LoadState") == "loaded"
    unit_state = props.get("UnitFileState")
    active = props.get("ActiveState") in ("active", "activating", "reloading")
    args = {"name": service["name"]}
    differs = False
    masked = service.get("masked")
    if masked is not None:
        args["masked"] = masked
        differs |= (unit_state == "masked") != masked
    enabled = service.get("enabled")
    if enabled is not None:
        args["enabled"] = enabled
        differs |= (not loaded or unit_state != "enabled") if enabled else unit_state == "enabled"
    state = service.get("state")
    if state is not None:
        args["state"] = state
        differs |= (not loaded or not active) if state == "started" else active
        if restart and state == "started":
            args["state"] = "restarted"
            differs = True
    if unit_changed:
        args["daemon_reload"] = True
        differs = True
    if not differs:
        return None, None
    if check_mode and unit_changed and not loaded:
        return None, f"{service['name']}: systemd does not know the unit yet; a real run reloads systemd and starts it"
    return args, None


def state_from_read(spec, contents, read):
    """The state the action works from, taken from an earlier node_state_info read (option node_read).

    The read must hold every wanted file, service and path; which files need writing is decided again here,
    for the wanted contents, with the read's rule (:func:`file_differs`), so a read made for other contents
    still gives the right answer. Raises ConvergeError naming what the read lacks.
    """
    files = spec.get("files") or []
    lacking = [f"files: {item['path']}" for item in files if item["path"] not in read.get("files", {})]
    lacking += [
        f"services: {service['name']}"
        for service in spec.get("services") or []
        if service["name"] not in read.get("services", {})
    ]
    lacking += [f"paths: {path}" for path in spec.get("paths") or [] if path not in read.get("paths", {})]
    if lacking:
        raise ConvergeError(f"node_read does not hold {'; '.join(lacking)}: read them, or leave node_read out")
    files_to_write = []
    for item in spec.get("files") or []:
        wanted = {
            "digest": content_digest(contents[item["path"]]),
            "mode": file_mode(item.get("mode")),
            "owner": item.get("owner"),
            "group": item.get("group"),
        }
        if file_differs(wanted, found_from_read(read["files"][item["path"]])):
            files_to_write.append(item["path"])
    return {
        "files_to_write": files_to_write,
        "files": {item["path"]: read["files"][item["path"]] for item in spec.get("files") or []},
        "services": {service["name"]: read["services"][service["name"]] for service in spec.get("services") or []},
        "paths": {path: read["paths"][path] for path in spec.get("paths") or []},
    }
