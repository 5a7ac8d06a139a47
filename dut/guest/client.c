// SPDX-License-Identifier: GPL-2.0-only
/*
 * The 9P client around the transport (net/9p/client.c of Linux 3.1 after abfa034e4b8e),
 * reduced to the request path: tags whose tc/rc buffers are kept across reuse, the RPC and
 * zero-copy RPC, error checks, and read/write/readdir with the era's rsize and zero-copy
 * threshold. 9P2000.L only.
 */
#include <string.h>

#include <linux/mm.h>
#include <linux/wait.h>
#include <net/9p/client.h>
#include <net/9p/protocol.h>

#define p9_proto_2000L 2

#define IS_ERR_VALUE(x) ((unsigned long)(x) >= (unsigned long)-4095)
#define ERR_PTR(e) ((void *)(long)(e))
#define PTR_ERR(p) ((long)(p))
#define IS_ERR(p) IS_ERR_VALUE((unsigned long)(p))

/**
 * p9_tag_alloc - lookup/allocate a request by tag
 * @c: client session to lookup tag within
 * @tag: numeric id for transaction
 * @max_size: the message buffer size wanted (zero copy asks for P9_ZC_HDR_SZ)
 *
 * A tag's tc and rc are allocated the first time the tag is used and kept: a slot first
 * used by a non-zero-copy request keeps msize bytes, one first used by a zero-copy request
 * keeps 4096 (the 3.x caveat).
 */
static struct p9_req_t *p9_tag_alloc(struct p9_client *c, u16 tag, unsigned int max_size)
{
	unsigned long flags;
	int row, col;
	struct p9_req_t *req;
	unsigned int alloc_msize = min(c->msize, max_size);

	/* This looks up the original request by tag so we know which
	 * buffer to read the data into */
	tag++;

	if (tag >= c->max_tag) {
		spin_lock_irqsave(&c->lock, flags);
		/* check again since original check was outside of lock */
		while (tag >= c->max_tag) {
			row = (tag / P9_ROW_MAXTAG);
			c->reqs[row] = kmalloc(sizeof(struct p9_req_t) * P9_ROW_MAXTAG,
					       GFP_ATOMIC);
			if (!c->reqs[row]) {
				spin_unlock_irqrestore(&c->lock, flags);
				return ERR_PTR(-ENOMEM);
			}
			for (col = 0; col < P9_ROW_MAXTAG; col++) {
				c->reqs[row][col].status = REQ_STATUS_IDLE;
				c->reqs[row][col].tc = NULL;
				c->reqs[row][col].rc = NULL;
				c->reqs[row][col].wq = NULL;
			}
			c->max_tag += P9_ROW_MAXTAG;
		}
		spin_unlock_irqrestore(&c->lock, flags);
	}
	row = tag / P9_ROW_MAXTAG;
	col = tag % P9_ROW_MAXTAG;

	req = &c->reqs[row][col];
	if (!req->tc) {
		req->wq = kmalloc(sizeof(wait_queue_head_t), GFP_NOFS);
		if (!req->wq)
			return ERR_PTR(-ENOMEM);
		init_waitqueue_head(req->wq);
		req->tc = kmalloc(sizeof(struct p9_fcall) + alloc_msize, GFP_NOFS);
		req->rc = kmalloc(sizeof(struct p9_fcall) + alloc_msize, GFP_NOFS);
		if ((!req->tc) || (!req->rc)) {
			kfree(req->tc);
			kfree(req->rc);
			kfree(req->wq);
			req->tc = req->rc = NULL;
			req->wq = NULL;
			return ERR_PTR(-ENOMEM);
		}
		req->tc->sdata = (u8 *)req->tc + sizeof(struct p9_fcall);
		req->rc->sdata = (u8 *)req->rc + sizeof(struct p9_fcall);
		req->tc->capacity = alloc_msize;
		req->rc->capacity = alloc_msize;
	}

	p9pdu_reset(req->tc);
	p9pdu_reset(req->rc);

