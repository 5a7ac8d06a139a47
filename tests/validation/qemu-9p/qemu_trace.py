#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""qemu_trace.py - what QEMU's trace says the guest's 9p reads did, per phase, as JSON.

Reads a log of QEMU's trace events (log backend, -msg timestamp=on): virtqueue_pop,
virtqueue_fill, virtqueue_flush, virtio_notify and v9fs_*. The guest opens every phase with
mkdir /mnt/.phase-NAME (v9fs_mkdir names it); NAME is seq-BS or par-BS.

How the events are tied together (QEMU's 9p device runs a PDU's coroutine as soon as it
pops it, so a PDU's v9fs_<op> event follows its virtqueue_pop; a completion is a fill of
that element, a flush and, unless event_idx suppresses it, a notify):
  - a Tread is the pop just before a v9fs_read; its descriptors are that pop's
    in_num + out_num (with indirect descriptors, the entries of its indirect table);
  - it is in service from its pop to the fill of its element;
  - a completion is out of order when a Tread popped before it is still in service;
  - a notify belongs to the fill before it;
  - a user read is every Tread of one fid at offsets [k*BS, (k+1)*BS); its descriptors
    per RPC are listed in offset order.

Usage: qemu_trace.py TRACE.log [CONSOLE.log] > qemu.json
"""
import json
import re
import sys

LINE = re.compile(r'^(?:\d+@[0-9.]+:)?(\w+) (.*)$')


def fields(args):
	"""'k1 v1 k2 v2 ...' -> dict (only for events whose values have no blanks)."""
	tok = args.split()
	return {tok[i]: tok[i + 1] for i in range(0, len(tok) - 1, 2)}


class Phase:
	def __init__(self, name):
		self.name = name
		kind, _, bs = name.partition('-')
		self.kind = kind
		self.bs = int(bs) if bs.isdigit() else 0
		self.rpcs = []          # Treads in pop order
		self.flushes = []       # count of every virtqueue_flush
		self.notifies = 0       # every virtio_notify
		self.read_notifies = 0  # notifies after a Tread's fill
		self.max_in_service = 0
		self.completions = 0
		self.out_of_order = 0

	def summary(self):
		reads = {}
		for r in self.rpcs:
			key = (r['fid'], r['off'] // self.bs if self.bs else 0)
			reads.setdefault(key, []).append(r)
		shapes = {}
		for rpcs in reads.values():
			rpcs.sort(key=lambda r: r['off'])
			shape = (len(rpcs), sum(r['sg'] for r in rpcs),
				 tuple(r.get('count', -1) for r in rpcs),
				 tuple(r['sg'] for r in rpcs))
			shapes[shape] = shapes.get(shape, 0) + 1
		n = len(self.rpcs)
		return {
			'kind': self.kind,
			'block_size': self.bs,
			'user_reads': len(reads),
			'read_rpcs': n,
			'shapes': [{'rpcs': s[0], 'descriptors': s[1], 'rpc_bytes': list(s[2]),
				    'rpc_descriptors': list(s[3]), 'reads': c}
				   for s, c in sorted(shapes.items())],
			'notifications_per_rpc': self.read_notifies / n if n else None,
			'max_in_service': self.max_in_service,
			'out_of_order_fraction': self.out_of_order / self.completions
			if self.completions else None,
			'entries_per_flush': sum(self.flushes) / len(self.flushes)
			if self.flushes else None,
			'flushes': len(self.flushes),
			'notifies': self.notifies,
		}


def parse(lines):
	phases = {}
	phase = Phase('boot-0')
	pending = None   # the last pop, until its v9fs_<op> event names it
	in_service = {}  # elem -> Tread, in pop order (dicts keep insertion order)
	by_tag = {}
	last_fill = None
	for line in lines:
		m = LINE.match(line.strip())
		if not m:
			continue
		ev, args = m.groups()
		if ev == 'virtqueue_pop':
			f = fields(args)
			pending = {'elem': f['elem'], 'sg': int(f['in_num']) + int(f['out_num'])}
		elif ev == 'v9fs_mkdir':
			name = fields(args).get('name', '')
			if name.startswith('.phase-'):
				phase = Phase(name[len('.phase-'):])
				phases[phase.name] = phase
			pending = None
		elif ev == 'v9fs_read':
			f = fields(args)
			if pending is None:
				raise SystemExit('qemu_trace: v9fs_read without a pop before it: ' + line)
			r = {'elem': pending['elem'], 'sg': pending['sg'], 'fid': int(f['fid']),
			     'off': int(f['off']), 'max_count': int(f['max_count']),
			     'tag': int(f['tag']), 'phase': phase, 'seq': len(phase.rpcs)}
			pending = None
			phase.rpcs.append(r)
			in_service[r['elem']] = r
			by_tag[r['tag']] = r
			phase.max_in_service = max(phase.max_in_service, len(in_service))
		elif ev == 'v9fs_read_return':
			f = fields(args)
			r = by_tag.pop(int(f['tag']), None)
			if r is not None:
				r['count'] = int(f['count'])
		elif ev.startswith('v9fs_') and not ev.endswith('_return') and ev != 'v9fs_rerror':
			pending = None
		elif ev == 'virtqueue_fill':
			elem = fields(args)['elem']
			r = in_service.pop(elem, None)
			last_fill = r
			if r is not None:
				p = r['phase']
				p.completions += 1
				if any(o['phase'] is p and o['seq'] < r['seq']
				       for o in in_service.values()):
					p.out_of_order += 1
		elif ev == 'virtqueue_flush':
			phase.flushes.append(int(fields(args)['count']))
		elif ev == 'virtio_notify':
			phase.notifies += 1
			if last_fill is not None:
				last_fill['phase'].read_notifies += 1
			last_fill = None
	return phases


def console_features(path):
	"""The guest's GUEST-FEATURES lines: device id 0x0009 is 9p; bit i is character i."""
	feats = {}
	try:
		with open(path, errors='replace') as f:
			for line in f:
				m = re.search(r'GUEST-FEATURES (\S+) ([01]+)', line)
				if m and int(m.group(1), 16) == 9:
					bits = m.group(2)
					feats = {'indirect_desc': bits[28:29] == '1',
						 'event_idx': bits[29:30] == '1'}
	except OSError:
		pass
	return feats


def main(argv):
	if len(argv) < 2:
		print(__doc__.strip().splitlines()[-1], file=sys.stderr)
		return 2
	with open(argv[1], errors='replace') as f:
		phases = parse(f)
	out = {'phases': {n: p.summary() for n, p in phases.items() if n != 'end'}}
	if len(argv) > 2:
		out['features'] = console_features(argv[2])
	json.dump(out, sys.stdout, indent=1)
	print()
	return 0


if __name__ == '__main__':
	sys.exit(main(sys.argv))
