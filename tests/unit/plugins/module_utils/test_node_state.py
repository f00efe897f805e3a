# Copyright: (c) 2026, lvmkube.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Unit tests of the helpers that tell which settings of a node differ from what is wanted."""

from __future__ import annotations

import pytest

from ansible_collections.lvmkube.cluster.plugins.module_utils.node_state import (
    file_differs,
    file_mode,
    installed_dpkg_packages,
    installed_rpm_packages,
    kernel_module_has_options,
    kernel_module_loaded,
    kernel_module_persistent,
    kernel_modules_to_load,
    missing_packages,
    parse_checksum,
    parse_sysctl_file,
    parse_systemctl_show,
    parse_vgs_names,
    service_running_enabled,
    sysctl_proc_path,
    sysctl_value,
    sysctls_to_set,
)


@pytest.mark.parametrize(
    ("value", "expected"),
    [(1, "1"), ("1", "1"), (True, "1"), ("yes", "1"), ("on", "1"), (False, "0"), ("off", "0"), (" 2 ", "2"),
     ("32768 60999", "32768 60999"), (None, "")],
)  # fmt: skip
def test_sysctl_value_normalises_like_ansible_posix(value, expected):
    assert sysctl_value(value) == expected


def test_parse_sysctl_file_skips_comments_and_keeps_the_last_assignment():
    text = "# comment\n; other comment\n\nnet.ipv4.ip_forward = 0\nnot a setting\n net.ipv4.ip_forward=1 \nvm.x= a  b\n"
    assert parse_sysctl_file(text) == {"net.ipv4.ip_forward": "1", "vm.x": "a  b"}


def test_sysctl_proc_path_swaps_dots_and_slashes():
    assert sysctl_proc_path("net.ipv4.ip_forward") == "/proc/sys/net/ipv4/ip_forward"
    assert sysctl_proc_path("net.ipv4.conf.eth0/100.arp_ignore") == "/proc/sys/net/ipv4/conf/eth0.100/arp_ignore"


def test_sysctls_to_set_reports_file_and_running_differences():
    wanted = {"a.ok": 1, "b.file_differs": 1, "c.not_in_file": 1, "d.running_differs": 2, "e.unreadable": 1,
              "f.multi": "32768 60999"}  # fmt: skip
    file_values = {"a.ok": "1", "b.file_differs": "0", "d.running_differs": "2", "e.unreadable": "1",
                   "f.multi": "32768 60999"}  # fmt: skip
    running = {"a.ok": "1", "b.file_differs": "1", "c.not_in_file": "1", "d.running_differs": "1",
               "e.unreadable": None, "f.multi": "32768\t60999"}  # fmt: skip
    assert sysctls_to_set(wanted, file_values, running) == [
        {"name": "b.file_differs", "value": "1"},
        {"name": "c.not_in_file", "value": "1"},
        {"name": "d.running_differs", "value": "2"},
        {"name": "e.unreadable", "value": "1"},
    ]


def test_sysctls_to_set_is_empty_when_everything_matches():
    assert sysctls_to_set({"x.y": "yes"}, {"x.y": "1"}, {"x.y": "1"}) == []


PROC_MODULES = "overlay 163840 0 - Live 0x0\nbr_netfilter 32768 0 - Live 0x0\nnf_conntrack 1 2 - Live 0\n"
BUILTIN = "kernel/fs/ext4/ext4.ko\nkernel/net/ipv4/ip_tables.ko\n"


@pytest.mark.parametrize(
    ("name", "loaded"),
    [("overlay", True), ("br_netfilter", True), ("br-netfilter", True), ("ext4", True), ("ip_vs", False),
     ("nf", False)],
)  # fmt: skip
def test_kernel_module_loaded_reads_proc_modules_and_builtins(name, loaded):
    assert kernel_module_loaded(name, PROC_MODULES, BUILTIN) is loaded


def test_kernel_module_persistent_needs_a_line_of_its_own():
    texts = ["# overlay\noverlay # for containerd\n", "br_netfilterx\n", "  ip_vs ; load\n"]
    assert kernel_module_persistent("overlay", texts)
    assert kernel_module_persistent("ip_vs", texts)
    assert not kernel_module_persistent("br_netfilter", texts)