	req->tc->tag = tag - 1;
	req->status = REQ_STATUS_ALLOC;
	req->sim_id = kshim_current_request();

	return &c->reqs[row][col];
}

/**
 * p9_tag_lookup - lookup a request by tag
 * @c: client session to lookup tag within
 * @tag: numeric id for transaction
 */
struct p9_req_t *p9_tag_lookup(struct p9_client *c, u16 tag)
{
	int row, col;

	/* This looks up the original request by tag so we know which
	 * buffer to read the data into */
	tag++;

	BUG_ON(tag >= c->max_tag);

	row = tag / P9_ROW_MAXTAG;
	col = tag % P9_ROW_MAXTAG;

	return &c->reqs[row][col];
}

/* p9_idpool_get / p9_idpool_put: the smallest free tag */
static int p9_idpool_get(struct p9_client *c)
{
	for (int i = 0; i < P9_MAXTAGS - 1; i++)
		if (!c->tag_used[i]) {
			c->tag_used[i] = 1;
			return i;
		}
	return -1;
}

static void p9_free_req(struct p9_client *c, struct p9_req_t *r)
{
	int tag = r->tc->tag;

	r->status = REQ_STATUS_IDLE;
	if (tag != P9_NOTAG && tag >= 0 && tag < P9_MAXTAGS)
		c->tag_used[tag] = 0;
}

/**
 * p9_client_cb - call back from transport to client
 * @c: client state
 * @req: request received
 */
void p9_client_cb(struct p9_client *c, struct p9_req_t *req)
{
	(void)c;
	wake_up(req->wq);
}

/* p9_parse_header - read size[4] type[1] tag[2] */
static int p9_parse_header(struct p9_fcall *pdu, s32 *size, s8 *type, s16 *tag, int rewind)
{
	s32 r_size;
	s8 r_type;
	s16 r_tag;
	size_t offset = pdu->offset;
	int err;

	pdu->offset = 0;
	if (pdu->size == 0)
		pdu->size = 7;

	err = p9pdu_readf(pdu, 0, "dbw", &r_size, &r_type, &r_tag);
	if (err)
		goto rewind_and_exit;

	pdu->size = r_size;
	pdu->id = r_type;
	pdu->tag = r_tag;

	if (type)
		*type = r_type;
	if (tag)
		*tag = r_tag;
	if (size)
		*size = r_size;

rewind_and_exit:
	if (rewind)
		pdu->offset = offset;
	return err;
}

/**
 * p9_check_errors - check 9p packet for error return and process it
 * @c: current client instance
 * @req: request to parse and check for error conditions
 */
static int p9_check_errors(struct p9_client *c, struct p9_req_t *req)
{
	s8 type;
	int err;
	u32 ecode;

	err = p9_parse_header(req->rc, NULL, &type, NULL, 0);
	if (err)
		return err;
	if (type != P9_RLERROR)
		return 0;
	err = p9pdu_readf(req->rc, c->proto_version, "d", &ecode);
	return err ? err : -(int)ecode;
}

/*
 * p9_check_zc_errors - check for errors of a zero-copy request. For 9P2000.L the Rlerror
 * (7 + 4 bytes) fits the 11-byte in-header, so nothing spills into the data buffer.
 */
static int p9_check_zc_errors(struct p9_client *c, struct p9_req_t *req, char *uidata,
			      int in_hdrlen, int kern_buf)
{
	(void)uidata;
	(void)in_hdrlen;
	(void)kern_buf;
	return p9_check_errors(c, req);
}

