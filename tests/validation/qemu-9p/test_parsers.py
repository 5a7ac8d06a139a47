#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""test_parsers.py - the harness's parsers on hand-written traces, without QEMU or ringsim.

Every expected value is worked out by hand from the excerpt above it.
"""
import io
import json
import os
import subprocess
import sys
import tempfile
import unittest

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import qemu_trace  # noqa: E402
import ringsim_side  # noqa: E402

# One reader, one 512 KiB read: QEMU's iounit 507904 splits it into 507904 + 16384 bytes;
# 2 + 507904/4096 = 126 and 2 + 16384/4096 = 6 entries; each completion notified.
SEQ = """\
1@1.000001:virtqueue_pop vq 0xq elem 0xe1 in_num 1 out_num 1
1@1.000002:v9fs_mkdir tag 0 id 72 fid 1 name .phase-seq-524288 mode 16877 gid 0
1@1.000003:virtqueue_fill vq 0xq elem 0xe1 len 20 idx 0
1@1.000004:virtqueue_flush vq 0xq count 1
1@1.000005:virtio_notify vdev 0xd vq 0xq
1@1.000006:virtqueue_pop vq 0xq elem 0xe2 in_num 125 out_num 1
1@1.000007:v9fs_read tag 0 id 116 fid 3 off 0 max_count 507904
1@1.000008:v9fs_read_return tag 0 id 116 count 507904 err 507915
1@1.000009:virtqueue_fill vq 0xq elem 0xe2 len 507915 idx 0
1@1.000010:virtqueue_flush vq 0xq count 1
1@1.000011:virtio_notify vdev 0xd vq 0xq
1@1.000012:virtqueue_pop vq 0xq elem 0xe2 in_num 5 out_num 1
1@1.000013:v9fs_read tag 0 id 116 fid 3 off 507904 max_count 16384
1@1.000014:v9fs_read_return tag 0 id 116 count 16384 err 16395
1@1.000015:virtqueue_fill vq 0xq elem 0xe2 len 16395 idx 0
1@1.000016:virtqueue_flush vq 0xq count 1
1@1.000017:virtio_notify vdev 0xd vq 0xq
"""

# Two readers of 4 KiB: A (fid 3) and B (fid 4) popped in that order, a walk between them
# that is no read; B completes first while A is in service (1 of 2 out of order); 2 in
# service at most; B's completion is notified, A's suppressed (event_idx): 1 of 2.
PAR = """\
virtqueue_pop vq 0xq elem 0xe0 in_num 1 out_num 1
v9fs_mkdir tag 0 id 72 fid 1 name .phase-par-4096 mode 16877 gid 0
virtqueue_fill vq 0xq elem 0xe0 len 20 idx 0
virtqueue_flush vq 0xq count 1
virtqueue_pop vq 0xq elem 0xea in_num 2 out_num 1
v9fs_read tag 1 id 116 fid 3 off 0 max_count 4096
virtqueue_pop vq 0xq elem 0xew in_num 1 out_num 1
v9fs_walk tag 3 id 110 fid 1 newfid 5 nwnames 1
virtqueue_pop vq 0xq elem 0xeb in_num 2 out_num 1
v9fs_read tag 2 id 116 fid 4 off 0 max_count 4096
v9fs_read_return tag 2 id 116 count 4096 err 4107
virtqueue_fill vq 0xq elem 0xeb len 4107 idx 0
virtqueue_flush vq 0xq count 1
virtio_notify vdev 0xd vq 0xq
v9fs_read_return tag 1 id 116 count 4096 err 4107
virtqueue_fill vq 0xq elem 0xea len 4107 idx 0
virtqueue_flush vq 0xq count 1
virtqueue_fill vq 0xq elem 0xew len 30 idx 0
virtqueue_flush vq 0xq count 1
"""

# A VCD in ringsim's layout: avail_idx 0 -> 1 at 10 -> 3 at 20; interrupts 0 -> 1 at 30.
VCD = """\
$scope module SystemC $end
$scope module virtio $end
$var wire 32 aa avail_idx [31:0] $end
$var wire 32 ab interrupts [31:0] $end
$upscope $end
$upscope $end
$enddefinitions $end
$dumpvars
b0 aa
b0 ab
$end
#10
b1 aa
#20
b11 aa
#30
b1 ab
"""


class QemuTrace(unittest.TestCase):
	def test_seq_split_descriptors_notifications(self):
		p = qemu_trace.parse(io.StringIO(SEQ))['seq-524288'].summary()
		self.assertEqual(p['user_reads'], 1)
		self.assertEqual(p['read_rpcs'], 2)
		self.assertEqual(p['shapes'], [{'rpcs': 2, 'descriptors': 132,
						'rpc_bytes': [507904, 16384],
						'rpc_descriptors': [126, 6], 'reads': 1}])
		self.assertEqual(p['notifications_per_rpc'], 1.0)
		self.assertEqual(p['max_in_service'], 1)
		self.assertEqual(p['out_of_order_fraction'], 0.0)

	def test_par_concurrency_order_suppression(self):
		p = qemu_trace.parse(io.StringIO(PAR))['par-4096'].summary()
		self.assertEqual(p['user_reads'], 2)
		self.assertEqual(p['read_rpcs'], 2)
		self.assertEqual(p['max_in_service'], 2)
		self.assertEqual(p['out_of_order_fraction'], 0.5)
		self.assertEqual(p['notifications_per_rpc'], 0.5)
		# the phase opens at v9fs_mkdir, before the mkdir completes: the mkdir's, B's,
		# A's and the walk's flushes, 1 entry each
		self.assertEqual(p['flushes'], 4)
		self.assertEqual(p['entries_per_flush'], 1.0)

	def test_features(self):
		bits = '1' + '0' * 27 + '11' + '00' + '1'
		with tempfile.NamedTemporaryFile('w', suffix='.log', delete=False) as f:
			f.write('GUEST-FEATURES 0x0009 %s\n' % bits)
		try:
			self.assertEqual(qemu_trace.console_features(f.name),
					 {'indirect_desc': True, 'event_idx': True})
		finally:
			os.unlink(f.name)


class RingsimVcd(unittest.TestCase):
	def test_changes_and_windows(self):
		with tempfile.NamedTemporaryFile('w', suffix='.vcd', delete=False) as f:
			f.write(VCD)
		try:
			s = ringsim_side.vcd_changes(f.name, {'virtio.avail_idx', 'virtio.interrupts'})
		finally:
			os.unlink(f.name)
		a = s['virtio.avail_idx']
		self.assertEqual(ringsim_side.value_at(a, 9), 0)
		self.assertEqual(ringsim_side.value_at(a, 10), 1)
		self.assertEqual(ringsim_side.moved(a, 10, 20), 3)  # 0 before 10, 3 at 20
		self.assertEqual(ringsim_side.moved(a, 11, 19), 0)
		self.assertEqual(ringsim_side.moved(s['virtio.interrupts'], 0, 40), 1)

	def test_descriptors_per_rpc(self):
		# The RTL engine walks 3 descriptors (seg_tgl toggles at 11, 12, 13) and hands the
		# chain over at 14, then 2 (21, 22) handed over at 23: 3 then 2; the toggles at 0
		# are the initial values, not descriptors.
		vcd = """\
