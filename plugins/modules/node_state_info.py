#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, lvmkube.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: node_state_info
short_description: Tell which sysctls, kernel modules, services and files of a node differ from what is wanted
version_added: 1.0.0
author: lvmkube.cluster contributors (@lvmkube)
description:
  - Reads, in one call, the running sysctl values (C(/proc/sys)) and those of one sysctl.d file, the loaded
    and built-in kernel modules with C(/etc/modules-load.d) and C(/etc/modprobe.d), and the state of
    systemd services; installed packages, volume groups, paths, and the content and mode of files.
  - Returns only what differs, with the same rules as M(ansible.posix.sysctl) (C(reload=true)),
    M(community.general.modprobe) (C(persistent=present), no parameters) and
    M(ansible.builtin.systemd_service) (C(enabled=true), C(state=started)), so that the roles of this
    collection call those modules only where there is something to do. On a node that is already
    prepared this saves one remote module call per setting.
  - Where a value cannot be read, it is reported as differing and the real module decides.
  - Tells in RV(vips_differ) whether M(lvmkube.cluster.loopback_vips) would change anything for O(vips).
  - Changes nothing.
options:
  services:
    description: systemd services to be enabled and running.
    type: list
    elements: str
    default: []
  volume_groups:
    description: LVM volume groups to exist. Without C(vgs) every one is reported missing.
    type: list
    elements: str
    default: []
  files:
    description:
      - Files to have a given content, mode, owner and group, as M(ansible.builtin.copy) or
        M(ansible.builtin.template) would write them. A file is reported in RV(files_to_write) when it is
        missing, not a regular file (a symbolic link included), or differs in any of these; the role then
        calls the real module, which decides and shows the diff.
      - A file given with none of O(files[].content), O(files[].checksum) and O(files[].same_as) is only read
        (RV(files)) and never reported in RV(files_to_write); M(lvmkube.cluster.node_converge), given this read as
        its C(node_read), decides for the content it renders.
    type: list
    elements: dict
    default: []
    suboptions:
      path:
        description: The file.
        type: path
        required: true
      content:
        description: The wanted content (compared by its sha1, as M(ansible.builtin.copy) does).
        type: str
      checksum:
        description:
          - The wanted checksum, C(algorithm:digest) as M(ansible.builtin.get_url) takes it (for example
            C(sha256:...)); a bare digest is sha1.
        type: str
      same_as:
        description: Another file on the node whose content the file must have (a file unpacked from a tarball).
        type: path
      mode:
        description: The wanted permissions, octal (V("0644")). Another form (symbolic) is reported as differing.
        type: raw
      owner:
        description: The wanted owner, a name or a uid.
        type: str
      group:
        description: The wanted group, a name or a gid.
        type: str
extends_documentation_fragment:
  - lvmkube.cluster.node_state
  - lvmkube.cluster.attributes
  - lvmkube.cluster.attributes.posix
  - lvmkube.cluster.attributes.info_module
notes:
  - Without C(systemctl) every service is reported as not running.
seealso:
  - module: ansible.posix.sysctl
  - module: community.general.modprobe
  - module: ansible.builtin.systemd_service
"""

EXAMPLES = r"""
- name: Read what differs
  lvmkube.cluster.node_state_info:
    sysctls:
      net.ipv4.ip_forward: 1
    sysctl_file: /etc/sysctl.d/90-example.conf
    kernel_modules: [br_netfilter]
  register: node_state

- name: Set the sysctls that differ
  ansible.posix.sysctl:
    name: "{{ item.name }}"
    value: "{{ item.value }}"
    sysctl_file: /etc/sysctl.d/90-example.conf
    reload: true
  loop: "{{ node_state.sysctls_to_set }}"
"""

RETURN = r"""
sysctls_to_set:
  description:
    - Wanted sysctls whose file line or running value differs, with the value as M(ansible.posix.sysctl) compares it.
  returned: always
  type: list
  elements: dict
  sample: [{"name": "net.ipv4.ip_forward", "value": "1"}]