static struct p9_req_t *p9_client_prepare_req(struct p9_client *c, s8 type, int req_size,
					      const char *fmt, va_list ap)
{
	int tag, err;
	struct p9_req_t *req;

	/* we allow for any status other than disconnected */
	if (c->status == Disconnected)
		return ERR_PTR(-EIO);

	/* if status is begin_disconnected we allow only clunk request */
	if ((c->status == BeginDisconnect) && (type != P9_TCLUNK))
		return ERR_PTR(-EIO);

	tag = P9_NOTAG;
	if (type != P9_TVERSION) {
		tag = p9_idpool_get(c);
		if (tag < 0)
			return ERR_PTR(-ENOMEM);
	}

	req = p9_tag_alloc(c, (u16)tag, (unsigned int)req_size);
	if (IS_ERR(req))
		return req;

	/* marshall the data */
	kshim_charge(KSHIM_COST_PDU_MARSHAL, 1);
	p9pdu_prepare(req->tc, (s16)tag, type);
	err = p9pdu_vwritef(req->tc, c->proto_version, fmt, ap);
	if (err)
		goto reterr;
	err = p9pdu_finalize(req->tc);
	if (err)
		goto reterr;
	return req;
reterr:
	p9_free_req(c, req);
	return ERR_PTR(err);
}

static int p9_client_flush(struct p9_client *c, struct p9_req_t *oldreq);

/**
 * p9_client_rpc - issue a request and wait for a response
 * @c: client session
 * @type: type of request
 * @fmt: protocol format string (see protocol.c)
 */
static struct p9_req_t *p9_client_rpc(struct p9_client *c, s8 type, const char *fmt, ...)
{
	va_list ap;
	int sigpending, err;
	struct p9_req_t *req;

	va_start(ap, fmt);
	req = p9_client_prepare_req(c, type, (int)c->msize, fmt, ap);
	va_end(ap);
	if (IS_ERR(req))
		return req;

	if (kshim_signal_pending()) {
		sigpending = 1;
		kshim_clear_sigpending();
	} else {
		sigpending = 0;
	}

	err = c->trans_mod->request(c, req);
	if (err < 0) {
		if (err != -ERESTARTSYS && err != -EFAULT)
			c->status = Disconnected;
		goto reterr;
	}
	/* Wait for the response */
	err = wait_event_interruptible(*req->wq, req->status >= REQ_STATUS_RCVD);

	if (req->status == REQ_STATUS_ERROR)
		err = req->t_err;
	if ((err == -ERESTARTSYS) && (c->status == Connected)) {
		sigpending = 1;
		kshim_clear_sigpending();

		if (c->trans_mod->cancel(c, req))
			p9_client_flush(c, req);

		/* if we received the response anyway, don't signal error */
		if (req->status == REQ_STATUS_RCVD)
			err = 0;
	}
	if (sigpending)
		kshim_recalc_sigpending();
	if (err < 0)
		goto reterr;

	err = p9_check_errors(c, req);
	if (!err)
		return req;
reterr:
	p9_free_req(c, req);
	return ERR_PTR(err);
}

/**
 * p9_client_zc_rpc - issue a request and wait for a response
 * @c: client session
 * @type: type of request
 * @uidata: user bffer that should be ued for zero copy read
 * @uodata: user buffer that shoud be user for zero copy write
 * @inlen: read buffer size
 * @olen: write buffer size
 * @in_hdrlen: reader header size, This is the size of response protocol data
 * @kern_buf: the data buffers are kernel memory
 * @fmt: protocol format string (see protocol.c)
 *
 * Any negative return of zc_request, -ERESTARTSYS included, frees the request at once:
 * the flush branch below it cannot be reached for zero copy.
 */
