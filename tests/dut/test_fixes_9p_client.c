// SPDX-License-Identifier: GPL-2.0-only
/*
 * 9P-B1 against the seed, side by side: built per variant (seed, seed+9p-b1, upstream) from
 * the variant's patched dut/guest/client.c (included), with FX_FIX_9P_B1 1 for the fix.
 * A stand-in transport plays the device and the server: its zc_request posts the request
 * (the server now holds its tag) and returns -ERESTARTSYS, as a signal during the wait for
 * the reply does; its request() answers Tversion, Tflush (the server forgets the flushed
 * tag) and Tclunk at once, and counts a request that arrives with a tag the server still
 * holds: the late reply of the old request would land on it (p9_reply_reused_tag).
 * Worked out by hand (kernel-facts 9P-B1, A.5): Tversion has P9_NOTAG; the interrupted
 * Twrite takes tag 0. seed: no Tflush, tag 0 freed at once, the next request (Tclunk) takes
 * tag 0 again while the server holds it: 1 reuse. The fix: one Tflush, of old tag 0, sent
 * with tag 1 while tag 0 is still the Twrite's; after Rflush the Tclunk takes tag 0: 0 reuses.
 */
#include "guest/client.c"

#include "../unit/cunit_main.h"
#include "dut_fixture.h"

#ifndef FX_FIX_9P_B1
#define FX_FIX_9P_B1 0
#endif

static struct {
	bool held[P9_MAXTAGS];     /* tags the server holds a request of */
	int flushes, oldtag, flush_tag, oldtag_in_use, reused, zc;
} srv;

static int fake_create(struct p9_client *c, const char *devname, char *args)
{
	(void)devname;
	(void)args;
	c->status = Connected;
	return 0;
}

static void fake_close(struct p9_client *c)
{
	(void)c;
}

static void reply(struct p9_req_t *req, u8 type, const void *body, u32 len)
{
	u32 size = 7 + len;
	u16 tag = req->tc->tag;

	memcpy(req->rc->sdata, &size, 4);
	req->rc->sdata[4] = type;
	memcpy(req->rc->sdata + 5, &tag, 2);
	if (len)
		memcpy(req->rc->sdata + 7, body, len);
	req->rc->size = size;
	req->status = REQ_STATUS_RCVD;
}

static void arrive(struct p9_req_t *req)
{
	u16 tag = req->tc->tag;

	if (tag != P9_NOTAG && srv.held[tag])
		srv.reused++;
}

static int fake_request(struct p9_client *c, struct p9_req_t *req)
{
	u8 type = req->tc->sdata[4];

	arrive(req);
	if (type == P9_TVERSION) {
		u8 body[4 + 2 + 8];
		u32 msize = c->msize;
		u16 len = 8;

		memcpy(body, &msize, 4);
		memcpy(body + 4, &len, 2);
		memcpy(body + 6, "9P2000.L", 8);
		reply(req, P9_RVERSION, body, sizeof(body));
	} else if (type == P9_TFLUSH) {
		u16 old;

		memcpy(&old, req->tc->sdata + 7, 2);
		srv.flushes++;
		srv.oldtag = old;
		srv.flush_tag = req->tc->tag;
		srv.oldtag_in_use = c->tag_used[old];
		srv.held[old] = false; /* flushed: no reply will come for it */
		reply(req, P9_RFLUSH, NULL, 0);
	} else {
		reply(req, (u8)(type + 1), NULL, 0);
	}
	return 0;
}

static int fake_zc_request(struct p9_client *c, struct p9_req_t *req, char *uidata,
			   char *uodata, int inlen, int outlen, int in_hdr_len, int kern_buf)
{
	(void)c;
	(void)uidata;
	(void)uodata;
	(void)inlen;
	(void)outlen;
	(void)in_hdr_len;
	(void)kern_buf;
	arrive(req);
	srv.zc++;
	srv.held[req->tc->tag] = true; /* posted: the server has it */
	req->status = REQ_STATUS_SENT;
	return -ERESTARTSYS; /* the wait for the reply was interrupted */
}

static int fake_cancel(struct p9_client *c, struct p9_req_t *req)
{
	(void)c;
	(void)req;
	return 1; /* as virtio: the request cannot be taken back */
}

static struct p9_trans_module fake = {
	.name = "fake",
	.maxsize = 512000,
	.create = fake_create,
	.close = fake_close,
	.request = fake_request,
	.cancel = fake_cancel,
	.zc_request = fake_zc_request,
};

static struct {
	int create_err, write_ret, tag_after_write, clunk_err;
} out;

static void flush_body(void *arg)
{
	struct p9_client *c = p9_client_create(&fake, 8192, &out.create_err);
	struct p9_fid fid;
	struct p9_req_t *req;
	char *data = kmalloc(4096, GFP_KERNEL);

	(void)arg;
	if (!c || !data)
		return;
	memset(&fid, 0, sizeof(fid));
	fid.clnt = c;
	fid.fid = 1;
	/* 4096 > 1024 bytes from a kernel buffer: zero copy */
	out.write_ret = p9_client_write(&fid, data, NULL, 0, 4096);
	out.tag_after_write = c->tag_used[0];
	req = p9_client_rpc(c, P9_TCLUNK, "d", fid.fid);
	out.clunk_err = IS_ERR(req) ? (int)PTR_ERR(req) : 0;
	if (!IS_ERR(req))
		p9_free_req(c, req);
	kfree(data);
}

static void t_fix_flush_on_erestartsys(void)
{
	memset(&out, 0, sizeof(out));
	CU_ASSERT_TRUE_FATAL(fx_run(flush_body, NULL));
	CU_ASSERT_EQUAL(out.create_err, 0);
	CU_ASSERT_EQUAL(srv.zc, 1);
	CU_ASSERT_EQUAL(out.write_ret, -ERESTARTSYS);
	CU_ASSERT_EQUAL(out.tag_after_write, 0); /* freed once the write returned, in both */
	CU_ASSERT_EQUAL(out.clunk_err, 0);
#if FX_FIX_9P_B1
	CU_ASSERT_EQUAL(srv.flushes, 1);
	CU_ASSERT_EQUAL(srv.oldtag, 0);
	CU_ASSERT_EQUAL(srv.flush_tag, 1);
	CU_ASSERT_EQUAL(srv.oldtag_in_use, 1); /* tag 0 still the write's while flushing */
	CU_ASSERT_EQUAL(srv.reused, 0);
#else
	CU_ASSERT_EQUAL(srv.flushes, 0);
	CU_ASSERT_EQUAL(srv.reused, 1); /* Tclunk on tag 0, which the server still holds */
#endif
	CU_ASSERT_FALSE(fx_dut_bug());
}

static void rs_test_register(CU_pSuite suite)
{
	if (fx_setup(4096, 64ul << 20))
		return;
	RS_TEST(t_fix_flush_on_erestartsys);
}