sysctls:
  description: What was found for each wanted sysctl; C(null) where nothing could be read.
  returned: always
  type: dict
  sample: {"net.ipv4.ip_forward": {"file": "1", "running": "0"}}
kernel_modules_to_load:
  description: Wanted modules that are not loaded, not listed for boot, or have options set in C(/etc/modprobe.d).
  returned: always
  type: list
  elements: str
  sample: [br_netfilter]
services:
  description: C(LoadState), C(UnitFileState) and C(ActiveState) of each wanted service.
  returned: always
  type: dict
  sample: {"lvmd.service": {"LoadState": "loaded", "UnitFileState": "enabled", "ActiveState": "active"}}
services_to_start:
  description: Wanted services that are not loaded, enabled and active.
  returned: always
  type: list
  elements: str
  sample: [lvmd.service]
packages_missing:
  description: Wanted packages that are not installed.
  returned: always
  type: list
  elements: str
  sample: [thin-provisioning-tools]
volume_groups_present:
  description: All volume groups of the host (empty without C(vgs)).
  returned: always
  type: list
  elements: str
  sample: [vg-data, vg-fast]
volume_groups_missing:
  description: Wanted volume groups that do not exist.
  returned: always
  type: list
  elements: str
  sample: [vg-fast]
paths:
  description: For each wanted path, whether it exists and its type.
  returned: always
  type: dict
  sample:
    /etc/topolvm: {"exists": true, "type": "directory"}
    /run/topolvm/lvmd.sock: {"exists": false, "type": null}
vips_differ:
  description:
    - Whether M(lvmkube.cluster.loopback_vips) would add or remove an address or rewrite its state file; V(true)
      also when the VIPs, the state file or the device cannot be read (that module then says why). V(false)
      without O(vips).
  returned: always
  type: bool
files_to_write:
  description: Paths of O(files) that are missing or differ in content, mode, owner or group.
  returned: always
  type: list
  elements: str
  sample: [/etc/topolvm/lvmd.yaml]
files:
  description:
    - For each path of O(files), what was found; C(sha1) and C(mode) are C(null) when it is not a regular file.
  returned: always
  type: dict
  sample:
    /etc/topolvm/lvmd.yaml: {"exists": true, "sha1": "0beec7b5ea3f0fdbc95d0dd47f3c5bc275da8a33", "mode": "0644",
                             "owner": "root", "group": "root", "uid": 0, "gid": 0}
"""

import glob  # noqa: E402
import grp  # noqa: E402
import hashlib  # noqa: E402
import os  # noqa: E402
import platform  # noqa: E402
import pwd  # noqa: E402
import stat  # noqa: E402

from ansible.module_utils.basic import AnsibleModule  # noqa: E402

from ansible_collections.lvmkube.cluster.plugins.module_utils import loopback_vips as vips_utils  # noqa: E402
from ansible_collections.lvmkube.cluster.plugins.module_utils.node_commands import run_or_fail  # noqa: E402
from ansible_collections.lvmkube.cluster.plugins.module_utils.node_state import (  # noqa: E402
    MODPROBE_DIR,
    MODULES_LOAD_DIR,
    content_digest,
    file_differs,
    file_mode,
    file_options,
    installed_dpkg_packages,
    installed_rpm_packages,
    kernel_modules_to_load,
    missing_packages,
    parse_checksum,
    parse_sysctl_file,
    parse_systemctl_show,
    parse_vgs_names,
    service_running_enabled,
    sysctl_proc_path,
    sysctls_to_set,
    wanted_state_options,
)
from ansible_collections.lvmkube.cluster.plugins.module_utils.text_files import FileReadError, read_text  # noqa: E402

SERVICE_PROPERTIES = ("LoadState", "UnitFileState", "ActiveState")


def node_text(path):
    """A node file's text, or None when it is missing or cannot be read: then the real module is asked."""
    try:
        return read_text(path)
    except FileReadError:
        return None


