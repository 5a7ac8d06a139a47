// SPDX-License-Identifier: GPL-2.0-only
/*
 * 9P message marshalling (net/9p/protocol.c of Linux 3.1, reduced to the formats the
 * request path uses). Messages live in guest kernel memory; the direct map makes sdata an
 * ordinary pointer, so this code reads and writes it as the kernel does.
 */
#include <string.h>

#include <linux/mm.h>
#include <net/9p/client.h>
#include <net/9p/protocol.h>

static int pdu_write(struct p9_fcall *pdu, const void *data, size_t size)
{
	if (pdu->size + size > pdu->capacity)
		return -EFAULT;
	memcpy(&pdu->sdata[pdu->size], data, size);
	pdu->size += size;
	return 0;
}

static int pdu_read(struct p9_fcall *pdu, void *data, size_t size)
{
	if (pdu->offset + size > pdu->size)
		return -EFAULT;
	memcpy(data, &pdu->sdata[pdu->offset], size);
	pdu->offset += size;
	return 0;
}

/* 9P is little-endian, like the hosts ringsim runs on; put bytes in order regardless. */
static int put_le(struct p9_fcall *pdu, u64 v, int n)
{
	u8 b[8];

	for (int i = 0; i < n; i++)
		b[i] = (u8)(v >> (8 * i));
	return pdu_write(pdu, b, (size_t)n);
}

static int get_le(struct p9_fcall *pdu, u64 *v, int n)
{
	u8 b[8];

	if (pdu_read(pdu, b, (size_t)n))
		return -EFAULT;
	*v = 0;
	for (int i = 0; i < n; i++)
		*v |= (u64)b[i] << (8 * i);
	return 0;
}

static int put_str(struct p9_fcall *pdu, const char *s)
{
	size_t len = s ? strlen(s) : 0;

	if (len > 0xffff)
		return -EFAULT;
	return put_le(pdu, len, 2) ?: pdu_write(pdu, s, len);
}

int p9pdu_vwritef(struct p9_fcall *pdu, int proto_version, const char *fmt, va_list ap)
{
	int err = 0;

	(void)proto_version;
	for (const char *p = fmt; *p && !err; p++) {
		switch (*p) {
		case 'b':
			err = put_le(pdu, (u8)va_arg(ap, int), 1);
			break;
		case 'w':
			err = put_le(pdu, (u16)va_arg(ap, int), 2);
			break;
		case 'd':
			err = put_le(pdu, va_arg(ap, u32), 4);
			break;
		case 'q':
			err = put_le(pdu, va_arg(ap, u64), 8);
			break;
		case 's':
			err = put_str(pdu, va_arg(ap, const char *));
			break;
		case 'D': {
			u32 count = va_arg(ap, u32);
			const char *data = va_arg(ap, const char *);

			err = put_le(pdu, count, 4) ?: pdu_write(pdu, data, count);
			break;
		}
		case 'U': {
			/* count, then that many bytes copied from a user buffer */
			u32 count = va_arg(ap, u32);
			const char *udata = va_arg(ap, const char *);

			err = put_le(pdu, count, 4);
			if (!err && pdu->size + count > pdu->capacity)
				err = -EFAULT;
			if (!err && copy_from_user(&pdu->sdata[pdu->size], udata, count))
				err = -EFAULT;
			if (!err)
				pdu->size += count;
			break;
		}
		case 'T': {
			u16 n = (u16)va_arg(ap, int);
			const char **names = va_arg(ap, const char **);

			err = put_le(pdu, n, 2);
			for (u16 i = 0; !err && i < n; i++)
				err = put_str(pdu, names[i]);
			break;
		}
		default:
			err = -EINVAL;
		}
	}
	return err;
}

int p9pdu_writef(struct p9_fcall *pdu, int proto_version, const char *fmt, ...)
{
	va_list ap;
	int ret;

	va_start(ap, fmt);
	ret = p9pdu_vwritef(pdu, proto_version, fmt, ap);
	va_end(ap);
	return ret;
}

static int get_qid(struct p9_fcall *pdu, struct p9_qid *qid)
{
	u64 type, version, path;
	int err = get_le(pdu, &type, 1) ?: get_le(pdu, &version, 4) ?: get_le(pdu, &path, 8);

	if (!err) {
		qid->type = (u8)type;
		qid->version = (u32)version;
		qid->path = path;
	}
	return err;
}

int p9pdu_readf(struct p9_fcall *pdu, int proto_version, const char *fmt, ...)
{
	va_list ap;
	int err = 0;
	u64 v;

	(void)proto_version;
	va_start(ap, fmt);
	for (const char *p = fmt; *p && !err; p++) {
		switch (*p) {
		case 'b':
			if (!(err = get_le(pdu, &v, 1)))
				*va_arg(ap, u8 *) = (u8)v;
			break;
		case 'w':
			if (!(err = get_le(pdu, &v, 2)))
				*va_arg(ap, u16 *) = (u16)v;
			break;
		case 'd':
			if (!(err = get_le(pdu, &v, 4)))
				*va_arg(ap, u32 *) = (u32)v;
			break;
		case 'q':
			if (!(err = get_le(pdu, &v, 8)))
				*va_arg(ap, u64 *) = v;
			break;
		case 'Q':
			err = get_qid(pdu, va_arg(ap, struct p9_qid *));
			break;
		case 's': {
			/* Skipped: the client here never keeps strings it reads. */
			char **out = va_arg(ap, char **);

			if (!(err = get_le(pdu, &v, 2)) && pdu->offset + v <= pdu->size) {
				*out = NULL;
				pdu->offset += v;
			} else {
				err = -EFAULT;
			}
			break;
		}
		case 'D': {
			u32 *count = va_arg(ap, u32 *);
			char **data = va_arg(ap, char **);

			if (!(err = get_le(pdu, &v, 4))) {
				*count = (u32)v;
				*data = (char *)&pdu->sdata[pdu->offset];
				/* a zero-copy reply holds only the header: the data is elsewhere */
				pdu->offset = min(pdu->size, pdu->offset + *count);
			}
			break;
		}
		case 'R': {
			u16 *n = va_arg(ap, u16 *);
			struct p9_qid *qids = va_arg(ap, struct p9_qid *);

			if (!(err = get_le(pdu, &v, 2))) {
				*n = (u16)v;
				for (u16 i = 0; !err && i < *n; i++)
					err = get_qid(pdu, &qids[i]);
			}
			break;
		}
		default:
			err = -EINVAL;
		}
	}
	va_end(ap);
	return err;
}

int p9pdu_prepare(struct p9_fcall *pdu, s16 tag, s8 type)
{
	pdu->id = (u8)type;
	pdu->tag = (u16)tag;
	return p9pdu_writef(pdu, 0, "dbw", 0, type, tag);
}

int p9pdu_finalize(struct p9_fcall *pdu)
{
	int size = (int)pdu->size;
	int err;

	pdu->size = 0;
	err = p9pdu_writef(pdu, 0, "d", size);
	pdu->size = (u32)size;
	return err;
}

void p9pdu_reset(struct p9_fcall *pdu)
{
	pdu->offset = 0;
	pdu->size = 0;
}
