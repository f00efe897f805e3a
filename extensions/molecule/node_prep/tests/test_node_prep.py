# Copyright: (c) 2026, lvmkube.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What prepare_nodes.yml must leave on a real Debian VM, checked after converge and after each reboot.

prepare.yml records on each VM what it set up (``/var/lib/lvmkube-test/node_prep.json``: the swap
partitions with their UUID/LABEL, the swap file, whether zram swap was on, the fstab lines), so each
assertion compares with what really existed on that machine. The phase (converged, rebooted,
vip-removed) is the number of reboots ../shared/reboot.yml recorded.
"""

from __future__ import annotations

import json

import pytest
import vmtest

STATE_DIR = "/var/lib/lvmkube-test"
ALL_VIPS = ["192.0.2.10", "192.0.2.11"]
SWAPPINESS = "1"
SYSCTLS = {
    "net.ipv4.conf.all.arp_ignore": "1",
    "net.ipv4.conf.all.arp_announce": "2",
    "net.ipv4.ip_forward": "1",
    "net.bridge.bridge-nf-call-iptables": "1",
    "net.bridge.bridge-nf-call-ip6tables": "1",
    "vm.swappiness": SWAPPINESS,
}
MARK = " # disabled by lvmkube.cluster.swap"


def read_json(host, name):
    content = host.file(f"{STATE_DIR}/{name}").content_string
    return json.loads(content)


@pytest.fixture
def setup(host):
    return read_json(host, "node_prep.json")


PHASES = ("converged", "rebooted", "vip-removed")


@pytest.fixture
def phase(host):
    """converged (no reboot yet), rebooted (first side effect), vip-removed (second side effect)."""
    reboots = vmtest.previous_boot_ids(host)
    assert len(reboots) < len(PHASES), f"unexpected number of reboots: {reboots}"
    return PHASES[len(reboots)]


def test_reboots_really_happened(host, phase):
    reboots = vmtest.previous_boot_ids(host)
    assert vmtest.boot_id(host) not in reboots
    assert len(set(reboots)) == len(reboots)


def test_no_swap_is_active(host):
    lines = host.file("/proc/swaps").content_string.strip().splitlines()
    assert len(lines) == 1, lines  # the header only
    assert host.check_output("swapon --show --noheadings") == ""
    assert host.check_output("awk '/^SwapTotal/ {print $2}' /proc/meminfo") == "0"


def test_prepare_really_had_swap(setup):
    # Guards against a vacuous pass: prepare recorded every swap it activated.
    assert int(setup["active_before"]) >= 3
    assert setup["uuid"]
    assert setup["label"] == "lvmkube-swap2"


def test_swap_areas_are_kept_not_deleted(host, setup):
    assert host.file(setup["swapfile"]).exists
    assert host.file(setup["swapfile"]).size > 0
    uuid = host.check_output("blkid -o value -s UUID %s", setup["uuid_device"])
    assert uuid == setup["uuid"]
    assert host.check_output("blkid -o value -s TYPE %s", setup["label_device"]) == "swap"


def test_fstab_swap_lines_are_commented_and_backed_up(host, setup):
    fstab = host.file("/etc/fstab").content_string.splitlines()
    for line in setup["fstab_lines"]:
        assert line not in fstab, f"still active in fstab: {line}"
        assert f"# {line}{MARK}" in fstab
    assert "LABEL=lvmkube-root" in "\n".join(fstab), "the root line must stay"
    backups = host.run("ls /etc/fstab.*~").stdout.split()
    assert backups, "no fstab backup"
    originals = [host.file(path).content_string.splitlines() for path in backups]
    assert any(all(line in original for line in setup["fstab_lines"]) for original in originals)


def swap_units(host, setup):
    """Every unit that must be masked, named by the VM's own systemd-escape (not by the code under test)."""
    paths = [
        f"/dev/disk/by-uuid/{setup['uuid']}",
        f"/dev/disk/by-label/{setup['label']}",
        setup["swapfile"],
        setup["uuid_device"],
        setup["label_device"],
    ]
    escaped = host.check_output("systemd-escape --path --suffix=swap " + " ".join(["%s"] * len(paths)), *paths)
    units = set(escaped.split()) | {"swap.target"}
    assert len(units) == len(paths) + 1
    if setup["zram"]:
        units |= {"dev-zram0.swap", "systemd-zram-setup@zram0.service"}
    return sorted(units)


