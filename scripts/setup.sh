#!/usr/bin/env bash
# Installs everything Tandem's build, tests and lab need, from Debian's apt and npm only,
# then builds. Idempotent: when everything is present it only runs the (incremental) build.
# Usage: scripts/setup.sh [--no-build]
set -euo pipefail
cd "$(dirname "$0")/.."

# Debian package -> a file that proves it is usable (checked after install: a missing one fails loudly).
declare -A PROOF=(
  [clang]=/usr/bin/clang
  [llvm]=/usr/bin/llvm-strip
  [libbpf-dev]=/usr/include/bpf/libbpf.h
  [bpftool]=/usr/sbin/bpftool
  [libelf-dev]=/usr/include/libelf.h
  [zlib1g-dev]=/usr/include/zlib.h
  [libmnl-dev]=/usr/include/libmnl/libmnl.h
  [libnetfilter-conntrack-dev]=/usr/include/libnetfilter_conntrack/libnetfilter_conntrack.h
  [pkg-config]=/usr/bin/pkg-config
  [cmake]=/usr/bin/cmake
  [make]=/usr/bin/make
  [g++]=/usr/bin/g++
  [iproute2]=/usr/sbin/ip
  [util-linux]=/usr/bin/nsenter
  # sfdisk: partition tables (format … like …, install image) and their tests.
  [fdisk]=/usr/sbin/sfdisk
  [procps]=/usr/bin/pgrep
  [nftables]=/usr/sbin/nft
  [conntrack]=/usr/sbin/conntrack
  [conntrackd]=/usr/sbin/conntrackd
  [tshark]=/usr/bin/tshark
  [keepalived]=/usr/sbin/keepalived
  # FRR's vrrpd: the second reference VRRP peer (interop tests).
  [frr]=/usr/lib/frr/vrrpd
  [iperf3]=/usr/bin/iperf3
  [netsniff-ng]=/usr/sbin/trafgen
  [tmux]=/usr/bin/tmux
  [iputils-ping]=/usr/bin/ping
  [openssl]=/usr/bin/openssl
  [libssl-dev]=/usr/include/openssl/hmac.h
  [libclang-rt-14-dev]=/usr/lib/llvm-14/lib/clang/14.0.6/lib/linux/libclang_rt.fuzzer-x86_64.a
  # The appliance image (image/build.ts) and its boot tests.
  [mmdebstrap]=/usr/bin/mmdebstrap
  [squashfs-tools]=/usr/bin/mksquashfs
  [xorriso]=/usr/bin/xorriso
  [grub-common]=/usr/bin/grub-mkrescue
  [grub-pc-bin]=/usr/lib/grub/i386-pc/boot.img
  [grub-efi-amd64-bin]=/usr/lib/grub/x86_64-efi/kernel.img
  [mtools]=/usr/bin/mcopy
  [qemu-system-x86]=/usr/bin/qemu-system-x86_64
  [ovmf]=/usr/share/ovmf/OVMF.fd
  # The boot benchmark's floor: the image's kernel with a busybox initramfs.
  [busybox-static]=/bin/busybox
  [cpio]=/usr/bin/cpio
)

missing=()
for pkg in "${!PROOF[@]}"; do
  [ -e "${PROOF[$pkg]}" ] || missing+=("$pkg")
done

if [ ${#missing[@]} -gt 0 ]; then
  [ "$(id -u)" -eq 0 ] || { echo "setup: need root to install: ${missing[*]}" >&2; exit 1; }
  echo "setup: installing ${missing[*]}"
  # Keep installed daemons (keepalived, conntrackd, frr…) from starting on the host: the lab
  # starts its own copies inside network namespaces.
  policy=/usr/sbin/policy-rc.d
  had_policy=0; [ -e "$policy" ] && had_policy=1
  if [ $had_policy -eq 0 ]; then
    printf '#!/bin/sh\nexit 101\n' >"$policy"; chmod +x "$policy"
  fi
  trap '[ $had_policy -eq 0 ] && rm -f "$policy"' EXIT
  export DEBIAN_FRONTEND=noninteractive
  echo "wireshark-common wireshark-common/install-setuid boolean false" | debconf-set-selections
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  for unit in keepalived conntrackd frr; do
    systemctl disable --now "$unit" >/dev/null 2>&1 || true
  done
fi

fail=0
for pkg in "${!PROOF[@]}"; do
  if [ ! -e "${PROOF[$pkg]}" ]; then
    echo "setup: missing ${PROOF[$pkg]} — install the Debian package '$pkg' (apt-get install $pkg)" >&2
    fail=1
  fi
done
[ $fail -eq 0 ] || exit 1
[ -e /sys/kernel/btf/vmlinux ] || { echo "setup: kernel has no BTF (/sys/kernel/btf/vmlinux); Tandem's BPF build needs CONFIG_DEBUG_INFO_BTF=y" >&2; exit 1; }

# npm ci only when the lockfile changed since the last install.
stamp=node_modules/.tandem-lock-hash
want=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  npm ci --no-fund --no-audit --ignore-scripts
  echo "$want" >"$stamp"
fi

[ "${1:-}" = "--no-build" ] || npm run --silent build
