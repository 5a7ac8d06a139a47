#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Install the Debian packages ringsim needs: to build it, run it and draw its plots, and
# with --test also what the test suite drives (a headless browser, an HTML checker, clang
# and its libFuzzer for scripts/fuzz.sh, tshark to decode --pcap captures), with
# --validation also what the comparison against QEMU and a Linux guest needs
# (tests/validation, docs/validation.md): QEMU, a kernel with its 9p modules, a static
# busybox, cpio, python3; with --slurm what scripts/slurm-up.sh starts (a single-node Slurm
# on localhost: munge, slurmctld, slurmd, the client commands), which --test includes for the
# slurm-labelled ctest (tests/slurm).
# Idempotent: silent and quick when everything is already present.
# Usage: scripts/install-deps.sh [--test] [--validation] [--slurm]
set -euo pipefail

packages=(
	build-essential cmake pkg-config patch
	libsystemc-dev verilator
	libxml2-dev libxml2-utils
	libgsl-dev libjansson-dev libcunit1-dev nettle-dev libpcap-dev
	gnuplot-nox scdoc
)
# No systemd units are used: scripts/slurm-up.sh runs munged, slurmctld and slurmd itself.
slurm=(munge slurmctld slurmd slurm-client slurm-wlm-basic-plugins)
for arg in "$@"; do
	case $arg in
	--test) packages+=(chromium tidy python3-yaml lcov clang libclang-rt-14-dev tshark
		"${slurm[@]}") ;;
	--slurm) packages+=("${slurm[@]}") ;;
	--validation) packages+=(qemu-system-x86 linux-image-amd64 kmod busybox-static cpio python3) ;;
	*)
		echo "usage: scripts/install-deps.sh [--test] [--validation] [--slurm]" >&2
		exit 2
		;;
	esac
done

missing=()
for p in "${packages[@]}"; do
	dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q '^install ok installed$' ||
		missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

sudo=
[ "$(id -u)" -eq 0 ] || sudo=sudo
export DEBIAN_FRONTEND=noninteractive
# tshark's wireshark-common asks whether non-root users may capture: no (nothing here captures).
if [[ " ${missing[*]} " == *" tshark "* ]]; then
	echo 'wireshark-common wireshark-common/install-setuid boolean false' |
		$sudo debconf-set-selections
fi
echo "install-deps: apt-get update" >&2
$sudo apt-get update -qq
echo "install-deps: installing ${#missing[@]} packages and what they need" \
	"(a few minutes on a fresh machine): ${missing[*]}" >&2
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "install-deps: done" >&2
