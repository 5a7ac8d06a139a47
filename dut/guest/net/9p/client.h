/* SPDX-License-Identifier: GPL-2.0-only */
/* The parts of include/net/9p/client.h and transport.h (Linux 3.1) the DUT uses. */
#ifndef DUT_NET_9P_CLIENT_H
#define DUT_NET_9P_CLIENT_H

#include <linux/spinlock.h>
#include <linux/wait.h>
#include <net/9p/9p.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Order matters: the transport waits for status >= REQ_STATUS_RCVD. */
enum p9_req_status_t {
	REQ_STATUS_IDLE,
	REQ_STATUS_ALLOC,
	REQ_STATUS_UNSENT,
	REQ_STATUS_SENT,
	REQ_STATUS_FLSH,
	REQ_STATUS_RCVD,
	REQ_STATUS_FLSHD,
	REQ_STATUS_ERROR,
};

struct p9_req_t {
	int status;
	int t_err;
	wait_queue_head_t *wq;
	struct p9_fcall *tc;
	struct p9_fcall *rc;
	void *aux;
	s64 sim_id; /* ringsim: the workload request this RPC serves, for findings */
};

struct p9_client;

/* include/net/9p/transport.h after abfa034e: zc_request added, pref removed. */
struct p9_trans_module {
	const char *name;
	int maxsize;
	int def;
	int (*create)(struct p9_client *client, const char *devname, char *args);
	void (*close)(struct p9_client *client);
	int (*request)(struct p9_client *client, struct p9_req_t *req);
	int (*cancel)(struct p9_client *client, struct p9_req_t *req);
	int (*zc_request)(struct p9_client *client, struct p9_req_t *req, char *uidata,
			  char *uodata, int inlen, int outlen, int in_hdr_len, int kern_buf);
};

enum p9_trans_status {
	Connected,
	BeginDisconnect,
	Disconnected,
	Hung,
};

/* Tags: rows of P9_ROW_MAXTAG requests, allocated as needed and kept for reuse. */
#define P9_ROW_MAXTAG 255
#define P9_MAXTAGS 4096 /* ringsim: enough rows for any depth a scenario allows */

struct p9_client {
	spinlock_t lock;
	unsigned int msize;
	unsigned char proto_version;
	struct p9_trans_module *trans_mod;
	enum p9_trans_status status;
	void *trans;
	int max_tag;
	struct p9_req_t *reqs[P9_MAXTAGS / P9_ROW_MAXTAG + 1];
	unsigned char tag_used[P9_MAXTAGS]; /* the tag pool (p9_idpool in the kernel) */
	u32 next_fid;
};

struct p9_qid {
	u8 type;
	u32 version;
	u64 path;
};

struct p9_fid {
	struct p9_client *clnt;
	u32 fid;
	int mode;
	struct p9_qid qid;
	u32 iounit;
};

/* net/9p/client.c */
struct p9_req_t *p9_tag_lookup(struct p9_client *c, u16 tag);
void p9_client_cb(struct p9_client *c, struct p9_req_t *req);

/**
 * p9_client_create() - the mount: bind the transport, negotiate msize with Tversion
 * @msize: the mount option; clamped to the transport's maxsize
 * Return: the client, or NULL with *@err set (negative errno).
 */
struct p9_client *p9_client_create(struct p9_trans_module *trans, unsigned int msize,
				   int *err);
void p9_client_destroy(struct p9_client *clnt);

/** p9_client_attach() - Tattach: Return: the root fid, or NULL with *@err set. */
struct p9_fid *p9_client_attach(struct p9_client *clnt, const char *uname,
				const char *aname, int *err);
/** p9_client_walk() - Twalk of one name from @oldfid to a new fid (or NULL, *@err). */
struct p9_fid *p9_client_walk(struct p9_fid *oldfid, const char *name, int *err);
/** p9_client_open() - Tlopen; sets fid->iounit. Return: 0 or a negative errno. */
int p9_client_open(struct p9_fid *fid, int mode);
/** p9_client_clunk() - Tclunk and free the fid. */
int p9_client_clunk(struct p9_fid *fid);

/*
 * One RPC each, at most rsize bytes (the caller loops). Exactly one of @data (kernel) and
 * @udata (user) is non-NULL. Return: bytes moved, or a negative errno.
 */
int p9_client_read(struct p9_fid *fid, char *data, char *udata, u64 offset, u32 count);
int p9_client_write(struct p9_fid *fid, char *data, const char *udata, u64 offset,
		    u32 count);
int p9_client_readdir(struct p9_fid *fid, char *data, u32 count, u64 offset);

#ifdef __cplusplus
}
#endif

#endif
