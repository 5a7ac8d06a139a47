/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The Xen PV block protocol as it lies in guest memory, 64-bit ABI (x86_64, arm64): the
 * request and response of Xen's public io/blkif.h in the form Linux 4.4 declares them
 * (include/xen/interface/io/blkif.h), the shared ring of io/ring.h, and the v1 grant table
 * entry of grant_table.h. Shared by the backend model, the engine glue and the tests, so it is
 * plain C11 as well as C++17: no namespaces, only static inline helpers. The DUT's frontend
 * view is dut/kshim/xen/interface/io/blkif.h; the two are never included in one unit.
 *
 * Byte order: the modelled guests and the host running ringsim are little-endian, so the
 * structs are read and written as they are (Xen's protocol is guest-native endian).
 */
#ifndef RS_BLKIF_RING_BLKIF_H
#define RS_BLKIF_RING_BLKIF_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
#define BLKIF_STATIC_ASSERT(cond, msg) static_assert(cond, msg)
#define BLKIF_CONSTEXPR constexpr
#else
#define BLKIF_STATIC_ASSERT(cond, msg) _Static_assert(cond, msg)
#define BLKIF_CONSTEXPR
#endif

/* Linux packs the request's union members so that their id lands at offset 8 on every ABI;
 * on 64-bit ABIs packing changes nothing but the struct's alignment (1). */
#define BLKIF_PACKED __attribute__((__packed__))

/* ---- Xen pages (include/xen/page.h): grants and the ring are always 4 KiB units ---------- */

#define XEN_PAGE_SHIFT 12
#define XEN_PAGE_SIZE 4096u

/* io/blkif.h: "sector numbers are always in 512-byte units", whatever the disk's block size. */
#define BLKIF_SECTOR_SHIFT 9
#define BLKIF_SECTOR_SIZE 512u
/* Sectors in one 4 KiB grant: a segment's last_sect is at most 7 (blkback rejects
 * last_sect >= PAGE_SIZE >> 9 with its 4 KiB pages; kernel-facts B.2). */
#define BLKIF_SECTORS_PER_PAGE (XEN_PAGE_SIZE >> BLKIF_SECTOR_SHIFT)

typedef uint32_t grant_ref_t;   /* grant_table.h */
typedef uint16_t domid_t;       /* xen.h */
typedef uint16_t blkif_vdev_t;  /* io/blkif.h */
typedef uint64_t blkif_sector_t; /* io/blkif.h */
typedef uint32_t RING_IDX;      /* io/ring.h: free-running 32-bit indices */

/* ---- Operations and limits (io/blkif.h; kernel-facts B.1) -------------------------------- */

#define BLKIF_OP_READ 0
#define BLKIF_OP_WRITE 1
#define BLKIF_OP_WRITE_BARRIER 2   /* feature-barrier */
#define BLKIF_OP_FLUSH_DISKCACHE 3 /* feature-flush-cache */
#define BLKIF_OP_DISCARD 5         /* feature-discard */
#define BLKIF_OP_INDIRECT 6        /* feature-max-indirect-segments */

/* Segments of a direct request. */
#define BLKIF_MAX_SEGMENTS_PER_REQUEST 11
/* Indirect pages one indirect request may name: 8 x 512 = 4096 segments at most. */
#define BLKIF_MAX_INDIRECT_PAGES_PER_REQUEST 8

/* xen-blkback/common.h (3.11 to 4.x): what blkback advertises as
 * feature-max-indirect-segments. */
#define MAX_INDIRECT_SEGMENTS 256

#define BLKIF_RSP_EOPNOTSUPP -2 /* operation not supported (e.g. an unknown one) */
#define BLKIF_RSP_ERROR -1      /* the request failed */
#define BLKIF_RSP_OKAY 0

/* One 4 KiB grant and the inclusive range of its 512-byte sectors to transfer. Not packed:
 * 4 + 1 + 1 and two bytes of tail padding. */
struct blkif_request_segment {
	grant_ref_t gref;   /* reference to the I/O buffer frame */
	uint8_t first_sect; /* first sector in the frame to transfer (inclusive) */
	uint8_t last_sect;  /* last sector in the frame to transfer (inclusive) */
};
BLKIF_STATIC_ASSERT(sizeof(struct blkif_request_segment) == 8, "blkif_request_segment is 8 bytes");
BLKIF_STATIC_ASSERT(offsetof(struct blkif_request_segment, first_sect) == 4, "first_sect at 4");
BLKIF_STATIC_ASSERT(offsetof(struct blkif_request_segment, last_sect) == 5, "last_sect at 5");

/* Segments in one indirect page: 4096 / 8 = 512 (SEGS_PER_INDIRECT_FRAME in blkback,
 * GRANTS_PER_INDIRECT_FRAME in the seed's blkfront). */
#define SEGS_PER_INDIRECT_FRAME (XEN_PAGE_SIZE / sizeof(struct blkif_request_segment))
/* Indirect pages for @segs segments (blkback's INDIRECT_PAGES). */
#define INDIRECT_PAGES(_segs) (((_segs) + SEGS_PER_INDIRECT_FRAME - 1) / SEGS_PER_INDIRECT_FRAME)

/* The request's body for READ, WRITE, WRITE_BARRIER and FLUSH_DISKCACHE (the "rw" member). */
struct blkif_request_rw {
	uint8_t nr_segments;          /* number of segments */
	blkif_vdev_t handle;          /* only for read/write requests */
	uint32_t _pad1;               /* offsetof(blkif_request, u.rw.id) == 8 */
	uint64_t id;                  /* private guest value, echoed in the response */
	blkif_sector_t sector_number; /* start sector on disk */
	struct blkif_request_segment seg[BLKIF_MAX_SEGMENTS_PER_REQUEST];
} BLKIF_PACKED;
BLKIF_STATIC_ASSERT(sizeof(struct blkif_request_rw) == 111, "rw body: 1 + 2 + 4 + 8 + 8 + 88");

/* BLKIF_OP_DISCARD's body. */
struct blkif_request_discard {
	uint8_t flag;                 /* BLKIF_DISCARD_SECURE or zero */
	blkif_vdev_t _pad1;
	uint32_t _pad2;               /* offsetof(blkif_request, u.discard.id) == 8 */
	uint64_t id;
	blkif_sector_t sector_number;
	uint64_t nr_sectors;
	uint8_t _pad3;
} BLKIF_PACKED;
BLKIF_STATIC_ASSERT(sizeof(struct blkif_request_discard) == 32, "discard body is 32 bytes");

/* Any other operation: only the id is defined, so an unknown one can be answered. */
struct blkif_request_other {
	uint8_t _pad1;
	blkif_vdev_t _pad2;
	uint32_t _pad3;               /* offsetof(blkif_request, u.other.id) == 8 */
	uint64_t id;
} BLKIF_PACKED;
BLKIF_STATIC_ASSERT(sizeof(struct blkif_request_other) == 15, "other body is 15 bytes");

/* BLKIF_OP_INDIRECT's body: the segments are in the indirect pages, 512 per page. */
struct blkif_request_indirect {
	uint8_t indirect_op;          /* BLKIF_OP_READ or BLKIF_OP_WRITE */
	uint16_t nr_segments;         /* segments in all the indirect pages */
	uint32_t _pad1;               /* offsetof(blkif_request, u.indirect.id) == 8 */
	uint64_t id;
	blkif_sector_t sector_number;
	blkif_vdev_t handle;
	uint16_t _pad2;
	grant_ref_t indirect_grefs[BLKIF_MAX_INDIRECT_PAGES_PER_REQUEST];
	uint32_t _pad3;               /* make it 64 byte aligned */
} BLKIF_PACKED;
BLKIF_STATIC_ASSERT(sizeof(struct blkif_request_indirect) == 63, "indirect body is 63 bytes");

/* One request slot: the operation byte, then the body. 112 bytes on 64-bit ABIs
 * (kernel-facts B.1: 1 + 111; 108 on x86_32, which ringsim does not model). */
struct blkif_request {
	uint8_t operation; /* BLKIF_OP_??? */
	union {
		struct blkif_request_rw rw;
		struct blkif_request_discard discard;
		struct blkif_request_other other;
		struct blkif_request_indirect indirect;
	} u;
} BLKIF_PACKED;
BLKIF_STATIC_ASSERT(sizeof(struct blkif_request) == 112, "blkif_request is 112 bytes");

/* Byte offsets inside a request slot, for code that reads the slot as bytes and for the
 * layout tests (the kshim copy must agree with every one of them). */
#define BLKIF_REQ_OFF_OPERATION 0
#define BLKIF_REQ_OFF_NR_SEGMENTS 1       /* rw: u8 */
#define BLKIF_REQ_OFF_HANDLE 2            /* rw: u16 */
#define BLKIF_REQ_OFF_ID 8                /* every member: u64 */
#define BLKIF_REQ_OFF_SECTOR 16           /* rw, discard, indirect: u64 */
#define BLKIF_REQ_OFF_SEG 24              /* rw: seg[i] at 24 + 8 * i */
#define BLKIF_REQ_OFF_INDIRECT_OP 1       /* indirect: u8 */
#define BLKIF_REQ_OFF_INDIRECT_NR_SEGS 2  /* indirect: u16 */
#define BLKIF_REQ_OFF_INDIRECT_HANDLE 24  /* indirect: u16 */
#define BLKIF_REQ_OFF_INDIRECT_GREFS 28   /* indirect: indirect_grefs[i] at 28 + 4 * i */
#define BLKIF_REQ_OFF_DISCARD_NR_SECTORS 24

BLKIF_STATIC_ASSERT(offsetof(struct blkif_request, u) == 1, "body at 1");
BLKIF_STATIC_ASSERT(offsetof(struct blkif_request, u.rw.nr_segments) == BLKIF_REQ_OFF_NR_SEGMENTS,
		    "rw.nr_segments at 1");
BLKIF_STATIC_ASSERT(offsetof(struct blkif_request, u.rw.handle) == BLKIF_REQ_OFF_HANDLE,
		    "rw.handle at 2");
BLKIF_STATIC_ASSERT(offsetof(struct blkif_request, u.rw.id) == BLKIF_REQ_OFF_ID, "rw.id at 8");
BLKIF_STATIC_ASSERT(offsetof(struct blkif_request, u.rw.sector_number) == BLKIF_REQ_OFF_SECTOR,
		    "rw.sector_number at 16");
BLKIF_STATIC_ASSERT(offsetof(struct blkif_request, u.rw.seg) == BLKIF_REQ_OFF_SEG, "rw.seg at 24");
BLKIF_STATIC_ASSERT(offsetof(struct blkif_request, u.discard.id) == BLKIF_REQ_OFF_ID,
		    "discard.id at 8");
BLKIF_STATIC_ASSERT(offsetof(struct blkif_request, u.discard.nr_sectors) ==
			    BLKIF_REQ_OFF_DISCARD_NR_SECTORS,
		    "discard.nr_sectors at 24");
BLKIF_STATIC_ASSERT(offsetof(struct blkif_request, u.other.id) == BLKIF_REQ_OFF_ID,
		    "other.id at 8");
BLKIF_STATIC_ASSERT(offsetof(struct blkif_request, u.indirect.indirect_op) ==
			    BLKIF_REQ_OFF_INDIRECT_OP,
		    "indirect.indirect_op at 1");
BLKIF_STATIC_ASSERT(offsetof(struct blkif_request, u.indirect.nr_segments) ==
			    BLKIF_REQ_OFF_INDIRECT_NR_SEGS,
		    "indirect.nr_segments at 2");
BLKIF_STATIC_ASSERT(offsetof(struct blkif_request, u.indirect.id) == BLKIF_REQ_OFF_ID,
		    "indirect.id at 8");
BLKIF_STATIC_ASSERT(offsetof(struct blkif_request, u.indirect.sector_number) ==
			    BLKIF_REQ_OFF_SECTOR,
		    "indirect.sector_number at 16");
BLKIF_STATIC_ASSERT(offsetof(struct blkif_request, u.indirect.handle) ==
			    BLKIF_REQ_OFF_INDIRECT_HANDLE,
		    "indirect.handle at 24");
BLKIF_STATIC_ASSERT(offsetof(struct blkif_request, u.indirect.indirect_grefs) ==
			    BLKIF_REQ_OFF_INDIRECT_GREFS,
		    "indirect.indirect_grefs at 28");

/* One response: 8 + 1 + pad 1 + 2 + tail pad 4 = 16 bytes (natural alignment, not packed). */
struct blkif_response {
	uint64_t id;       /* copied from the request */
	uint8_t operation; /* the request's operation; indirect_op for an indirect request */
	int16_t status;    /* BLKIF_RSP_??? */
};
BLKIF_STATIC_ASSERT(sizeof(struct blkif_response) == 16, "blkif_response is 16 bytes");
BLKIF_STATIC_ASSERT(offsetof(struct blkif_response, operation) == 8, "response.operation at 8");
BLKIF_STATIC_ASSERT(offsetof(struct blkif_response, status) == 10, "response.status at 10");

/* ---- The shared ring (io/ring.h, DEFINE_RING_TYPES(blkif, ...)) ---------------------------- */

/* A slot holds a request or, once served, its response: the union's size, 112 bytes. */
union blkif_sring_entry {
	struct blkif_request req;
	struct blkif_response rsp;
};
BLKIF_STATIC_ASSERT(sizeof(union blkif_sring_entry) == 112, "a ring slot is 112 bytes");

/* The 64-byte header, then the slots. The frontend initialises it with SHARED_RING_INIT:
 * req_prod = rsp_prod = 0, req_event = rsp_event = 1. */
struct blkif_sring {
	RING_IDX req_prod, req_event; /* written by the frontend / the backend */
	RING_IDX rsp_prod, rsp_event; /* written by the backend / the frontend */
	uint8_t pad[48];
	union blkif_sring_entry ring[];
};
BLKIF_STATIC_ASSERT(sizeof(struct blkif_sring) == 64, "the shared ring header is 64 bytes");
BLKIF_STATIC_ASSERT(offsetof(struct blkif_sring, req_event) == 4, "req_event at 4");
BLKIF_STATIC_ASSERT(offsetof(struct blkif_sring, rsp_prod) == 8, "rsp_prod at 8");
BLKIF_STATIC_ASSERT(offsetof(struct blkif_sring, rsp_event) == 12, "rsp_event at 12");
BLKIF_STATIC_ASSERT(offsetof(struct blkif_sring, ring) == 64, "slots from 64");

#define BLKIF_SRING_OFF_REQ_PROD 0
#define BLKIF_SRING_OFF_REQ_EVENT 4
#define BLKIF_SRING_OFF_RSP_PROD 8
#define BLKIF_SRING_OFF_RSP_EVENT 12
#define BLKIF_SRING_HEADER_SIZE 64
#define BLKIF_SLOT_SIZE 112

/* Pages of a multi-page ring: XENBUS_MAX_RING_PAGES (1 << XENBUS_MAX_RING_PAGE_ORDER 4). */
#define XENBUS_MAX_RING_PAGES 16

/* io/ring.h: round a 32-bit value down to a power of two (0 stays 0). */
#define __RD2(_x) (((_x) & 0x00000002) ? 0x2 : ((_x) & 0x1))
#define __RD4(_x) (((_x) & 0x0000000c) ? __RD2((_x) >> 2) << 2 : __RD2(_x))
#define __RD8(_x) (((_x) & 0x000000f0) ? __RD4((_x) >> 4) << 4 : __RD4(_x))
#define __RD16(_x) (((_x) & 0x0000ff00) ? __RD8((_x) >> 8) << 8 : __RD8(_x))
#define __RD32(_x) (((_x) & 0xffff0000) ? __RD16((_x) >> 16) << 16 : __RD16(_x))

/**
 * blkif_ring_size() - slots in a ring of @bytes (io/ring.h's __CONST_RING_SIZE(blkif, @bytes))
 * @bytes: the ring's size, XEN_PAGE_SIZE times its page count (never the guest's PAGE_SIZE:
 *         kernel-facts B.1 and invariant F.10)
 *
 * Return: __RD32((@bytes - 64) / 112): 32, 64, 128, 256, 512 for 1, 2, 4, 8, 16 pages; 0 when
 * @bytes does not hold the header and one slot.
 */
static inline BLKIF_CONSTEXPR uint32_t blkif_ring_size(uint64_t bytes)
{
	return bytes < BLKIF_SRING_HEADER_SIZE + BLKIF_SLOT_SIZE
		       ? 0
		       : (uint32_t)__RD32((uint32_t)((bytes - BLKIF_SRING_HEADER_SIZE) /
						     BLKIF_SLOT_SIZE));
}

/** blkif_slot_off() - Return: byte offset from the ring base of slot @idx of a ring of @size
 * slots (a power of two); @idx is a free-running index, masked here (RING_GET_REQUEST). */
static inline BLKIF_CONSTEXPR uint64_t blkif_slot_off(RING_IDX idx, uint32_t size)
{
	return BLKIF_SRING_HEADER_SIZE + (uint64_t)BLKIF_SLOT_SIZE * (idx & (size - 1));
}

/* ---- Index rules (io/ring.h), as functions of the values the macros read ------------------ */

/** blkif_requests_available() - Return: requests published and not yet consumed,
 * req_prod - req_cons (modulo 2^32). */
static inline BLKIF_CONSTEXPR RING_IDX blkif_requests_available(RING_IDX req_prod,
								 RING_IDX req_cons)
{
	return (RING_IDX)(req_prod - req_cons);
}

/**
 * blkif_has_unconsumed_requests() - RING_HAS_UNCONSUMED_REQUESTS of the back ring
 * @req_prod: sring->req_prod as just read
 * @req_cons: the backend's private consumer index
 * @rsp_prod_pvt: the backend's private response producer
 * @size: ring slots
 *
 * Return: min(req_prod - req_cons, size - (req_cons - rsp_prod_pvt)): requests the backend
 * may take now, bounded by the slots its responses still need.
 */
static inline BLKIF_CONSTEXPR RING_IDX blkif_has_unconsumed_requests(RING_IDX req_prod,
								      RING_IDX req_cons,
								      RING_IDX rsp_prod_pvt,
								      uint32_t size)
{
	RING_IDX req = (RING_IDX)(req_prod - req_cons);
	RING_IDX rsp = (RING_IDX)(size - (RING_IDX)(req_cons - rsp_prod_pvt));
	return req < rsp ? req : rsp;
}

/** blkif_request_cons_overflow() - RING_REQUEST_CONS_OVERFLOW: Return: non-zero when taking
 * request @cons would leave no response slot for it ((cons - rsp_prod_pvt) >= size). */
static inline BLKIF_CONSTEXPR int blkif_request_cons_overflow(RING_IDX cons, RING_IDX rsp_prod_pvt,
							       uint32_t size)
{
	return (RING_IDX)(cons - rsp_prod_pvt) >= size;
}

/** blkif_request_prod_overflow() - RING_REQUEST_PROD_OVERFLOW: Return: non-zero when the
 * frontend published more requests than the ring holds ((prod - rsp_prod_pvt) > size); blkback
 * then halts the ring ("Frontend provided bogus ring requests"). */
static inline BLKIF_CONSTEXPR int blkif_request_prod_overflow(RING_IDX prod, RING_IDX rsp_prod_pvt,
							       uint32_t size)
{
	return (RING_IDX)(prod - rsp_prod_pvt) > size;
}

/** blkif_free_requests() - RING_FREE_REQUESTS of the front ring: Return: size -
 * (req_prod_pvt - rsp_cons); never negative for a correct frontend (invariant F.9). */
static inline BLKIF_CONSTEXPR RING_IDX blkif_free_requests(RING_IDX req_prod_pvt, RING_IDX rsp_cons,
							    uint32_t size)
{
	return (RING_IDX)(size - (RING_IDX)(req_prod_pvt - rsp_cons));
}

/**
 * blkif_need_notify() - the test of RING_PUSH_{REQUESTS,RESPONSES}_AND_CHECK_NOTIFY
 * @old_idx: the shared producer index before the push
 * @new_idx: the shared producer index after it
 * @event: the peer's event index (req_event or rsp_event) read after the push
 *
 * Return: non-zero iff @event lies in (@old_idx, @new_idx]: (new - event) < (new - old) in
 * 32-bit unsigned arithmetic.
 */
static inline BLKIF_CONSTEXPR int blkif_need_notify(RING_IDX old_idx, RING_IDX new_idx,
						     RING_IDX event)
{
	return (RING_IDX)(new_idx - event) < (RING_IDX)(new_idx - old_idx);
}

/* ---- Grant table v1 (xen/include/public/grant_table.h) ------------------------------------- */

/* One entry: written by the granting guest, read (and its reading/writing flags set) by Xen. */
struct grant_entry_v1 {
	uint16_t flags;  /* GTF_* */
	domid_t domid;   /* the domain allowed to map the frame */
	uint32_t frame;  /* 4 KiB guest frame number: guest physical address >> 12 */
};
BLKIF_STATIC_ASSERT(sizeof(struct grant_entry_v1) == 8, "grant_entry_v1 is 8 bytes");
BLKIF_STATIC_ASSERT(offsetof(struct grant_entry_v1, domid) == 2, "grant_entry_v1.domid at 2");
BLKIF_STATIC_ASSERT(offsetof(struct grant_entry_v1, frame) == 4, "grant_entry_v1.frame at 4");

/* Entries per 4 KiB table frame (kernel-facts B.5). */
#define GREFS_PER_GRANT_FRAME (XEN_PAGE_SIZE / sizeof(struct grant_entry_v1))
/* Linux's drivers/xen/grant-table.c keeps refs 0..7 for the toolstack (console, xenstore). */
#define NR_RESERVED_ENTRIES 8
/* Xen's default max_grant_frames in the 4.x era (kernel-facts B.5). */
#define XEN_DEFAULT_MAX_GRANT_FRAMES 32

#define GTF_invalid 0            /* type: nothing granted */
#define GTF_permit_access 1      /* type: @domid may map @frame */
#define GTF_accept_transfer 2    /* type: page transfer (not modelled) */
#define GTF_type_mask 3
#define GTF_readonly (1U << 2)   /* the grantee may only map it read-only */
#define GTF_reading (1U << 3)    /* set by Xen while the grantee has it mapped */
#define GTF_writing (1U << 4)    /* set by Xen while the grantee has it mapped writable */

/* GNTTABOP status codes (grant_table.h), what a map or unmap returns. */
#define GNTST_okay 0
#define GNTST_general_error -1   /* also: bad flags or domid, write map of a read-only grant */
#define GNTST_bad_domain -2
#define GNTST_bad_gntref -3      /* reference beyond the table */
#define GNTST_bad_handle -4      /* unmap of a handle that maps nothing */
#define GNTST_permission_denied -8

/** grant_entry_off() - Return: byte offset of entry @gref inside its table frame. */
static inline BLKIF_CONSTEXPR uint32_t grant_entry_off(grant_ref_t gref)
{
	return (uint32_t)((gref % GREFS_PER_GRANT_FRAME) * sizeof(struct grant_entry_v1));
}

#endif
