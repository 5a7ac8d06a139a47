#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""ringsim_side.py - ringsim on the validation guest's workload, the same figures as
qemu_trace.py, as JSON.

One run per phase of SCENARIO (job "r"): seq-BS reads FILE_SIZE in reads of BS at depth 1,
par-BS READERS x PAR_COUNT reads of BS at depth READERS. Each run writes requests.csv and,
with the RTL engine, a VCD whose signals are the ring's indices as the device sees them.
From them:
  - descriptors per user read: requests.csv sg_entries (the entries of every RPC of the
    read; with indirect descriptors, what QEMU's pop reports as in_num + out_num);
  - RPCs per user read: how far rtl.last_avail (the ring entries the device took) moved
    between the read's submit and its completion (depth 1, nothing else on the ring);
  - notifications per RPC: virtio.interrupts over rtl.last_avail, both moved in the window
    from the first submit to the last completion;
  - RPCs in service: rtl.last_avail (entries the device took) minus rtl.used_idx (entries
    it returned), at most, in that window;
  - used entries per flush: how far rtl.used_idx (the used->idx the device writes) moved
    over how many times it moved (virtio.used_idx is only sampled at interrupts);
  - out of order: a completion while a read submitted before it is still outstanding;
  - descriptors per RPC (seq-BS): for every RPC served between the read's submit and its
    completion, how many descriptors (indirect table entries) the RTL engine walked
    (rtl.seg_tgl toggles) before it handed the chain to the server (rtl.serve_tgl), in
    the order served.

Usage: ringsim_side.py RINGSIM SCENARIO WORKDIR --file-size N --readers N --par-count N
       --msize N
       [--server-block-size N] --seq "BS ..." --par "BS ..."  > ringsim.json
"""
import argparse
import bisect
import csv
import json
import os
import subprocess
import sys
import xml.etree.ElementTree as ET


def vcd_changes(path, wanted):
	"""{'scope.name': [(time, value), ...]} for the signals in wanted."""
	ids, scope, out, t = {}, [], {}, 0
	with open(path) as f:
		for line in f:
			tok = line.split()
			if not tok:
				continue
			if tok[0] == '$scope':
				scope.append(tok[2])
			elif tok[0] == '$upscope':
				scope.pop()
			elif tok[0] == '$var':
				name = scope[-1] + '.' + tok[4]
				if name in wanted:
					ids.setdefault(tok[3], []).append(name)
					out[name] = []
			elif tok[0].startswith('#'):
				t = int(tok[0][1:])
			elif tok[0].startswith('b') and len(tok) == 2 and tok[1] in ids:
				for name in ids[tok[1]]:
					out[name].append((t, int(tok[0][1:], 2)))
			elif tok[0][0] in '01' and tok[0][1:] in ids:
				for name in ids[tok[0][1:]]:
					out[name].append((t, int(tok[0][0])))
	return out


def segments_per_rpc(seg, serve):
	"""[(time, entries)] per RPC the RTL engine served: how many times rtl.seg_tgl
	toggled (one descriptor, or indirect table entry, walked) since the previous toggle of
	rtl.serve_tgl (the chain handed to the server)."""
	events = sorted([(t, 0) for t, _ in seg[1:]] + [(t, 1) for t, _ in serve[1:]])
	out, n = [], 0
	for t, kind in events:
		if kind == 0:
			n += 1
		else:
			out.append((t, n))
			n = 0
	return out


def value_at(changes, t):
	"""The signal's value at the end of cycle t."""
	i = bisect.bisect_right(changes, (t, float('inf')))
	return changes[i - 1][1] if i else 0


def moved(changes, t0, t1):
	return value_at(changes, t1) - value_at(changes, t0 - 1)


SETS = []  # --set PATH=VALUE for every run (the server's block size)


def ringsim_run(ringsim, scenario, out, bs, count, depth, vcd=None):
	cmd = [ringsim, 'run', scenario, '-o', out, '--quiet'] + SETS + [
	       '--set', 'job.r.block-size=%dB' % bs, '--set', 'job.r.count=%d' % count,
	       '--set', 'job.r.depth=%d' % depth]
	if vcd:
		cmd += ['--vcd', vcd]
	subprocess.run(cmd, check=True)


def run_phase(ringsim, scenario, workdir, name, bs, count, depth):
	out = os.path.join(workdir, name)
	vcd = out + '.vcd'
	ringsim_run(ringsim, scenario, out, bs, count, depth, vcd)
	with open(os.path.join(out, 'requests.csv')) as f:
		rows = [r for r in csv.DictReader(f) if r['job'] == 'r']
	wanted = {'virtio.interrupts', 'rtl.last_avail', 'rtl.used_idx', 'rtl.seg_tgl',
		  'rtl.serve_tgl'}
	sig = vcd_changes(vcd, wanted)
	if set(sig) != wanted:
		raise SystemExit('ringsim_side: %s has no %s (the RTL engine writes them)' %
				 (vcd, ', '.join(sorted(wanted - set(sig)))))
	t0 = min(int(r['submit_cycle']) for r in rows)
	t1 = max(int(r['complete_cycle']) for r in rows)
	served = segments_per_rpc(sig['rtl.seg_tgl'], sig['rtl.serve_tgl'])
	shapes = {}
	for r in rows:
		rpcs, per_rpc = None, None
		if depth == 1:
			s0, s1 = int(r['submit_cycle']), int(r['complete_cycle'])
			rpcs = moved(sig['rtl.last_avail'], s0, s1)
			per_rpc = tuple(n for t, n in served if s0 <= t <= s1)
		key = (rpcs, int(r['sg_entries']), int(r['descriptors']), per_rpc)
		shapes[key] = shapes.get(key, 0) + 1
	avail = moved(sig['rtl.last_avail'], t0, t1)
	irqs = moved(sig['virtio.interrupts'], t0, t1)
	used = [c for c in sig['rtl.used_idx'] if t0 <= c[0] <= t1]
	used_moved = moved(sig['rtl.used_idx'], t0, t1)
	# rtl.last_avail - rtl.used_idx at every change of either, within the window
	times = sorted({c[0] for s in ('rtl.last_avail', 'rtl.used_idx') for c in sig[s]
			if t0 <= c[0] <= t1})
	in_service = max((value_at(sig['rtl.last_avail'], t) - value_at(sig['rtl.used_idx'], t)
			  for t in times), default=0)
	done = sorted(rows, key=lambda r: int(r['complete_cycle']))
	ooo = 0
	for r in done:
		s, c = int(r['submit_cycle']), int(r['complete_cycle'])
		if any(int(o['submit_cycle']) < s and int(o['complete_cycle']) > c for o in rows):
			ooo += 1
	return {
		'kind': name.partition('-')[0],
		'block_size': bs,
		'user_reads': len(rows),
		'read_rpcs': avail,
		'shapes': [{'rpcs': k[0], 'descriptors': k[1], 'ring_descriptors': k[2],
			    'rpc_descriptors': list(k[3]) if k[3] is not None else None,
			    'reads': n} for k, n in sorted(shapes.items(), key=str)],
		'notifications_per_rpc': irqs / avail if avail else None,
		'max_in_service': in_service,
		'out_of_order_fraction': ooo / len(rows) if rows else None,
		'entries_per_flush': used_moved / len(used) if used else None,
		'flushes': len(used),
		'notifies': irqs,
		'status': json.load(open(os.path.join(out, 'summary.json')))['status'],
	}


def main():
	ap = argparse.ArgumentParser()
	ap.add_argument('ringsim')
	ap.add_argument('scenario')
	ap.add_argument('workdir')
	ap.add_argument('--file-size', type=int, required=True)
	ap.add_argument('--readers', type=int, required=True)
	ap.add_argument('--par-count', type=int, required=True)
	ap.add_argument('--msize', type=int, required=True)
	ap.add_argument('--server-block-size', type=int, default=4096)
	ap.add_argument('--seq', default='')
	ap.add_argument('--par', default='')
	a = ap.parse_args()
	SETS.extend(['--set', 'virtio-9p.msize=%d' % a.msize,
		     '--set', 'virtio-9p.server-block-size=%dB' % a.server_block_size])
	os.makedirs(a.workdir, exist_ok=True)
	phases = {}
	for bs in map(int, a.seq.split()):
		phases['seq-%d' % bs] = run_phase(a.ringsim, a.scenario, a.workdir, 'seq-%d' % bs,
						  bs, a.file_size // bs, 1)
	for bs in map(int, a.par.split()):
		phases['par-%d' % bs] = run_phase(a.ringsim, a.scenario, a.workdir, 'par-%d' % bs,
						  bs, a.readers * a.par_count, a.readers)
	v9p = ET.parse(a.scenario).getroot().find('virtio-9p')
	indirect = v9p is not None and v9p.get('indirect-descriptors') == 'true'
	json.dump({'indirect_descriptors': indirect, 'phases': phases}, sys.stdout, indent=1)
	print()
	return 0


if __name__ == '__main__':
	sys.exit(main())
