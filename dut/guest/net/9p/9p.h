/* SPDX-License-Identifier: GPL-2.0-only */
/* The parts of include/net/9p/9p.h (Linux 3.1, with abfa034e4b8e) the DUT and client use. */
#ifndef DUT_NET_9P_9P_H
#define DUT_NET_9P_9P_H

#include <linux/kshim.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Message types (9P2000 and 9P2000.L). */
enum p9_msg_t {
	P9_RLERROR = 7,
	P9_TREADDIR = 40,
	P9_RREADDIR,
	P9_TVERSION = 100,
	P9_RVERSION,
	P9_TATTACH = 104,
	P9_RATTACH,
	P9_TFLUSH = 108,
	P9_RFLUSH,
	P9_TWALK = 110,
	P9_RWALK,
	P9_TLOPEN = 12,
	P9_RLOPEN,
	P9_TREAD = 116,
	P9_RREAD,
	P9_TWRITE,
	P9_RWRITE,
	P9_TCLUNK,
	P9_RCLUNK,
};

#define P9_NOTAG ((u16)(~0))
#define P9_NOFID ((u32)(~0))

/* size[4] Tread/Twrite tag[2] fid[4] offset[8] count[4] */
#define P9_IOHDRSZ 24
/* size[4] Treaddir tag[2] fid[4] offset[8] count[4] */
#define P9_READDIRHDRSZ 24
/* size[4] type[1] tag[2] */
#define P9_HDRSZ 7
/* 9p zero-copy requests keep the header in a buffer of this size (added by abfa034e). */
#define P9_ZC_HDR_SZ 4096

/**
 * struct p9_fcall - a 9P message in guest kernel memory
 * @size: bytes used
 * @id: message type
 * @tag: request tag
 * @offset: marshalling cursor
 * @capacity: bytes available at @sdata
 * @sdata: the message bytes (a guest kernel virtual address: kshim_copy_*_kernel)
 */
struct p9_fcall {
	u32 size;
	u8 id;
	u16 tag;
	size_t offset;
	size_t capacity;
	u8 *sdata;
};

#ifdef __cplusplus
}
#endif

#endif
