/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * include/xen/interface/io/blkif.h as the frontend knows it (64-bit ABI). The backend model
 * keeps its own copy (models/blkif_ring/blkif.h); tests check they agree.
 */
#ifndef KSHIM_XEN_IO_BLKIF_H
#define KSHIM_XEN_IO_BLKIF_H

#include <xen/grant_table.h>
#include <xen/interface/io/ring.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef u16 blkif_vdev_t;
typedef u64 blkif_sector_t;

#define BLKIF_OP_READ 0
#define BLKIF_OP_WRITE 1
#define BLKIF_OP_WRITE_BARRIER 2
#define BLKIF_OP_FLUSH_DISKCACHE 3
#define BLKIF_OP_DISCARD 5
#define BLKIF_OP_INDIRECT 6

/* Maximum scatter/gather segments per request (the direct form). */
#define BLKIF_MAX_SEGMENTS_PER_REQUEST 11
/* Maximum indirect pages one request may name. */
#define BLKIF_MAX_INDIRECT_PAGES_PER_REQUEST 8

struct blkif_request_segment {
	grant_ref_t gref;   /* reference to I/O buffer frame */
	/* @first_sect: first sector in frame to transfer (inclusive). */
	/* @last_sect: last sector in frame to transfer (inclusive). */
	u8 first_sect, last_sect;
};

struct blkif_request_rw {
	u8 nr_segments;             /* number of segments */
	blkif_vdev_t handle;        /* only for read/write requests */
	u32 _pad1;                  /* offsetof(blkif_request,u.rw.id) == 8 */
	u64 id;                     /* private guest value, echoed in resp */
	blkif_sector_t sector_number; /* start sector idx on disk (r/w only) */
	struct blkif_request_segment seg[BLKIF_MAX_SEGMENTS_PER_REQUEST];
} __attribute__((__packed__));

struct blkif_request_indirect {
	u8 indirect_op;
	u16 nr_segments;
	u32 _pad1;                  /* offsetof(blkif_...,u.indirect.id) == 8 */
	u64 id;
	blkif_sector_t sector_number;
	blkif_vdev_t handle;
	u16 _pad2;
	grant_ref_t indirect_grefs[BLKIF_MAX_INDIRECT_PAGES_PER_REQUEST];
	u32 _pad3;                  /* make it 64 byte aligned */
} __attribute__((__packed__));

struct blkif_request {
	u8 operation;               /* BLKIF_OP_??? */
	union {
		struct blkif_request_rw rw;
		struct blkif_request_indirect indirect;
	} u;
} __attribute__((__packed__));

struct blkif_response {
	u64 id;                     /* copied from request */
	u8 operation;               /* copied from request */
	s16 status;                 /* BLKIF_RSP_??? */
};

#define BLKIF_RSP_EOPNOTSUPP -2
#define BLKIF_RSP_ERROR -1
#define BLKIF_RSP_OKAY 0

_Static_assert(sizeof(struct blkif_request_segment) == 8, "segment is 8 bytes");
_Static_assert(sizeof(struct blkif_request) == 112, "request is 112 bytes (64-bit ABI)");
_Static_assert(sizeof(struct blkif_response) == 16, "response is 16 bytes");
/* The offsets the backend reads (Xen's blkif.h; the model asserts the same values). */
_Static_assert(__builtin_offsetof(struct blkif_request, u.rw.nr_segments) == 1, "nr_segments");
_Static_assert(__builtin_offsetof(struct blkif_request, u.rw.id) == 8, "id at 8");
_Static_assert(__builtin_offsetof(struct blkif_request, u.rw.sector_number) == 16, "sector");
_Static_assert(__builtin_offsetof(struct blkif_request, u.rw.seg) == 24, "segments at 24");
_Static_assert(__builtin_offsetof(struct blkif_request, u.indirect.nr_segments) == 2,
	       "indirect nr_segments");
_Static_assert(__builtin_offsetof(struct blkif_request, u.indirect.indirect_grefs) == 28,
	       "indirect grefs at 28");
_Static_assert(__builtin_offsetof(struct blkif_response, status) == 10, "status at 10");

DEFINE_RING_TYPES(blkif, struct blkif_request, struct blkif_response);

#ifdef __cplusplus
}
#endif

#endif
