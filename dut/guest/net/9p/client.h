/* SPDX-License-Identifier: GPL-2.0-only */
/* The parts of include/net/9p/client.h and transport.h (Linux 3.1) the DUT uses. */
#ifndef DUT_NET_9P_CLIENT_H
#define DUT_NET_9P_CLIENT_H

#include <linux/wait.h>
#include <net/9p/9p.h>

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

struct p9_client {
	spinlock_t lock;
	unsigned int msize;
	unsigned char proto_version;
	struct p9_trans_module *trans_mod;
	enum p9_trans_status status;
	void *trans;
};

/* net/9p/client.c */
struct p9_req_t *p9_tag_lookup(struct p9_client *c, u16 tag);
void p9_client_cb(struct p9_client *c, struct p9_req_t *req);

#endif
