/* SPDX-License-Identifier: GPL-2.0-only */
/* net/9p/protocol.h: marshalling 9P messages in and out of a struct p9_fcall. */
#ifndef DUT_NET_9P_PROTOCOL_H
#define DUT_NET_9P_PROTOCOL_H

#include <stdarg.h>

#include <net/9p/9p.h>

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Formats: b u8, w u16, d u32, q u64, s string (u16 length + bytes), Q qid (13 bytes),
 * D count[4] + data (write: u32 count, const char *data; read: u32 *count, char **data),
 * U count[4] + data copied from a user buffer (write only: u32 count, const char *udata),
 * T walk names (write: u16 n, const char **names), R qids (read: u16 *n, struct p9_qid *).
 * Return: 0, or -EFAULT when the message does not hold (or have room for) the field.
 */
int p9pdu_vwritef(struct p9_fcall *pdu, int proto_version, const char *fmt, va_list ap);
int p9pdu_writef(struct p9_fcall *pdu, int proto_version, const char *fmt, ...);
int p9pdu_readf(struct p9_fcall *pdu, int proto_version, const char *fmt, ...);
int p9pdu_prepare(struct p9_fcall *pdu, s16 tag, s8 type);
int p9pdu_finalize(struct p9_fcall *pdu);
void p9pdu_reset(struct p9_fcall *pdu);

#ifdef __cplusplus
}
#endif

#endif