static struct p9_req_t *p9_client_zc_rpc(struct p9_client *c, s8 type, char *uidata,
					 char *uodata, int inlen, int olen, int in_hdrlen,
					 int kern_buf, const char *fmt, ...)
{
	va_list ap;
	int sigpending, err;
	struct p9_req_t *req;

	va_start(ap, fmt);
	/*
	 * We allocate a inline protocol data of only 4k bytes.
	 * The actual content is passed in zero-copy fashion.
	 */
	req = p9_client_prepare_req(c, type, P9_ZC_HDR_SZ, fmt, ap);
	va_end(ap);
	if (IS_ERR(req))
		return req;

	if (kshim_signal_pending()) {
		sigpending = 1;
		kshim_clear_sigpending();
	} else {
		sigpending = 0;
	}

	err = c->trans_mod->zc_request(c, req, uidata, uodata, inlen, olen, in_hdrlen,
				       kern_buf);
	if (err < 0) {
		if (err == -EIO)
			c->status = Disconnected;
		goto reterr;
	}
	if (req->status == REQ_STATUS_ERROR)
		err = req->t_err;
	if ((err == -ERESTARTSYS) && (c->status == Connected)) {
		sigpending = 1;
		kshim_clear_sigpending();

		if (c->trans_mod->cancel(c, req))
			p9_client_flush(c, req);

		/* if we received the response anyway, don't signal error */
		if (req->status == REQ_STATUS_RCVD)
			err = 0;
	}
	if (sigpending)
		kshim_recalc_sigpending();
	if (err < 0)
		goto reterr;

	err = p9_check_zc_errors(c, req, uidata, in_hdrlen, kern_buf);
	if (!err)
		return req;
reterr:
	p9_free_req(c, req);
	return ERR_PTR(err);
}

static int p9_client_flush(struct p9_client *c, struct p9_req_t *oldreq)
{
	struct p9_req_t *req;

	req = p9_client_rpc(c, P9_TFLUSH, "w", oldreq->tc->tag);
	if (IS_ERR(req))
		return (int)PTR_ERR(req);

	/* if we haven't received a response for oldreq, remove it from the list */
	if (oldreq->status == REQ_STATUS_FLSH)
		oldreq->status = REQ_STATUS_FLSHD;
	p9_free_req(c, req);
	return 0;
}

static int p9_client_version(struct p9_client *c)
{
	int err = 0;
	struct p9_req_t *req;
	u32 msize;
	char *version;

	req = p9_client_rpc(c, P9_TVERSION, "ds", c->msize, "9P2000.L");
	if (IS_ERR(req))
		return (int)PTR_ERR(req);

	err = p9pdu_readf(req->rc, c->proto_version, "ds", &msize, &version);
	if (err)
		goto error;
	if (msize < c->msize)
		c->msize = msize;
error:
	p9_free_req(c, req);
	return err;
}

struct p9_client *p9_client_create(struct p9_trans_module *trans, unsigned int msize,
				   int *errp)
{
	int err;
	struct p9_client *clnt;

	clnt = kmalloc(sizeof(struct p9_client), GFP_KERNEL);
	if (!clnt) {
		*errp = -ENOMEM;
		return NULL;
	}
	memset(clnt, 0, sizeof(*clnt));
	clnt->trans_mod = trans;
	clnt->proto_version = p9_proto_2000L;
	clnt->msize = msize;
	spin_lock_init(&clnt->lock);
	clnt->next_fid = 1;

	err = clnt->trans_mod->create(clnt, "ringsim", NULL);
	if (err)
		goto free_client;

	if (clnt->msize > (unsigned int)clnt->trans_mod->maxsize)
		clnt->msize = clnt->trans_mod->maxsize;

	err = p9_client_version(clnt);
	if (err)
		goto close_trans;

	return clnt;

close_trans:
	clnt->trans_mod->close(clnt);
free_client:
	kfree(clnt);
	*errp = err;
	return NULL;
}

void p9_client_destroy(struct p9_client *clnt)
{
	clnt->trans_mod->close(clnt);
	for (int row = 0; row * P9_ROW_MAXTAG < clnt->max_tag; row++) {
		for (int col = 0; col < P9_ROW_MAXTAG; col++) {
			kfree(clnt->reqs[row][col].wq);
			kfree(clnt->reqs[row][col].tc);
			kfree(clnt->reqs[row][col].rc);
		}
		kfree(clnt->reqs[row]);
	}
	kfree(clnt);
}

static struct p9_fid *p9_fid_create(struct p9_client *clnt)
{
	struct p9_fid *fid = kmalloc(sizeof(struct p9_fid), GFP_KERNEL);

	if (!fid)
		return NULL;
	memset(fid, 0, sizeof(*fid));
	fid->clnt = clnt;
	fid->fid = clnt->next_fid++;
	fid->mode = -1;
	return fid;
}

