#!/usr/bin/env bash
# Copyright: (c) 2026, lvmkube.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
#
# Build (or reuse) a Debian base image for the QEMU test VMs.
#
#   scripts/vm/build-image.sh <bookworm|trixie>
#
# Prints the image directory on stdout (progress goes to stderr). The directory holds:
#   rootfs.qcow2      ext4 root file system, label "lvmkube-root" (use as qcow2 backing file)
#   vmlinuz, initrd.img  the linux-image-cloud-amd64 kernel and initrd for -kernel/-initrd boot
#   id_ed25519(.pub)  SSH key authorized for root and for the sudo user "lvmkube"
#   manifest.txt      suite, script hash, build time, installed packages
# Inside the image: every package the scenarios' prepare playbooks need (fdisk for sfdisk, lvm2, ...),
# and /var/cache/lvmkube-debs/<package>.deb for packages a scenario installs itself (no download).
# Test harness only: guest/lvmkube_bytecode_cache.py, a bytecode cache for the modules Ansible imports
# from its AnsiballZ zips (see that file; module behaviour is unchanged, each call is about 1 s faster).
#
# The result is cached in ${LVMKUBE_VM_CACHE:-~/.cache/lvmkube-vm}/<suite>-<hash>, where <hash> is the
# SHA-256 prefix of this script and the guest/ files: changing them builds a new image, else it is reused.
# Concurrent calls for the same suite wait for each other (flock). Needs root (debootstrap, chroot).
#
# Environment: LVMKUBE_VM_CACHE (cache root), LVMKUBE_VM_MIRROR (Debian mirror URL),
#              LVMKUBE_VM_SECURITY_MIRROR (Debian security mirror URL).
set -euo pipefail

die() { printf 'build-image: error: %s\n' "$*" >&2; exit 1; }
log() { printf 'build-image[%s]: %s\n' "${suite:-?}" "$*" >&2; }

[[ $# -eq 1 ]] || die "usage: $0 <bookworm|trixie>"
suite=$1
case "$suite" in
  bookworm | trixie) ;;
  *) die "unsupported suite '$suite' (expected bookworm or trixie)" ;;
esac

missing=()
for tool in debootstrap chroot mke2fs qemu-img ssh-keygen flock sha256sum mount umount; do
  command -v "$tool" >/dev/null 2>&1 || missing+=("$tool")
