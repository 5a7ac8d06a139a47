#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# The 9p reads of ringsim against a real stack: a Linux guest (the installed Debian kernel,
# its 9p and virtio modules, busybox) on QEMU's virtio-9p-pci under TCG, traced with QEMU's
# own trace events, and ringsim on the same workload; both side by side, failing where a
# structural figure differs. Not in the default test run: ctest -C validation -L validation.
# Usage: run.sh RINGSIM [WORKDIR]   (WORKDIR: where the guest, trace and runs are kept)
# Exit: 0 every check agrees, 1 a check differs or a step failed, 77 a tool is missing.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
ringsim=${1:?usage: run.sh RINGSIM [WORKDIR]}
ringsim=$(cd "$(dirname "$ringsim")" && pwd)/$(basename "$ringsim")
work=${2:-$(mktemp -d /tmp/rs_qemu9p.XXXXXX)}
mkdir -p "$work"
work=$(cd "$work" && pwd)

# The workload, the same for guest and ringsim (kept in the guest's /workload.conf).
MSIZE=512000
FILE_SIZE=$((4 << 20))
READERS=4
PAR_COUNT=256 # reads per reader in a par phase, whatever the size: long enough to overlap
SEQ_SIZES="4096 65536 131072 524288 1048576"
PAR_SIZES="4096 65536 131072"
share_size=$((PAR_COUNT * 131072 > FILE_SIZE ? PAR_COUNT * 131072 : FILE_SIZE))

skip() { echo "qemu-9p: $*; install with scripts/install-deps.sh --validation" >&2; exit 77; }
qemu=$(command -v qemu-system-x86_64) || skip "no qemu-system-x86_64"
command -v cpio >/dev/null || skip "no cpio"
command -v python3 >/dev/null || skip "no python3"
busybox=/bin/busybox
[ -x "$busybox" ] && ! ldd "$busybox" >/dev/null 2>&1 || skip "no static busybox (busybox-static)"
kver=${RS_QEMU9P_KERNEL:-$(ls /lib/modules 2>/dev/null | sort -V | tail -n 1 || true)}
[ -n "$kver" ] && [ -r "/boot/vmlinuz-$kver" ] || skip "no kernel in /boot and /lib/modules"
command -v modprobe >/dev/null || skip "no modprobe (kmod)"
events=$("$qemu" -trace help 2>/dev/null || true)
for ev in virtqueue_pop virtqueue_fill virtqueue_flush virtio_notify v9fs_read v9fs_read_return \
	v9fs_mkdir; do
	grep -qx "$ev" <<<"$events" ||
		{ echo "qemu-9p: $qemu has no trace event $ev (log backend needed)" >&2; exit 1; }
done

# The guest: busybox, the modules 9p needs in the order modprobe would load them, /init.
root=$work/initramfs
rm -rf "$root" && mkdir -p "$root"/{bin,dev,proc,sys,mnt,lib/modules}
cp "$busybox" "$root/bin/busybox"
mods=$(for m in 9p 9pnet_virtio virtio_pci; do
	modprobe -S "$kver" --show-depends "$m"; done | awk '$1 == "insmod" && !seen[$2]++ { print $2 }')
[ -n "$mods" ] || { echo "qemu-9p: modprobe found no 9p modules for $kver" >&2; exit 1; }
for m in $mods; do
	case $m in
	*.ko) cp "$m" "$root/lib/modules/" ;;
	*.ko.xz) xz -dc "$m" >"$root/lib/modules/$(basename "$m" .xz)" ;;
	*.ko.zst) zstd -qdc "$m" >"$root/lib/modules/$(basename "$m" .zst)" ;;
	*) echo "qemu-9p: cannot load $m" >&2; exit 1 ;;
	esac
	basename "${m%.xz}" | sed 's/\.zst$//' >>"$root/lib/modules/order"
done
cp "$here/guest-init.sh" "$root/init" && chmod +x "$root/init"
cat >"$root/workload.conf" <<CONF
MSIZE=$MSIZE
FILE_SIZE=$FILE_SIZE
READERS=$READERS
PAR_COUNT=$PAR_COUNT
SEQ_SIZES="$SEQ_SIZES"
PAR_SIZES="$PAR_SIZES"
CONF
(cd "$root" && find . | cpio -o -H newc --quiet | gzip -1 >"$work/initrd.gz")

# The host share: one file per reader, of known content.
share=$work/share
rm -rf "$share" && mkdir -p "$share"
for i in $(seq 0 $((READERS - 1))); do
	head -c "$share_size" /dev/urandom >"$share/f$i"
done

# Boot: TCG, no disk, no network; the 9p device is the only virtio device.
echo "qemu-9p: booting $kver under $("$qemu" --version | head -n 1) (TCG; some ten seconds)" >&2
rm -f "$work/trace.log"
traces=()
for ev in virtqueue_pop virtqueue_fill virtqueue_flush virtio_notify 'v9fs_*'; do
	traces+=(-trace "enable=$ev")
done
timeout "${RS_QEMU9P_TIMEOUT:-900}" "$qemu" -machine q35,accel=tcg -cpu max \
	-smp "${RS_QEMU9P_SMP:-2}" -m 256M \
	-nographic -no-reboot -nodefaults -serial stdio \
	-kernel "/boot/vmlinuz-$kver" -initrd "$work/initrd.gz" \
	-append "console=ttyS0 quiet panic=-1" \
	-fsdev "local,id=fs0,path=$share,security_model=none" \
	-device virtio-9p-pci,fsdev=fs0,mount_tag=share \
	-msg timestamp=on -D "$work/trace.log" "${traces[@]}" </dev/null >"$work/console.log" 2>&1 ||
	{ echo "qemu-9p: QEMU failed or timed out; see $work/console.log" >&2; exit 1; }
if ! grep -q GUEST-DONE "$work/console.log" || grep -q GUEST-ERROR "$work/console.log"; then
	echo "qemu-9p: the guest did not finish its reads; see $work/console.log" >&2
	grep GUEST-ERROR "$work/console.log" >&2 || true
	exit 1
fi
rm -f "$share"/f* # 4 x 32 MiB, needed no more
python3 "$here/qemu_trace.py" "$work/trace.log" "$work/console.log" >"$work/qemu.json"

# ringsim on the same workload, then both side by side.
# QEMU's iounit comes from statfs() of the share: ringsim's server gets the same f_bsize.
python3 "$here/ringsim_side.py" "$ringsim" "$here/9p-validation.xml" "$work/ringsim" \
	--file-size "$FILE_SIZE" --readers "$READERS" --par-count "$PAR_COUNT" --msize "$MSIZE" \
	--server-block-size "$(stat -f -c %s "$share")" \
	--seq "$SEQ_SIZES" --par "$PAR_SIZES" >"$work/ringsim.json"
echo "qemu-9p: trace, console and runs in $work" >&2
python3 "$here/compare.py" "$work/qemu.json" "$work/ringsim.json"