def test_swap_units_and_swap_target_are_masked(host, setup):
    units = swap_units(host, setup)
    # one call for all units: is-enabled prints one state per unit, in order
    states = host.run("systemctl is-enabled " + " ".join(["%s"] * len(units)), *units).stdout.split()
    assert dict(zip(units, states, strict=True)) == dict.fromkeys(units, "masked")
    links = host.check_output("readlink " + " ".join(["%s"] * len(units)), *[f"/etc/systemd/system/{u}" for u in units])
    assert links.split() == ["/dev/null"] * len(units)


def test_zram_swap_is_off(host, setup, phase):
    if not setup["zram"]:
        pytest.skip("zram swap was not available on this distribution")
    assert "zram" not in host.file("/proc/swaps").content_string
    if phase != "converged":
        # after a reboot the masked zram-generator unit must not have set the device up again
        assert host.run("systemctl is-active systemd-zram-setup@zram0.service").stdout.strip() != "active"


def test_sysctls_have_their_values(host):
    keys = sorted(SYSCTLS)
    values = host.check_output("sysctl -n " + " ".join(["%s"] * len(keys)), *keys).split()
    assert dict(zip(keys, values, strict=True)) == SYSCTLS


def test_sysctls_are_persisted_in_sysctl_d(host):
    files = {
        "/etc/sysctl.d/90-lvmkube-dsr.conf": ["net.ipv4.conf.all.arp_ignore", "net.ipv4.conf.all.arp_announce"],
        "/etc/sysctl.d/90-lvmkube-kube-prereqs.conf": [
            "net.ipv4.ip_forward",
            "net.bridge.bridge-nf-call-iptables",
            "net.bridge.bridge-nf-call-ip6tables",
        ],
        "/etc/sysctl.d/90-lvmkube-swap.conf": ["vm.swappiness"],
    }
    for path, keys in files.items():
        content = host.file(path).content_string
        for key in keys:
            assert f"{key}={SYSCTLS[key]}" in content.replace(" ", ""), f"{key} not in {path}"


@pytest.mark.parametrize("module", ["overlay", "br_netfilter"])
def test_kernel_modules_loaded_and_persisted(host, module):
    assert host.file(f"/sys/module/{module}").is_directory
    assert module in host.file(f"/etc/modules-load.d/{module}.conf").content_string.split()


def expected_vips(phase):
    return ["192.0.2.11"] if phase == "vip-removed" else ALL_VIPS


def test_vips_on_lo(host, phase):
    addresses = host.check_output("ip -4 -o addr show dev lo")
    for vip in expected_vips(phase):
        assert f"inet {vip}/32 " in addresses
    for vip in set(ALL_VIPS) - set(expected_vips(phase)):
        assert f"inet {vip}/" not in addresses, f"{vip} was removed from dsr_vips but is still on lo"
    assert "inet 127.0.0.1/8 " in addresses


def test_vip_unit_enabled_active_and_lists_only_current_vips(host, phase):
    unit = host.service("lvmkube-dsr-vips.service")
    assert unit.is_enabled
    assert host.check_output("systemctl is-active lvmkube-dsr-vips.service") == "active"
    text = host.file("/etc/systemd/system/lvmkube-dsr-vips.service").content_string
    for vip in ALL_VIPS:
        assert (f"addr replace {vip}/32 dev lo" in text) == (vip in expected_vips(phase))
    state = host.file("/var/lib/lvmkube/dsr-vips").content_string.splitlines()
    assert [line for line in state if not line.startswith("#")] == expected_vips(phase)