def directory_texts(directory):
    return [text for text in (node_text(path) for path in sorted(glob.glob(os.path.join(directory, "*")))) if text]


def service_states(module, names):
    systemctl = module.get_bin_path("systemctl")
    states = {}
    for name in names:
        props = {}
        if systemctl:
            # systemctl show answers rc 0 (LoadState=not-found) for an unknown unit: a failure is a failed read.
            args = [systemctl, "show", "--property=" + ",".join(SERVICE_PROPERTIES), name]
            _rc, out, _err = run_or_fail(module, args)
            props = parse_systemctl_show(out)
        states[name] = {key: props.get(key) for key in SERVICE_PROPERTIES}
    return states


def installed_packages(module, names):
    plain = [name for name in names if name and not any(char in name for char in "=<>*:")]
    if not plain:
        return set()
    dpkg_query = module.get_bin_path("dpkg-query")
    if dpkg_query:
        # dpkg-query(1): 1 when a package is not found, 2 (fatal) and others are failures.
        args = [dpkg_query, "-W", "-f=${Package}\t${db:Status-Abbrev}\n", *plain]
        _rc, out, _err = run_or_fail(module, args, ok_rcs=(0, 1))
        return installed_dpkg_packages(out)
    rpm = module.get_bin_path("rpm")
    if rpm:
        # rpm -q exits with the number of packages not installed.
        ok_rcs = tuple(range(len(plain) + 1))
        _rc, out, _err = run_or_fail(module, [rpm, "-q", "--queryformat", "%{NAME}\n", *plain], ok_rcs=ok_rcs)
        return installed_rpm_packages(out, plain)
    return set()


def volume_groups(module):
    vgs = module.get_bin_path("vgs")
    if not vgs:
        return []
    _rc, out, _err = run_or_fail(module, [vgs, "--noheadings", "--options", "vg_name"])
    return parse_vgs_names(out)


def path_state(path):
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return {"exists": False, "type": None}
    for kind, test in (("directory", stat.S_ISDIR), ("file", stat.S_ISREG), ("socket", stat.S_ISSOCK)):
        if test(mode):
            return {"exists": True, "type": kind}
    return {"exists": True, "type": "other"}


def vips_differ(module, spec):
    """Whether loopback_vips would change anything (True also when something cannot be read)."""
    if spec is None:
        return False
    ip = module.get_bin_path("ip")
    state_text = node_text(spec["state_file"]) if os.path.exists(spec["state_file"]) else ""
    if ip is None or state_text is None:
        return True
    rc, out, _err = module.run_command([ip, "-4", "-o", "addr", "show", "dev", spec["device"]])
    if rc != 0:
        return True
    try:
        desired = vips_utils.normalize_vips(spec["addresses"])
        return vips_utils.plan_vips(desired, vips_utils.parse_ip_addresses(out), state_text)["changed"]
    except vips_utils.VipError:
        return True


