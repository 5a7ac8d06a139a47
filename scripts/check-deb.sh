#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Installs a ringsim .deb (from `cpack -G DEB` in build/) on a fresh Debian 12 in a chroot
# and runs it from /usr: --version, the manual page, a run, the quickstart comparison.
# Needs root and Debian's mirror; downloads about 100 MB the first time. Not part of CI.
# Usage: scripts/check-deb.sh PACKAGE.deb [CHROOT_DIR]   (default /tmp/ringsim-deb12)
set -euo pipefail
deb=$(realpath "$1")
root=${2:-/tmp/ringsim-deb12}
mirror=http://deb.debian.org/debian

command -v debootstrap >/dev/null || apt-get install -y -qq debootstrap >/dev/null
if [ ! -x "$root/usr/bin/apt-get" ]; then
	echo "check-deb: debootstrap bookworm into $root" >&2
	debootstrap --variant=minbase bookworm "$root" "$mirror" >/dev/null
	cp /etc/resolv.conf "$root/etc/" 2>/dev/null || true
fi
mountpoint -q "$root/proc" || mount -t proc proc "$root/proc"
trap 'umount "$root/proc"' EXIT
cp "$deb" "$root/tmp/"
name=$(basename "$deb")

inside() { chroot "$root" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root \
	DEBIAN_FRONTEND=noninteractive bash -euc "$1"; }
t0=$(date +%s)
inside "apt-get update -qq && apt-get install -y -qq /tmp/$name >/dev/null"
t1=$(date +%s)
echo "check-deb: installed $name and its dependencies in $((t1 - t0)) s" >&2
inside 'ringsim --version'
inside 'test -s /usr/share/man/man1/ringsim.1* && echo "man page: $(ls /usr/share/man/man1/ringsim.1*)"'
inside 'cd /tmp && rm -rf q && ringsim run -o q --quiet && echo "run: $(grep -m1 status q/summary.json)"'
inside 'cd /tmp && rm -rf qs && ringsim compare /usr/share/ringsim/scenarios/quickstart.xml \
	--vary platform.page-size=4KiB,64KiB -o qs && test -s qs/report.html && ls -l qs/report.html'
echo "check-deb: ok in $(($(date +%s) - t0)) s" >&2
