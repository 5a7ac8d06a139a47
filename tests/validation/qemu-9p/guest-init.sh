#!/bin/busybox sh
# SPDX-License-Identifier: GPL-2.0-only
# /init of the validation guest: loads the 9p and virtio modules, mounts the host share over
# virtio-9p and runs the reads listed in /workload.conf, each phase opened by a mkdir of
# /mnt/.phase-NAME, which QEMU's v9fs_mkdir trace event names, so the trace parser can cut
# the trace into phases. Prints GUEST-DONE and reboots (QEMU runs with -no-reboot).
/bin/busybox --install -s /bin
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev
for m in $(cat /lib/modules/order); do
	insmod "/lib/modules/$m" || echo "GUEST-ERROR insmod $m"
done
. /workload.conf
if ! mount -t 9p -o "trans=virtio,version=9p2000.L,msize=$MSIZE,cache=none" share /mnt; then
	echo "GUEST-ERROR mount"
	reboot -f
fi
grep ' 9p ' /proc/mounts | sed 's/^/GUEST-MOUNT /'
for d in /sys/bus/virtio/devices/*; do
	echo "GUEST-FEATURES $(cat "$d/device") $(cat "$d/features")"
done
# One reader: dd reads the whole file in reads of BS bytes (count= so no EOF read follows).
for bs in $SEQ_SIZES; do
	mkdir "/mnt/.phase-seq-$bs"
	dd if=/mnt/f0 of=/dev/null bs="$bs" count=$((FILE_SIZE / bs)) 2>/dev/null ||
		echo "GUEST-ERROR dd seq $bs"
done
# READERS readers at once, each on a file of its own, PAR_COUNT reads each.
for bs in $PAR_SIZES; do
	mkdir "/mnt/.phase-par-$bs"
	i=0
	while [ "$i" -lt "$READERS" ]; do
		dd if="/mnt/f$i" of=/dev/null bs="$bs" count="$PAR_COUNT" 2>/dev/null &
		i=$((i + 1))
	done
	wait
done
mkdir /mnt/.phase-end
umount /mnt
echo GUEST-DONE
reboot -f