def file_found(path, algorithms):
    """What M(ansible.builtin.copy) compares of a regular file, or None (missing, link, directory, unreadable)."""
    try:
        info = os.lstat(path)
        if not stat.S_ISREG(info.st_mode):
            return None
        hashes = {algorithm: hashlib.new(algorithm) for algorithm in algorithms}
        with open(path, "rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                for digest in hashes.values():
                    digest.update(block)
    except OSError:
        return None
    try:
        owner = pwd.getpwuid(info.st_uid).pw_name
    except KeyError:
        owner = str(info.st_uid)
    try:
        group = grp.getgrgid(info.st_gid).gr_name
    except KeyError:
        group = str(info.st_gid)
    return {
        "digests": {algorithm: digest.hexdigest() for algorithm, digest in hashes.items()},
        "mode": stat.S_IMODE(info.st_mode),
        "owner": owner,
        "uid": info.st_uid,
        "group": group,
        "gid": info.st_gid,
    }


def file_states(module, specs):
    """(files_to_write, files) for the O(files) option."""
    to_write, states = [], {}
    for spec in specs:
        given = sum(spec[key] is not None for key in ("content", "checksum", "same_as"))
        if given > 1:
            module.fail_json(msg=f"files: {spec['path']} takes at most one of content, checksum and same_as")
        if given == 0:
            digest = None
        elif spec["content"] is not None:
            digest = content_digest(spec["content"])
        elif spec["checksum"] is not None:
            digest = parse_checksum(spec["checksum"])
            if digest is None:
                module.fail_json(msg=f"files: {spec['path']}: checksum {spec['checksum']!r} is not algorithm:digest")
        else:
            other = file_found(spec["same_as"], ["sha1"])
            digest = ("sha1", other["digests"]["sha1"]) if other else None
        found = file_found(spec["path"], sorted({"sha1", digest[0] if digest else "sha1"}))
        wanted = {"digest": digest, "mode": file_mode(spec["mode"]), "owner": spec["owner"], "group": spec["group"]}
        if given and file_differs(wanted, found):
            to_write.append(spec["path"])
        states[spec["path"]] = {
            "exists": os.path.lexists(spec["path"]),
            "sha1": found["digests"]["sha1"] if found else None,
            "mode": f"{found['mode']:04o}" if found else None,
            "owner": found["owner"] if found else None,
            "group": found["group"] if found else None,
            "uid": found["uid"] if found else None,
            "gid": found["gid"] if found else None,
        }
    return to_write, states


def main():
    module = AnsibleModule(
        argument_spec={
            **wanted_state_options(),
            "services": {"type": "list", "elements": "str", "default": []},
            "volume_groups": {"type": "list", "elements": "str", "default": []},
            "files": {
                "type": "list",
                "elements": "dict",
                "default": [],
                "options": file_options(checksum={"type": "str"}, same_as={"type": "path"}),
            },
        },
        supports_check_mode=True,
    )
    wanted = module.params["sysctls"]
    if wanted and not module.params["sysctl_file"]:
        module.fail_json(msg="sysctl_file is required when sysctls are given")

    file_values = parse_sysctl_file(node_text(module.params["sysctl_file"]) or "") if wanted else {}
    proc_values = {}
    for name in wanted:
        text = node_text(sysctl_proc_path(name))
        proc_values[name.strip()] = text.strip() if text is not None else None

    names = module.params["kernel_modules"]
    to_load = []
    if names:
        builtin = node_text(os.path.join("/lib/modules", platform.release(), "modules.builtin")) or ""
        to_load = kernel_modules_to_load(
            names,
            node_text("/proc/modules") or "",
            builtin,
            directory_texts(MODULES_LOAD_DIR),
            directory_texts(MODPROBE_DIR),
        )

    services = service_states(module, module.params["services"])
    packages = module.params["packages"]
    present_vgs = volume_groups(module) if module.params["volume_groups"] else []
    files_to_write, files = file_states(module, module.params["files"])
    module.exit_json(
        changed=False,
        sysctls_to_set=sysctls_to_set(wanted, file_values, proc_values),
        sysctls={
            name.strip(): {"file": file_values.get(name.strip()), "running": proc_values.get(name.strip())}
            for name in wanted
        },
        kernel_modules_to_load=to_load,
        services=services,
        services_to_start=[name for name, props in services.items() if not service_running_enabled(props)],
        packages_missing=missing_packages(packages, installed_packages(module, packages)) if packages else [],
        volume_groups_present=present_vgs,
        volume_groups_missing=[name for name in module.params["volume_groups"] if name not in present_vgs],
        paths={path: path_state(path) for path in module.params["paths"]},
        vips_differ=vips_differ(module, module.params["vips"]),
        files_to_write=files_to_write,
        files=files,
    )


if __name__ == "__main__":
    main()
