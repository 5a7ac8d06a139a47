/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * include/xen/interface/io/ring.h: the shared ring as its frontend sees it (the request
 * side), reduced to what blkfront uses. Indices are free-running 32-bit counters.
 */
#ifndef KSHIM_XEN_IO_RING_H
#define KSHIM_XEN_IO_RING_H

#include <linux/kshim.h>

typedef unsigned int RING_IDX;

/* Round a 32-bit unsigned constant down to the nearest power of two. */
#define __RD2(_x) (((_x) & 0x00000002) ? 0x2 : ((_x) & 0x1))
#define __RD4(_x) (((_x) & 0x0000000c) ? __RD2((_x) >> 2) << 2 : __RD2(_x))
#define __RD8(_x) (((_x) & 0x000000f0) ? __RD4((_x) >> 4) << 4 : __RD4(_x))
#define __RD16(_x) (((_x) & 0x0000ff00) ? __RD8((_x) >> 8) << 8 : __RD8(_x))
#define __RD32(_x) (((_x) & 0xffff0000) ? __RD16((_x) >> 16) << 16 : __RD16(_x))

/* The 64-byte shared ring header, then slots of the union's size. */
#define __CONST_RING_SIZE(_s, _sz) \
	(__RD32(((_sz) - 64) / sizeof(union _s##_sring_entry)))

#define DEFINE_RING_TYPES(__name, __req_t, __rsp_t)                                 \
	union __name##_sring_entry {                                                \
		__req_t req;                                                        \
		__rsp_t rsp;                                                        \
	};                                                                          \
	struct __name##_sring {                                                     \
		RING_IDX req_prod, req_event;                                       \
		RING_IDX rsp_prod, rsp_event;                                       \
		u8 __pad[48];                                                       \
		union __name##_sring_entry ring[];                                  \
	};                                                                          \
	struct __name##_front_ring {                                                \
		RING_IDX req_prod_pvt;                                              \
		RING_IDX rsp_cons;                                                  \
		unsigned int nr_ents;                                               \
		struct __name##_sring *sring;                                       \
	}

#define SHARED_RING_INIT(_s)                                                        \
	do {                                                                        \
		(_s)->req_prod = (_s)->rsp_prod = 0;                                \
		(_s)->req_event = (_s)->rsp_event = 1;                              \
		memset((_s)->__pad, 0, sizeof((_s)->__pad));                        \
	} while (0)

#define FRONT_RING_INIT(_r, _s, __size)                                             \
	do {                                                                        \
		(_r)->req_prod_pvt = 0;                                             \
		(_r)->rsp_cons = 0;                                                 \
		(_r)->nr_ents = __RING_SIZE(_s, __size);                            \
		(_r)->sring = (_s);                                                 \
	} while (0)

#define __RING_SIZE(_s, _sz) \
	(__RD32(((_sz) - (long)(_s)->ring + (long)(_s)) / sizeof((_s)->ring[0])))

#define RING_SIZE(_r) ((_r)->nr_ents)
#define RING_FREE_REQUESTS(_r) (RING_SIZE(_r) - ((_r)->req_prod_pvt - (_r)->rsp_cons))
#define RING_FULL(_r) (RING_FREE_REQUESTS(_r) == 0)
#define RING_HAS_UNCONSUMED_RESPONSES(_r) ((_r)->sring->rsp_prod - (_r)->rsp_cons)
#define RING_GET_REQUEST(_r, _idx) (&((_r)->sring->ring[((_idx) & (RING_SIZE(_r) - 1))].req))
#define RING_GET_RESPONSE(_r, _idx) (&((_r)->sring->ring[((_idx) & (RING_SIZE(_r) - 1))].rsp))

#define RING_PUSH_REQUESTS_AND_CHECK_NOTIFY(_r, _notify)                            \
	do {                                                                        \
		RING_IDX __old = (_r)->sring->req_prod;                             \
		RING_IDX __new = (_r)->req_prod_pvt;                                \
		(_r)->sring->req_prod = __new;                                      \
		(_notify) = ((RING_IDX)(__new - (_r)->sring->req_event) <           \
			     (RING_IDX)(__new - __old));                            \
	} while (0)

#define RING_FINAL_CHECK_FOR_RESPONSES(_r, _work_to_do)                             \
	do {                                                                        \
		(_work_to_do) = RING_HAS_UNCONSUMED_RESPONSES(_r);                  \
		if (_work_to_do)                                                    \
			break;                                                      \
		(_r)->sring->rsp_event = (_r)->rsp_cons + 1;                        \
		(_work_to_do) = RING_HAS_UNCONSUMED_RESPONSES(_r);                  \
	} while (0)

#endif