$scope module SystemC $end
$scope module rtl $end
$var wire 1 sa seg_tgl $end
$var wire 1 sb serve_tgl $end
$upscope $end
$upscope $end
$enddefinitions $end
$dumpvars
0sa
0sb
$end
#11
1sa
#12
0sa
#13
1sa
#14
1sb
#21
0sa
#22
1sa
#23
0sb
"""
		with tempfile.NamedTemporaryFile('w', suffix='.vcd', delete=False) as f:
			f.write(vcd)
		try:
			s = ringsim_side.vcd_changes(f.name, {'rtl.seg_tgl', 'rtl.serve_tgl'})
		finally:
			os.unlink(f.name)
		self.assertEqual(ringsim_side.segments_per_rpc(s['rtl.seg_tgl'], s['rtl.serve_tgl']),
				 [(14, 3), (23, 2)])


def phase(kind, bs, **kw):
	p = {'kind': kind, 'block_size': bs, 'user_reads': 2, 'read_rpcs': 2, 'status': 'ok',
	     'shapes': [{'rpcs': 1, 'descriptors': 3, 'rpc_bytes': [4096],
			 'rpc_descriptors': [3], 'reads': 2}],
	     'notifications_per_rpc': 1.0, 'max_in_service': 1, 'out_of_order_fraction': 0.0,
	     'entries_per_flush': 1.0}
	p.update(kw)
	return p


class Compare(unittest.TestCase):
	def run_compare(self, q, r):
		with tempfile.TemporaryDirectory() as d:
			for n, v in (('q.json', q), ('r.json', r)):
				with open(os.path.join(d, n), 'w') as f:
					json.dump(v, f)
			return subprocess.run([sys.executable, os.path.join(HERE, 'compare.py'),
					       os.path.join(d, 'q.json'), os.path.join(d, 'r.json')],
					      capture_output=True, text=True)

	def test_agree(self):
		q = {'features': {'indirect_desc': True, 'event_idx': True},
		     'phases': {'seq-4096': phase('seq', 4096),
				'par-4096': phase('par', 4096, max_in_service=4,
						  out_of_order_fraction=0.2,
						  notifications_per_rpc=0.4)}}
		r = {'indirect_descriptors': True,
		     'phases': {'seq-4096': phase('seq', 4096),
				'par-4096': phase('par', 4096, max_in_service=3,
						  out_of_order_fraction=0.1, entries_per_flush=2.0)}}
		out = self.run_compare(q, r)
		self.assertEqual(out.returncode, 0, out.stdout)
		# indirect descriptors; seq: reads, descriptors, RPCs, descriptors per RPC,
		# notifications; par: reads, descriptors, in service, out of order
		self.assertIn('10 checks, 10 agree, 0 differ', out.stdout)

	def test_one_at_a_time_differs(self):
		q = {'features': {'indirect_desc': True, 'event_idx': True},
		     'phases': {'par-4096': phase('par', 4096, max_in_service=4,
						  out_of_order_fraction=0.2)}}
		r = {'indirect_descriptors': True, 'phases': {'par-4096': phase('par', 4096)}}
		out = self.run_compare(q, r)
		self.assertEqual(out.returncode, 1, out.stdout)
		self.assertIn('differs: par-4096 RPCs in service at most', out.stdout)
		self.assertIn('differs: par-4096 completions out of order', out.stdout)

	def test_split_differs(self):
		# 132 entries in 2 RPCs either way, but 66 + 66 (or 6 + 126) is not QEMU's 126 + 6
		big = dict(rpcs=2, descriptors=132, rpc_bytes=[507904, 16384], reads=2)
		q = {'features': {'indirect_desc': True, 'event_idx': True},
		     'phases': {'seq-524288': phase('seq', 524288, shapes=[
			     dict(big, rpc_descriptors=[126, 6])])}}
		for split in ([66, 66], [6, 126]):
			r = {'indirect_descriptors': True, 'phases': {'seq-524288': phase(
				'seq', 524288, shapes=[dict(big, rpc_descriptors=split)])}}
			out = self.run_compare(q, r)
			self.assertEqual(out.returncode, 1, out.stdout)
			self.assertIn('differs: seq-524288 descriptors per RPC', out.stdout)
			self.assertNotIn('differs: seq-524288 descriptors per read', out.stdout)

	def test_descriptors_differ(self):
		q = {'features': {'indirect_desc': True, 'event_idx': True},
		     'phases': {'seq-4096': phase('seq', 4096)}}
		r = {'indirect_descriptors': True, 'phases': {'seq-4096': phase(
			'seq', 4096, shapes=[{'rpcs': 1, 'descriptors': 4, 'rpc_descriptors': [4],
					      'reads': 2}])}}
		out = self.run_compare(q, r)
		self.assertEqual(out.returncode, 1, out.stdout)
		self.assertIn('differs: seq-4096 descriptors per read', out.stdout)


if __name__ == '__main__':
	unittest.main()
