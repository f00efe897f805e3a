#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, lvmkube.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: lvm_device_check
short_description: Inspect the devices meant for LVM volume groups, read-only
version_added: 1.0.0
author: lvmkube.cluster contributors (@lvmkube)
description:
  - Resolves every device of every volume group (any path, C(/dev/disk/by-id/...) included) and inspects it with
    C(pvs), C(blkid -p), C(wipefs) (listing only) and C(lsblk), without writing anything.
  - Classifies each device as free, a physical volume of the wanted volume group, an unused physical volume,
    or refused (missing, not a block device, filesystem, partition table, other signature, physical volume of
    another volume group, mounted, in use by device-mapper, listed twice under two names).
  - A refused device whose volume group has O(volume_groups[].force_wipe=true) is listed in RV(to_wipe) instead,
    unless it is missing, mounted or in use - those are never wiped.
  - The module itself never fails because of what it finds; the calling role decides (the P(lvmkube.cluster.lvm#role)
    role fails before any write when RV(missing) or RV(refused) is not empty).
  - Also tells which volume groups and thin pools M(community.general.lvg) and M(community.general.lvol) would
    change (RV(volume_groups_to_change), RV(thin_pools_to_change)), with the rules of those modules, so that a
    role calls them only there.
extends_documentation_fragment:
  - lvmkube.cluster.attributes
  - lvmkube.cluster.attributes.posix
  - lvmkube.cluster.attributes.info_module
options:
  volume_groups:
    description:
      - The volume groups and their devices, usually the output of the P(lvmkube.cluster.volume_groups#filter) filter.
    type: list
    elements: dict
    default: []
    suboptions:
      name:
        description: Volume group name.
        type: str
        required: true
      devices:
        description: Device paths.
        type: list
        elements: str
        default: []
      force_wipe:
        description: Devices with foreign signatures go to RV(to_wipe) instead of RV(refused).
        type: bool
        default: false
      classes:
        description: Names of the device classes of this volume group, only used in messages.
        type: list
        elements: str
        default: []
      thin_pools:
        description:
          - Thin pools of the volume group, each with C(name) and C(size_percent) (of the volume group), as the
            filter gives them; other keys are ignored.
        type: list
        elements: dict
        default: []
  pvresize:
    description: As M(community.general.lvg)'s C(pvresize) - a physical volume whose device grew is a change.
    type: bool
    default: false
  remove_extra_pvs:
    description: As M(community.general.lvg)'s C(remove_extra_pvs) - a physical volume not listed is a change.
    type: bool
    default: false
  tools:
    description:
      - Commands to look for (in C(PATH) and the C(sbin) directories, as M(community.general.lvg) finds its tools);
        those not found are returned in RV(tools_missing). A role installs its packages only then, without asking
        the package manager on every run.
    type: list
    elements: str
    default: []
notes:
  - Needs C(blkid), C(wipefs) and C(lsblk) (util-linux) when devices are listed.
  - Without C(pvs) (lvm2 not installed yet) no device is a
    physical volume and no volume group exists.
"""

EXAMPLES = r"""
- name: Inspect the devices of the device classes
  lvmkube.cluster.lvm_device_check:
    volume_groups: "{{ lvmkube_device_classes | lvmkube.cluster.volume_groups }}"
  register: lvm_check

- name: Fail before writing anything when a device is refused
  ansible.builtin.fail:
    msg: "{{ lvm_check.refused | map(attribute='message') | join('; ') }}"
  when: lvm_check.refused | length > 0
"""

RETURN = r"""
devices:
  description: One entry per listed device, in order.
  returned: always
  type: list
  elements: dict
  contains:
    path:
      description: The path as given.
      type: str
    real_path:
      description: The path with symbolic links resolved.
      type: str
    volume_group:
      description: The volume group the device is meant for.
      type: str
    state:
      description:
        - V(free) (no signature), V(member) (already a PV of this volume group), V(unused_pv) (a PV of no volume
          group), V(refused), V(wipe) (refused, but force_wipe is set) or V(missing).
      type: str
    reasons:
      description: Why the device is refused, for example C(ext4 filesystem) or C(physical volume of volume group vg0).
      type: list
      elements: str
  sample:
    - path: /dev/disk/by-id/virtio-data1
      real_path: /dev/vdb
      volume_group: myvg1
      state: free
      reasons: []
missing:
  description: Listed devices that do not exist.
  returned: always
  type: list
  elements: str
refused:
  description: Refused devices, each with C(path), C(real_path), C(volume_group), C(reasons) and C(message).
  returned: always
  type: list
  elements: dict
to_wipe:
  description: Real paths of refused devices that force_wipe allows to be wiped (C(wipefs --all)).
  returned: always
  type: list
  elements: str
to_wipe_by_volume_group:
  description:
    - The devices of RV(to_wipe) per volume group, as listed (not resolved). Check mode wipes nothing, so a role
      can tell which volume groups it cannot create or extend yet.
  returned: always
  type: dict
  sample: {vgreuse: [/dev/disk/by-id/virtio-wipe1]}
existing_volume_groups:
  description: Names of the volume groups that exist on the host.
  returned: always
  type: list
  elements: str
lvm_available:
  description: Whether C(pvs) and C(vgs) were found.
  returned: always
  type: bool
tools_missing:
  description: The commands of O(tools) that were not found.
  returned: always
  type: list
  elements: str
  sample: [thin_check]
volume_groups_to_change:
  description:
    - Volume groups with devices that M(community.general.lvg) would change - missing, a device not yet one of
      their physical volumes, a physical volume not listed (with O(remove_extra_pvs)), a device grown by more
      than one extent (with O(pvresize)).
  returned: always
  type: list
  elements: str
  sample: [myvg1]
thin_pools_to_change:
  description:
    - Thin pools, as C(volume_group/pool), that M(community.general.lvol) with C(size=<size_percent>%VG) would
      create or extend; every pool of a volume group in RV(volume_groups_to_change) is listed.
  returned: always
  type: list
  elements: str
  sample: [myvg2/pool0]
"""

import json  # noqa: E402 - ansible-test wants the documentation first
import os  # noqa: E402
import stat  # noqa: E402

from ansible.module_utils.basic import AnsibleModule  # noqa: E402

from ansible_collections.lvmkube.cluster.plugins.module_utils.node_commands import run_or_fail  # noqa: E402

# ---------------------------------------------------------------------------
# Pure functions (unit-tested on captured command output)
# ---------------------------------------------------------------------------


def parse_lvm_report(text, section):
    """Rows of an LVM ``--reportformat json`` report section (``pv``, ``vg``, ...)."""
    if not text.strip():
        return []
    data = json.loads(text)
    rows = []
    for report in data.get("report", []):
        rows.extend(report.get(section, []))
    return rows


def parse_blkid_export(text):
    """Dict of ``blkid -p -o export`` output (``KEY=value`` lines, backslash escapes removed)."""
    result = {}
    for line in text.splitlines():
        key, sep, value = line.partition("=")
        if sep and key:
            result[key.strip()] = value.replace("\\ ", " ").strip()
    return result


def parse_wipefs_json(text):
    """Signature types listed by ``wipefs --json`` (which only lists without ``--all``)."""
    if not text.strip():
        return []
    data = json.loads(text)
    return [sig.get("type") or "unknown" for sig in data.get("signatures", [])]


def parse_lsblk_json(text):
    """``(children, mountpoints)`` of the first device of ``lsblk -J -o NAME,PATH,TYPE,FSTYPE,MOUNTPOINT``."""
    if not text.strip():
        return [], []
    data = json.loads(text)
    devices = data.get("blockdevices", [])
    if not devices:
        return [], []
    top = devices[0]
    children = []
    mountpoints = []

    def walk(node, is_top):
        points = node.get("mountpoints")
        if points is None:
            points = [node.get("mountpoint")]
        mountpoints.extend(p for p in points if p)
        if not is_top:
            children.append(node.get("path") or node.get("name"))
        for child in node.get("children", []) or []:
            walk(child, False)

    walk(top, True)
    return children, mountpoints


def signature_reasons(blkid, wipefs_types, children, pv_known):
    """Human reasons why a device carries data, from blkid, wipefs and lsblk facts.

    ``pv_known`` tells whether ``pvs`` reported the device; an LVM signature pvs does not know is refused too.
    """
    reasons = []
    usage = blkid.get("USAGE", "")
    fs_type = blkid.get("TYPE", "")
    if fs_type == "LVM2_member":
        if not pv_known:
            reasons.append("LVM physical volume signature that pvs does not report")
    elif fs_type:
        kind = "filesystem" if usage == "filesystem" else f"{usage or 'unknown'} signature"
        reasons.append(f"{fs_type} {kind}")
    if blkid.get("PTTYPE"):
        reasons.append(f"{blkid['PTTYPE']} partition table")
    if children:
        reasons.append(f"partitions {', '.join(children)}")
    seen = {fs_type, blkid.get("PTTYPE", "")}
    if fs_type == "LVM2_member":
        seen.add("LVM2_member")
    for sig in wipefs_types:
        if sig not in seen and sig != "PMBR":
            reasons.append(f"{sig} signature")
            seen.add(sig)
    return reasons


def classify(volume_group, force_wipe, facts):
    """Decide what to do with one device.

    ``facts`` has ``exists``, ``is_block``, ``pv_vg`` (None when not a PV, '' for a PV of no VG),
    ``blkid``, ``wipefs``, ``children``, ``mountpoints``, ``holders``, ``duplicate_of``.
    Returns ``(state, reasons, hard)``; ``hard`` refusals are never lifted by force_wipe.
    """
    if not facts.get("exists"):
        return "missing", ["does not exist"], True
    if not facts.get("is_block"):
        return "refused", ["is not a block device"], True
    hard = []
    if facts.get("duplicate_of"):
        hard.append(f"same device as {facts['duplicate_of']} (listed twice)")
    if facts.get("mountpoints"):
        hard.append(f"mounted at {', '.join(facts['mountpoints'])}")
    pv_vg = facts.get("pv_vg")
    if facts.get("holders") and pv_vg != volume_group:
        hard.append(f"in use by {', '.join(facts['holders'])}")
    if hard:
        return "refused", hard, True
    if pv_vg == volume_group:
        return "member", [], False
    reasons = []
    if pv_vg:
        reasons.append(f"physical volume of volume group {pv_vg}")
    reasons.extend(
        signature_reasons(facts.get("blkid", {}), facts.get("wipefs", []), facts.get("children", []), pv_vg is not None)
    )
    if not reasons:
        return ("unused_pv" if pv_vg == "" else "free"), [], False
    return ("wipe" if force_wipe else "refused"), reasons, False


def wipe_by_volume_group(entries):
    """``{volume group: [listed paths of its devices to wipe]}`` in the order the devices were listed."""
    grouped = {}
    for entry in entries:
        if entry["state"] == "wipe":
            grouped.setdefault(entry["volume_group"], []).append(entry["path"])
    return grouped


def refusal_message(entry, classes):
    """One line naming the device, its volume group (and classes) and the reasons."""
    where = f"volume group {entry['volume_group']}"
    if classes:
        where += f" (device class {', '.join(classes)})"
    shown = entry["path"]
    if entry.get("real_path") and entry["real_path"] != entry["path"]:
        shown += f" (-> {entry['real_path']})"
    hint = ""
    if entry["state"] == "refused" and not entry["hard"]:
        hint = "; set force_wipe: true on the device class to wipe it"
    return f"device {shown} for {where}: {'; '.join(entry['reasons'])}{hint}"


def pv_needs_resize(row):
    """community.general.lvg's pvresize rule: the device has more than one extent beyond the PV (sizes in bytes)."""
    return row["dev_size"] - (row["pe_start"] + row["pv_size"]) > row["vg_extent_size"]


def volume_groups_to_change(groups, pv_rows, existing, pvresize, remove_extra_pvs):
    """Names of the volume groups with devices that community.general.lvg would change.

    ``groups``: ``{"name", "real_paths"}``; ``pv_rows``: ``{"pv_name"`` (resolved), ``"vg_name"``, ``"dev_size"``,
    ``"pv_size"``, ``"pe_start"``, ``"vg_extent_size"}`` (bytes); ``existing``: names of the volume groups.
    """
    changing = []
    for group in groups:
        if not group["real_paths"]:
            continue
        rows = [row for row in pv_rows if row["vg_name"] == group["name"]]
        current = {row["pv_name"] for row in rows}
        wanted = set(group["real_paths"])
        if (
            group["name"] not in existing
            or wanted - current
            or (remove_extra_pvs and current - wanted)
            or (pvresize and any(pv_needs_resize(row) for row in rows))
        ):
            changing.append(group["name"])
    return changing


def pool_size_wanted(size_percent, vg_size, extent_size):
    """community.general.lvol's size for ``<size_percent>%VG``, rounded down to an extent (sizes in MiB, floats)."""
    wanted = size_percent * vg_size / 100
    return wanted - wanted % extent_size


def thin_pools_to_change(groups, vg_rows, lv_rows, vgs_changing):
    """``volume_group/pool`` of the thin pools community.general.lvol would create or extend.

    ``vg_rows``: name -> ``{"vg_size", "vg_extent_size"}`` in MiB; ``lv_rows``: ``{"vg_name", "lv_name",
    "lv_size"`` (MiB), ``"lv_attr"}``. The pools of a volume group about to change are all listed: their size
    is relative to the volume group.
    """
    changing = []
    for group in groups:
        for pool in group.get("thin_pools") or []:
            key = f"{group['name']}/{pool['name']}"
            vg = vg_rows.get(group["name"])
            lv = next(
                (row for row in lv_rows if row["vg_name"] == group["name"] and row["lv_name"] == pool["name"]), None
            )
            if (
                group["name"] in vgs_changing
                or vg is None
                or lv is None
                or not lv["lv_attr"].startswith("t")
                or lv["lv_size"] < pool_size_wanted(float(pool["size_percent"]), vg["vg_size"], vg["vg_extent_size"])
            ):
                changing.append(key)
    return changing


# ---------------------------------------------------------------------------
# Host inspection
# ---------------------------------------------------------------------------


class Inspector:
    """Runs the read-only commands."""

    def __init__(self, module):
        self.module = module
        self.env = {"LC_ALL": "C", "LANG": "C"}
        self.pvs = module.get_bin_path("pvs")
        self.vgs = module.get_bin_path("vgs")
        self._tools = {}
        self._pv_rows = None

    def tool(self, name):
        """Path of a util-linux tool, looked up when a device is first inspected."""
        if name not in self._tools:
            self._tools[name] = self.module.get_bin_path(name, required=True)
        return self._tools[name]

    def run(self, args, ok_rcs=(0,)):
        # Retried (a loaded host, a held LVM lock), then the task fails naming the command and its error.
        rc, out, _err = run_or_fail(self.module, args, ok_rcs=ok_rcs, environ_update=self.env)
        return rc, out

    def pv_rows(self):
        """Physical volumes with sizes in bytes (names resolved), read once."""
        if self._pv_rows is None:
            self._pv_rows = []
            if self.pvs:
                fields = "pv_name,vg_name,dev_size,pv_size,pe_start,vg_extent_size"
                _rc, out = self.run([self.pvs, "--reportformat", "json", "--units", "b", "--nosuffix", "-o", fields])
                self._pv_rows = [
                    {
                        "pv_name": os.path.realpath(row["pv_name"]),
                        "vg_name": row.get("vg_name", ""),
                        **{key: int(float(row.get(key) or 0)) for key in fields.split(",")[2:]},
                    }
                    for row in parse_lvm_report(out, "pv")
                ]
        return self._pv_rows

    def physical_volumes(self):
        return {row["pv_name"]: row["vg_name"] for row in self.pv_rows()}

    def vg_rows(self):
        """name -> size and extent size in MiB, as community.general.lvol reads them (``--units m``)."""
        if not self.vgs:
            return {}
        _rc, out = self.run(
            [self.vgs, "--reportformat", "json", "--units", "m", "--nosuffix", "-o", "vg_name,vg_size,vg_extent_size"]
        )
        return {
            row["vg_name"]: {"vg_size": float(row["vg_size"]), "vg_extent_size": float(row["vg_extent_size"])}
            for row in parse_lvm_report(out, "vg")
        }

    def lv_rows(self):
        lvs = self.module.get_bin_path("lvs")
        if not lvs:
            return []
        _rc, out = self.run(
            [lvs, "--reportformat", "json", "--units", "m", "--nosuffix", "-o", "vg_name,lv_name,lv_size,lv_attr"]
        )
        return [dict(row, lv_size=float(row["lv_size"])) for row in parse_lvm_report(out, "lv")]

    def device_facts(self, real_path):
        # blkid exits 2 when it finds nothing.
        rc, out = self.run([self.tool("blkid"), "-p", "-o", "export", real_path], ok_rcs=(0, 2))
        blkid = parse_blkid_export(out) if rc == 0 else {}
        _rc, out = self.run([self.tool("wipefs"), "--json", real_path])
        wipefs = parse_wipefs_json(out)
        _rc, out = self.run([self.tool("lsblk"), "-J", "-o", "NAME,PATH,TYPE,FSTYPE,MOUNTPOINT", real_path])
        children, mountpoints = parse_lsblk_json(out)
        holders_dir = f"/sys/class/block/{os.path.basename(real_path)}/holders"
        holders = sorted(os.listdir(holders_dir)) if os.path.isdir(holders_dir) else []
        return {
            "blkid": blkid,
            "wipefs": wipefs,
            "children": children,
            "mountpoints": mountpoints,
            "holders": holders,
        }


def inspect(inspector, volume_groups):
    """Classify every device of every volume group; returns ``(entry, classes)`` pairs."""
    pvs = inspector.physical_volumes()
    entries = []
    seen = {}
    for group in volume_groups:
        for path in group["devices"]:
            real_path = os.path.realpath(path)
            facts = {"exists": os.path.exists(path)}
            if facts["exists"]:
                facts["is_block"] = stat.S_ISBLK(os.stat(real_path).st_mode)
                if facts["is_block"]:
                    facts.update(inspector.device_facts(real_path))
                    facts["pv_vg"] = pvs.get(real_path)
                if real_path in seen:
                    facts["duplicate_of"] = seen[real_path]
                seen.setdefault(real_path, path)
            state, reasons, hard = classify(group["name"], group["force_wipe"], facts)
            entry = {
                "path": path,
                "real_path": real_path,
                "volume_group": group["name"],
                "state": state,
                "reasons": reasons,
                "hard": hard,
            }
            entries.append((entry, group.get("classes") or []))
    return entries


def main():
    module = AnsibleModule(
        argument_spec=dict(
            volume_groups=dict(
                type="list",
                elements="dict",
                default=[],
                options=dict(
                    name=dict(type="str", required=True),
                    devices=dict(type="list", elements="str", default=[]),
                    force_wipe=dict(type="bool", default=False),
                    classes=dict(type="list", elements="str", default=[]),
                    thin_pools=dict(type="list", elements="dict", default=[]),
                ),
            ),
            pvresize=dict(type="bool", default=False),
            remove_extra_pvs=dict(type="bool", default=False),
            tools=dict(type="list", elements="str", default=[]),
        ),
        supports_check_mode=True,
    )
    inspector = Inspector(module)
    groups = module.params["volume_groups"]
    entries = inspect(inspector, groups)
    vg_rows = inspector.vg_rows()
    resolved = [
        {"name": group["name"], "real_paths": [os.path.realpath(p) for p in group["devices"]]} for group in groups
    ]
    changing = volume_groups_to_change(
        resolved,
        inspector.pv_rows(),
        set(vg_rows),
        module.params["pvresize"],
        module.params["remove_extra_pvs"],
    )
    with_pools = [group for group in groups if group["thin_pools"]]
    devices = []
    refused = []
    for entry, classes in entries:
        public = {key: entry[key] for key in ("path", "real_path", "volume_group", "state", "reasons")}
        devices.append(public)
        if entry["state"] == "refused":
            refused.append(dict(public, message=refusal_message(entry, classes)))
    module.exit_json(
        changed=False,
        devices=devices,
        missing=[entry["path"] for entry, _classes in entries if entry["state"] == "missing"],
        refused=refused,
        to_wipe=[entry["real_path"] for entry, _classes in entries if entry["state"] == "wipe"],
        to_wipe_by_volume_group=wipe_by_volume_group(entry for entry, _classes in entries),
        existing_volume_groups=sorted(vg_rows),
        lvm_available=bool(inspector.pvs and inspector.vgs),
        tools_missing=[name for name in module.params["tools"] if not module.get_bin_path(name)],
        volume_groups_to_change=changing,
        thin_pools_to_change=thin_pools_to_change(
            with_pools, vg_rows, inspector.lv_rows() if with_pools and vg_rows else [], changing
        ),
    )


if __name__ == "__main__":
    main()