struct p9_fid *p9_client_attach(struct p9_client *clnt, const char *uname,
				const char *aname, int *errp)
{
	struct p9_req_t *req;
	struct p9_fid *fid = p9_fid_create(clnt);
	int err;

	if (!fid) {
		*errp = -ENOMEM;
		return NULL;
	}
	req = p9_client_rpc(clnt, P9_TATTACH, "ddssd", fid->fid, P9_NOFID, uname, aname,
			    (u32)0);
	if (IS_ERR(req)) {
		err = (int)PTR_ERR(req);
		goto error;
	}
	err = p9pdu_readf(req->rc, clnt->proto_version, "Q", &fid->qid);
	p9_free_req(clnt, req);
	if (!err)
		return fid;
error:
	kfree(fid);
	*errp = err;
	return NULL;
}

struct p9_fid *p9_client_walk(struct p9_fid *oldfid, const char *name, int *errp)
{
	struct p9_client *clnt = oldfid->clnt;
	struct p9_fid *fid = p9_fid_create(clnt);
	struct p9_qid qids[1];
	struct p9_req_t *req;
	u16 nwqids = 0;
	int err;

	if (!fid) {
		*errp = -ENOMEM;
		return NULL;
	}
	req = p9_client_rpc(clnt, P9_TWALK, "ddT", oldfid->fid, fid->fid, 1, &name);
	if (IS_ERR(req)) {
		err = (int)PTR_ERR(req);
		goto error;
	}
	err = p9pdu_readf(req->rc, clnt->proto_version, "R", &nwqids, qids);
	p9_free_req(clnt, req);
	if (!err && nwqids != 1)
		err = -ENOENT;
	if (!err) {
		fid->qid = qids[0];
		return fid;
	}
error:
	kfree(fid);
	*errp = err;
	return NULL;
}

int p9_client_open(struct p9_fid *fid, int mode)
{
	struct p9_client *clnt = fid->clnt;
	struct p9_req_t *req;
	u32 iounit;
	int err;

	req = p9_client_rpc(clnt, P9_TLOPEN, "dd", fid->fid, (u32)mode);
	if (IS_ERR(req))
		return (int)PTR_ERR(req);
	err = p9pdu_readf(req->rc, clnt->proto_version, "Qd", &fid->qid, &iounit);
	if (!err) {
		fid->mode = mode;
		fid->iounit = iounit;
	}
	p9_free_req(clnt, req);
	return err;
}

int p9_client_clunk(struct p9_fid *fid)
{
	struct p9_client *clnt = fid->clnt;
	struct p9_req_t *req;

	req = p9_client_rpc(clnt, P9_TCLUNK, "d", fid->fid);
	if (!IS_ERR(req))
		p9_free_req(clnt, req);
	kfree(fid);
	return IS_ERR(req) ? (int)PTR_ERR(req) : 0;
}

int p9_client_read(struct p9_fid *fid, char *data, char *udata, u64 offset, u32 count)
{
	char *dataptr;
	int kernel_buf = 0;
	struct p9_req_t *req;
	struct p9_client *clnt;
	int err, rsize, non_zc = 0;

	clnt = fid->clnt;

	rsize = (int)fid->iounit;
	if (!rsize || rsize > (int)clnt->msize - P9_IOHDRSZ)
		rsize = (int)clnt->msize - P9_IOHDRSZ;

	if (count < (u32)rsize)
		rsize = (int)count;

	/* Don't bother zerocopy for small IO (< 1024) */
	if (clnt->trans_mod->zc_request && rsize > 1024) {
		char *indata;

		if (data) {
			kernel_buf = 1;
			indata = data;
		} else {
			indata = udata;
		}
		/*
		 * response header len is 11
		 * PDU Header(7) + IO Size (4)
		 */
		req = p9_client_zc_rpc(clnt, P9_TREAD, indata, NULL, rsize, 0, 11,
				       kernel_buf, "dqd", fid->fid, offset, (u32)rsize);
	} else {
		non_zc = 1;
		req = p9_client_rpc(clnt, P9_TREAD, "dqd", fid->fid, offset, (u32)rsize);
	}
	if (IS_ERR(req))
		return (int)PTR_ERR(req);

	err = p9pdu_readf(req->rc, clnt->proto_version, "D", &count, &dataptr);
	if (err)
		goto free_and_error;

	if (non_zc) {
		if (data) {
			memmove(data, dataptr, count);
		} else {
			err = (int)copy_to_user(udata, dataptr, count);
			if (err) {
				err = -EFAULT;
				goto free_and_error;
			}
		}
	}
	p9_free_req(clnt, req);
	return (int)count;

free_and_error:
	p9_free_req(clnt, req);
	return err;
}

