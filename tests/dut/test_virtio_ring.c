// SPDX-License-Identifier: GPL-2.0-only
/*
 * Tests of dut/guest/virtio_ring.c's event-index half (Linux 3.1 with
 * VIRTIO_RING_F_EVENT_IDX): virtqueue_kick notifies only when the new avail entries pass
 * the device's avail_event (vring_need_event), and without event indices only when the
 * device did not set VRING_USED_F_NO_NOTIFY; virtqueue_get_buf publishes used_event. The
 * ring is a plain buffer here (no device engine): the test plays the device.
 */
#include "guest/virtio_ring.c"

#include "../unit/cunit_main.h"
#include "dut_fixture.h"

#define NUM 8

static char ring_mem[3 * 4096] __attribute__((aligned(4096)));
static unsigned notified;

static void count_notify(struct virtqueue *vq)
{
	(void)vq;
	notified++;
}

static void no_callback(struct virtqueue *vq)
{
	(void)vq;
}

struct ring_case {
	bool event;
	struct virtqueue *vq;
};

static void new_ring(void *arg)
{
	struct ring_case *c = arg;
	static struct virtio_device vdev;

	memset(ring_mem, 0, sizeof(ring_mem));
	c->vq = vring_new_virtqueue(NUM, 4096, &vdev, ring_mem, count_notify, no_callback, "t",
				    false, c->event);
}

/* What virtqueue_add_buf leaves behind for the kick: @n entries added since the last. */
static void kick_after(struct virtqueue *vq, unsigned n)
{
	to_vvq(vq)->num_added = n;
	virtqueue_kick(vq);
}

/* avail_event 0: the device asks to hear of avail index 0, that is of the first entry. */
static void t_ring_event_idx_kick(void)
{
	struct ring_case c = { true, NULL };
	struct vring *vr;

	CU_ASSERT_TRUE_FATAL(fx_run(new_ring, &c));
	CU_ASSERT_PTR_NOT_NULL_FATAL(c.vq);
	vr = &to_vvq(c.vq)->vring;
	notified = 0;
	/* avail->idx 0 -> 1 passes avail_event 0: vring_need_event(0, 1, 0) = 0 < 1, kick */
	kick_after(c.vq, 1);
	CU_ASSERT_EQUAL(vr->avail->idx, 1);
	CU_ASSERT_EQUAL(notified, 1);
	/* the device has not popped it yet (avail_event still 0): 1 -> 2 does not pass 0,
	 * (u16)(2 - 0 - 1) = 1 is not < 2 - 1 = 1: no kick */
	kick_after(c.vq, 1);
	CU_ASSERT_EQUAL(notified, 1);
	/* the device popped both and asks for index 2: 2 -> 4 passes it, 1 < 2: kick */
	vring_avail_event(vr) = 2;
	kick_after(c.vq, 2);
	CU_ASSERT_EQUAL(vr->avail->idx, 4);
	CU_ASSERT_EQUAL(notified, 2);
	/* a device far ahead of nothing (avail_event 9): 4 -> 5 passes nothing, no kick; the
	 * VRING_USED_F_NO_NOTIFY flag is not looked at with event indices */
	vring_avail_event(vr) = 9;
	vr->used->flags = 0;
	kick_after(c.vq, 1);
	CU_ASSERT_EQUAL(notified, 2);
}

/* Without event indices: every kick notifies unless the device set VRING_USED_F_NO_NOTIFY,
 * whatever avail_event holds. */
static void t_ring_no_event_idx_kick(void)
{
	struct ring_case c = { false, NULL };
	struct vring *vr;

	CU_ASSERT_TRUE_FATAL(fx_run(new_ring, &c));
	CU_ASSERT_PTR_NOT_NULL_FATAL(c.vq);
	vr = &to_vvq(c.vq)->vring;
	notified = 0;
	kick_after(c.vq, 1);
	kick_after(c.vq, 1);
	CU_ASSERT_EQUAL(notified, 2);
	vr->used->flags = VRING_USED_F_NO_NOTIFY;
	kick_after(c.vq, 1);
	CU_ASSERT_EQUAL(notified, 2);
}

/* get_buf publishes used_event = the used index it will look at next. */
static void t_ring_get_buf_used_event(void)
{
	struct ring_case c = { true, NULL };
	struct vring_virtqueue *vvq;
	static int token;
	unsigned len = 0;

	CU_ASSERT_TRUE_FATAL(fx_run(new_ring, &c));
	CU_ASSERT_PTR_NOT_NULL_FATAL(c.vq);
	vvq = to_vvq(c.vq);
	/* descriptor 0 in flight as a one-buffer chain, then completed by the "device" */
	vvq->data[0] = &token;
	vvq->num_free = NUM - 1;
	vvq->free_head = 1;
	vvq->vring.used->ring[0].id = 0;
	vvq->vring.used->ring[0].len = 20;
	vvq->vring.used->idx = 1;
	CU_ASSERT_EQUAL(vring_used_event(&vvq->vring), 0);
	CU_ASSERT_PTR_EQUAL(virtqueue_get_buf(c.vq, &len), &token);
	CU_ASSERT_EQUAL(len, 20);
	CU_ASSERT_EQUAL(vring_used_event(&vvq->vring), 1);
	CU_ASSERT_EQUAL(vvq->num_free, NUM);
}

/* The rule itself (include/linux/virtio_ring.h), at the 16-bit wrap. */
static void t_ring_need_event_wrap(void)
{
	CU_ASSERT_TRUE(vring_need_event(65535, 0, 65535));  /* 65535 -> 0 passes 65535 */
	CU_ASSERT_FALSE(vring_need_event(0, 0, 65535));     /* but not 0 */
	CU_ASSERT_TRUE(vring_need_event(65534, 2, 65530));  /* in [65530, 2) */
	CU_ASSERT_FALSE(vring_need_event(2, 2, 65530));     /* 2 is the next one */
}

static void rs_test_register(CU_pSuite suite)
{
	if (fx_setup(4096, 64ul << 20))
		return;
	RS_TEST(t_ring_event_idx_kick);
	RS_TEST(t_ring_no_event_idx_kick);
	RS_TEST(t_ring_get_buf_used_event);
	RS_TEST(t_ring_need_event_wrap);
}