def test_kernel_module_has_options():
    assert kernel_module_has_options("br_netfilter", ["options br_netfilter foo=1\n"])
    assert not kernel_module_has_options("br_netfilter", ["# options br_netfilter foo=1\noptions overlay x=1\n"])


def test_kernel_modules_to_load_lists_each_reason_once():
    load_d = ["overlay\n", "br_netfilter\n"]
    modprobe_d = ["options br_netfilter foo=1\n"]
    names = ["overlay", "br_netfilter", "ip_vs", "ext4"]
    assert kernel_modules_to_load(names, PROC_MODULES, BUILTIN, load_d, modprobe_d) == ["br_netfilter", "ip_vs", "ext4"]
    assert kernel_modules_to_load(["overlay"], PROC_MODULES, BUILTIN, load_d, []) == []


def test_service_running_enabled():
    show = parse_systemctl_show("LoadState=loaded\nUnitFileState=enabled\nActiveState=active\n")
    assert show == {"LoadState": "loaded", "UnitFileState": "enabled", "ActiveState": "active"}
    assert service_running_enabled(show)
    for key, value in (("ActiveState", "activating"), ("UnitFileState", "disabled"), ("LoadState", "not-found")):
        assert not service_running_enabled(dict(show, **{key: value}))
    assert not service_running_enabled({})


def test_packages():
    dpkg = "lvm2\tii \nthin-provisioning-tools\trc \nnfs-common\thi \n"
    assert installed_dpkg_packages(dpkg) == {"lvm2", "nfs-common"}
    rpm = "lvm2\npackage device-mapper-persistent-data is not installed\n"
    assert installed_rpm_packages(rpm, ["lvm2", "device-mapper-persistent-data"]) == {"lvm2"}
    assert missing_packages(["lvm2", "thin-provisioning-tools"], {"lvm2"}) == ["thin-provisioning-tools"]


def test_parse_vgs_names():
    assert parse_vgs_names("  vg-fast\n  vg-data\n\n") == ["vg-data", "vg-fast"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [("sha256:" + "AB" * 32, ("sha256", "ab" * 32)), ("ab" * 20, ("sha1", "ab" * 20)),
     ("md5:" + "0" * 32, ("md5", "0" * 32)), ("sha256:abc", None), ("crc32:" + "0" * 8, None),
     ("sha1:" + "g" * 40, None), ("", None), (None, None)],
)  # fmt: skip
def test_parse_checksum(text, expected):
    assert parse_checksum(text) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [("0644", 0o644), ("755", 0o755), (0o644, 0o644), (420, 0o644), (None, None), ("u+x", False), ("0999", False),
     (True, False), (0o17777, False)],
)  # fmt: skip
def test_file_mode(value, expected):
    if isinstance(expected, bool) or expected is None:
        assert file_mode(value) is expected
    else:
        assert file_mode(value) == expected


FOUND = {"digests": {"sha1": "a" * 40}, "mode": 0o644, "owner": "root", "uid": 0, "group": "adm", "gid": 4}


@pytest.mark.parametrize(
    ("wanted", "found", "differs"),
    [
        ({"digest": ("sha1", "a" * 40), "mode": 0o644, "owner": "root", "group": "adm"}, FOUND, False),
        ({"digest": ("sha1", "a" * 40), "mode": None, "owner": None, "group": None}, FOUND, False),
        ({"digest": ("sha1", "a" * 40), "mode": 0o644, "owner": "0", "group": "4"}, FOUND, False),
        ({"digest": ("sha1", "b" * 40), "mode": 0o644}, FOUND, True),
        ({"digest": ("sha1", "a" * 40), "mode": 0o600}, FOUND, True),
        ({"digest": ("sha1", "a" * 40), "mode": False}, FOUND, True),
        ({"digest": ("sha1", "a" * 40), "owner": "nobody"}, FOUND, True),
        ({"digest": ("sha1", "a" * 40), "group": "root"}, FOUND, True),
        ({"digest": ("sha256", "a" * 64)}, FOUND, True),
        ({"digest": None}, FOUND, True),
        ({"digest": ("sha1", "a" * 40)}, None, True),
    ],
)
def test_file_differs(wanted, found, differs):
    assert file_differs(wanted, found) is differs