int p9_client_write(struct p9_fid *fid, char *data, const char *udata, u64 offset,
		    u32 count)
{
	int err, rsize;
	struct p9_client *clnt;
	struct p9_req_t *req;

	clnt = fid->clnt;

	rsize = (int)fid->iounit;
	if (!rsize || rsize > (int)clnt->msize - P9_IOHDRSZ)
		rsize = (int)clnt->msize - P9_IOHDRSZ;

	if (count < (u32)rsize)
		rsize = (int)count;

	/* Don't bother zerocopy for small IO (< 1024) */
	if (clnt->trans_mod->zc_request && rsize > 1024) {
		char *odata;
		int kernel_buf = 0;

		if (data) {
			kernel_buf = 1;
			odata = data;
		} else {
			odata = (char *)udata;
		}
		/* The header holds only fid, offset and count: size[4] covers just it. */
		req = p9_client_zc_rpc(clnt, P9_TWRITE, NULL, odata, 0, rsize, P9_ZC_HDR_SZ,
				       kernel_buf, "dqd", fid->fid, offset, (u32)rsize);
	} else {
		if (data) {
			req = p9_client_rpc(clnt, P9_TWRITE, "dqD", fid->fid, offset,
					    (u32)rsize, data);
		} else {
			/* "dqU": the user data is copied into the message */
			req = p9_client_rpc(clnt, P9_TWRITE, "dqU", fid->fid, offset,
					    (u32)rsize, udata);
		}
	}
	if (IS_ERR(req))
		return (int)PTR_ERR(req);

	err = p9pdu_readf(req->rc, clnt->proto_version, "d", &count);
	p9_free_req(clnt, req);
	return err ? err : (int)count;
}

int p9_client_readdir(struct p9_fid *fid, char *data, u32 count, u64 offset)
{
	int err, rsize;
	struct p9_client *clnt;
	struct p9_req_t *req;
	char *dataptr;

	clnt = fid->clnt;

	rsize = (int)fid->iounit;
	if (!rsize || rsize > (int)clnt->msize - P9_READDIRHDRSZ)
		rsize = (int)clnt->msize - P9_READDIRHDRSZ;

	if (count < (u32)rsize)
		rsize = (int)count;

	/* Don't bother zerocopy for small IO (< 1024) */
	if (clnt->trans_mod->zc_request && rsize > 1024) {
		/*
		 * response header len is 11
		 * PDU Header(7) + IO Size (4)
		 */
		req = p9_client_zc_rpc(clnt, P9_TREADDIR, data, NULL, rsize, 0, 11, 1, "dqd",
				       fid->fid, offset, (u32)rsize);
	} else {
		req = p9_client_rpc(clnt, P9_TREADDIR, "dqd", fid->fid, offset, (u32)rsize);
	}
	if (IS_ERR(req))
		return (int)PTR_ERR(req);

	err = p9pdu_readf(req->rc, clnt->proto_version, "D", &count, &dataptr);
	if (err)
		goto free_and_error;

	if (!(clnt->trans_mod->zc_request && rsize > 1024))
		memmove(data, dataptr, count);

	p9_free_req(clnt, req);
	return (int)count;

free_and_error:
	p9_free_req(clnt, req);
	return err;
}