done
[[ ${#missing[@]} -eq 0 ]] || die "missing tools: ${missing[*]} (install: debootstrap e2fsprogs qemu-utils openssh-client util-linux; see scripts/setup/system-packages.txt)"

script_path=$(readlink -f "${BASH_SOURCE[0]}")
guest_dir="$(dirname "$script_path")/guest"
script_hash=$(cat "$script_path" "$guest_dir"/lvmkube_bytecode_cache.py | sha256sum | cut -c1-12)
cache_root=${LVMKUBE_VM_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/lvmkube-vm}
mirror=${LVMKUBE_VM_MIRROR:-http://deb.debian.org/debian}
security_mirror=${LVMKUBE_VM_SECURITY_MIRROR:-http://deb.debian.org/debian-security}
out="$cache_root/$suite-$script_hash"

mkdir -p "$cache_root"
if [[ -f "$out/.complete" ]]; then
  log "cached image $out"
  printf '%s\n' "$out"
  exit 0
fi

[[ $(id -u) -eq 0 ]] || die "building a new image needs root (debootstrap/chroot); run as root or with sudo -E"

exec 9>"$cache_root/$suite-$script_hash.lock"
flock 9
if [[ -f "$out/.complete" ]]; then
  log "cached image $out (built by a concurrent run)"
  printf '%s\n' "$out"
  exit 0
fi

start=$(date +%s)
work=$(mktemp -d "$cache_root/.build-$suite-$script_hash.XXXXXX")
root="$work/root"
mounted=()

cleanup() {
  local i
  for ((i = ${#mounted[@]} - 1; i >= 0; i--)); do
    umount -l "${mounted[$i]}" 2>/dev/null || true
  done
  rm -rf --one-file-system "$work"
}
trap cleanup EXIT

in_root() { chroot "$root" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8 DEBIAN_FRONTEND=noninteractive "$@"; }

log "debootstrap from $mirror into $work (this takes a few minutes)"
debootstrap --variant=minbase --components=main \
  --include=systemd-sysv,udev,dbus,libnss-myhostname,openssh-server,python3,python3-apt,sudo,lvm2,thin-provisioning-tools,fdisk,kmod,iproute2,e2fsprogs,xfsprogs,ca-certificates,curl,gnupg,procps,iputils-ping,less,util-linux \
  "$suite" "$root" "$mirror" >"$work/debootstrap.log" 2>&1 ||
  { tail -n 40 "$work/debootstrap.log" >&2; die "debootstrap $suite failed (log above)"; }
log "debootstrap done after $(($(date +%s) - start)) s"

for fs in proc sys dev/pts; do
  case "$fs" in
    proc) mount -t proc proc "$root/proc" ;;
    sys) mount -t sysfs sysfs "$root/sys" ;;
    dev/pts) mount -t devpts devpts "$root/dev/pts" ;;
  esac
  mounted+=("$root/$fs")
done

# No services may start inside the chroot; dpkg need not fsync on a throw-away build.
printf '#!/bin/sh\nexit 101\n' >"$root/usr/sbin/policy-rc.d"
chmod 0755 "$root/usr/sbin/policy-rc.d"
printf 'force-unsafe-io\n' >"$root/etc/dpkg/dpkg.cfg.d/lvmkube-build"

cat >"$root/etc/apt/sources.list" <<EOF
deb $mirror $suite main
deb $mirror $suite-updates main
deb $security_mirror $suite-security main
EOF
printf 'APT::Install-Recommends "false";\nAPT::Install-Suggests "false";\n' >"$root/etc/apt/apt.conf.d/90lvmkube-no-recommends"

# The initrd must carry the virtio drivers: the root disk is a virtio-blk device.
printf 'virtio_pci\nvirtio_blk\nvirtio_net\next4\n' >>"$root/etc/initramfs-tools/modules" 2>/dev/null || {
  mkdir -p "$root/etc/initramfs-tools"
  printf 'virtio_pci\nvirtio_blk\nvirtio_net\next4\n' >"$root/etc/initramfs-tools/modules"
}

in_root apt-get update >"$work/apt.log" 2>&1 || { tail -n 30 "$work/apt.log" >&2; die "apt-get update in the $suite chroot failed"; }
extra=(linux-image-cloud-amd64 initramfs-tools)
# trixie ships systemd-networkd as its own package; bookworm has it inside systemd.
if in_root apt-cache show systemd-networkd >/dev/null 2>&1; then
  extra+=(systemd-networkd)
fi
log "installing ${extra[*]}"
in_root apt-get install -y "${extra[@]}" >>"$work/apt.log" 2>&1 ||
  { tail -n 30 "$work/apt.log" >&2; die "apt-get install in the $suite chroot failed"; }

# Packages a scenario installs itself (node_prep installs systemd-zram-generator, whose default
# configuration turns zram swap on, so it must not be in every VM): their .deb files are kept in
# /var/cache/lvmkube-debs/<package>.deb, outside apt's archive cache (apt-get clean leaves them), and
# installed from there by the scenario without any download.
local_debs=(systemd-zram-generator)
mkdir -p "$root/var/cache/lvmkube-debs"
chroot "$root" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8 \
  sh -c 'cd /var/cache/lvmkube-debs && apt-get download "$@"' apt-get-download "${local_debs[@]}" >>"$work/apt.log" 2>&1 ||
  { tail -n 30 "$work/apt.log" >&2; die "apt-get download ${local_debs[*]} in the $suite chroot failed"; }
for pkg in "${local_debs[@]}"; do
  deb=$(find "$root/var/cache/lvmkube-debs" -maxdepth 1 -name "${pkg}_*.deb" | head -n 1)
  [[ -n "$deb" ]] || die "apt-get download left no .deb of $pkg"
  mv "$deb" "$root/var/cache/lvmkube-debs/$pkg.deb"
done

# Bytecode cache for AnsiballZ imports (test harness, see guest/lvmkube_bytecode_cache.py): the module in
# the interpreter's /usr/local site directory, loaded at every start by a .pth file.
site_dir=$(in_root python3 -c 'import site; print(site.getsitepackages()[0])')
[[ $site_dir == /usr/local/* ]] || die "unexpected first site directory $site_dir in the $suite chroot"
install -d "$root$site_dir"
install -m 0644 "$guest_dir/lvmkube_bytecode_cache.py" "$root$site_dir/lvmkube_bytecode_cache.py"
printf 'import lvmkube_bytecode_cache\n' >"$root$site_dir/lvmkube_bytecode_cache.pth"
in_root python3 -c 'import sys; assert "lvmkube_bytecode_cache" in sys.modules, "not loaded by its .pth file"' ||
  die "the bytecode cache hook is not active in the $suite chroot"

# --- configuration -------------------------------------------------------------------------------
cat >"$root/etc/fstab" <<'EOF'
# <file system>      <mount point> <type> <options>                <dump> <pass>
LABEL=lvmkube-root   /             ext4   defaults,errors=remount-ro 0      1
EOF
# The host name comes from the kernel command line (systemd.hostname=<vm name>), set by vmctl.py.
printf 'lvmkube\n' >"$root/etc/hostname"
cat >"$root/etc/hosts" <<'EOF'
127.0.0.1 localhost
::1       localhost ip6-localhost ip6-loopback
EOF
# QEMU user networking provides DNS at 10.0.2.3.
rm -f "$root/etc/resolv.conf"
printf 'nameserver 10.0.2.3\n' >"$root/etc/resolv.conf"

# NAT NIC (QEMU user networking, fixed MAC set by vmctl.py): DHCP.
mkdir -p "$root/etc/systemd/network"
cat >"$root/etc/systemd/network/10-lvmkube-nat.network" <<'EOF'
[Match]
MACAddress=52:54:00:00:00:10

[Network]
DHCP=ipv4

[DHCPv4]
UseDNS=no
EOF
# Optional second NIC on a host-local VM network: "lvmkube.lan=<mac>,<address/prefix>" on the kernel
# command line becomes a static networkd configuration before networkd starts.
cat >"$root/usr/local/sbin/lvmkube-lan-setup" <<'EOF'
#!/bin/sh
# Writes /run/systemd/network/20-lvmkube-lan.network from lvmkube.lan=<mac>,<address/prefix>.
set -eu
spec=""
for arg in $(cat /proc/cmdline); do
  case "$arg" in lvmkube.lan=*) spec=${arg#lvmkube.lan=} ;; esac
done
[ -n "$spec" ] || exit 0
mac=${spec%%,*}
addr=${spec#*,}
mkdir -p /run/systemd/network
cat >/run/systemd/network/20-lvmkube-lan.network <<NET
[Match]
MACAddress=$mac

[Link]
RequiredForOnline=no

[Network]
Address=$addr
NET
EOF
chmod 0755 "$root/usr/local/sbin/lvmkube-lan-setup"
cat >"$root/etc/systemd/system/lvmkube-lan-setup.service" <<'EOF'
[Unit]
Description=Static address for the lvmkube VM network from the kernel command line
DefaultDependencies=no
Before=systemd-networkd.service
After=local-fs.target

[Service]
Type=oneshot
ExecStart=/usr/local/sbin/lvmkube-lan-setup

[Install]
WantedBy=systemd-networkd.service
EOF

# SSH: key login only, for root and the sudo user lvmkube.
ssh-keygen -q -t ed25519 -N '' -C "lvmkube-vm-$suite-$script_hash" -f "$work/id_ed25519"
mkdir -p "$root/etc/ssh/sshd_config.d"
cat >"$root/etc/ssh/sshd_config.d/lvmkube.conf" <<'EOF'
PermitRootLogin prohibit-password
PasswordAuthentication no
UseDNS no
EOF
install -d -m 0700 "$root/root/.ssh"
install -m 0600 "$work/id_ed25519.pub" "$root/root/.ssh/authorized_keys"
in_root useradd --create-home --shell /bin/bash --groups sudo lvmkube
install -d -m 0700 "$root/home/lvmkube/.ssh"
install -m 0600 "$work/id_ed25519.pub" "$root/home/lvmkube/.ssh/authorized_keys"
in_root chown -R lvmkube:lvmkube /home/lvmkube/.ssh
printf 'lvmkube ALL=(ALL) NOPASSWD:ALL\n' >"$root/etc/sudoers.d/lvmkube"
chmod 0440 "$root/etc/sudoers.d/lvmkube"

in_root systemctl enable systemd-networkd.service lvmkube-lan-setup.service ssh.service >>"$work/apt.log" 2>&1
# Background apt runs would hold the dpkg lock while a test converges.
in_root systemctl mask apt-daily.timer apt-daily-upgrade.timer apt-daily.service apt-daily-upgrade.service >>"$work/apt.log" 2>&1

# Every VM gets its own machine id on first boot.
: >"$root/etc/machine-id"
rm -f "$root/var/lib/dbus/machine-id"

kernel=$(find "$root/boot" -maxdepth 1 -name 'vmlinuz-*' | sort -V | tail -n 1)
initrd=$(find "$root/boot" -maxdepth 1 -name 'initrd.img-*' | sort -V | tail -n 1)
[[ -n "$kernel" && -n "$initrd" ]] || die "no kernel/initrd found in $root/boot"
cp "$kernel" "$work/vmlinuz"
cp "$initrd" "$work/initrd.img"
kernel_version=${kernel##*/vmlinuz-}
for mod in overlay br_netfilter zram dm_thin_pool; do
  if ! find "$root/lib/modules/$kernel_version" -name "$mod.ko*" | grep -q .; then
    log "warning: kernel module $mod is not shipped by $kernel_version"
  fi
done

{
  printf 'suite=%s\nscript_hash=%s\nbuilt=%s\nkernel=%s\nmirror=%s\n' \
    "$suite" "$script_hash" "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$kernel_version" "$mirror"
  printf 'packages:\n'
  in_root dpkg-query -W -f '  ${Package} ${Version}\n'
} >"$work/manifest.txt"

in_root apt-get clean
rm -f "$root/usr/sbin/policy-rc.d" "$root/etc/dpkg/dpkg.cfg.d/lvmkube-build"
# The SSH host keys made by the openssh-server package are shared by all VMs of this image: they
# are throw-away test machines reached only through 127.0.0.1, and this saves key generation at boot.

for ((i = ${#mounted[@]} - 1; i >= 0; i--)); do
  umount "${mounted[$i]}"
done
mounted=()

log "creating the ext4 root file system image"
truncate -s 8G "$work/rootfs.raw"
mke2fs -q -t ext4 -L lvmkube-root -d "$root" "$work/rootfs.raw" >&2
qemu-img convert -f raw -O qcow2 "$work/rootfs.raw" "$work/rootfs.qcow2"
rm -f "$work/rootfs.raw"
rm -rf --one-file-system "$root"

mkdir -p "$out.tmp"
mv "$work/rootfs.qcow2" "$work/vmlinuz" "$work/initrd.img" "$work/id_ed25519" "$work/id_ed25519.pub" \
  "$work/manifest.txt" "$out.tmp/"
chmod 0444 "$out.tmp/rootfs.qcow2"
touch "$out.tmp/.complete"
rm -rf "$out"
mv "$out.tmp" "$out"
log "built $out in $(($(date +%s) - start)) s"
printf '%s\n' "$out"
