// SPDX-License-Identifier: GPL-2.0-only
/* pcap: 9P messages as the payload of a TCP connection in a capture file (libpcap). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <arpa/inet.h>
#include <pcap/pcap.h>

#include "trace/pcap.h"

#define ETH_HDR 14
#define IP_HDR 20
#define TCP_HDR 20
#define SYN_OPTS 8 /* MSS, NOP, window scale */
#define WSCALE 14  /* windows of 64 KiB << 14 = 1 GiB: no "window full" in a deep queue */

#define TH_FIN 0x01
#define TH_SYN 0x02
#define TH_PSH 0x08
#define TH_ACK 0x10

/* Either end of the connection: [0] the guest (the 9P client), [1] the server. */
static const uint8_t addr[2][4] = { { 10, 0, 0, 1 }, { 10, 0, 0, 2 } };
static const uint16_t port[2] = { RS_PCAP_GUEST_PORT, RS_PCAP_9P_PORT };
static const uint32_t isn[2] = { 0x10000000u, 0x20000000u };
/* Locally administered unicast MACs (the 0x02 bit of the first byte, IEEE 802): no vendor's. */
static const uint8_t mac[2][6] = { { 2, 0, 0, 0, 0, 1 }, { 2, 0, 0, 0, 0, 2 } };
#define ETHERTYPE_IPV4 0x0800

/* --pcap-link NAME: each name's link type, and what libpcap calls it. */
static const struct {
	const char *name;
	int dlt;
	size_t hdr;
} links[] = {
	[RS_PCAP_LINK_RAW] = { "raw", DLT_RAW, 0 },
	[RS_PCAP_LINK_ETHERNET] = { "ethernet", DLT_EN10MB, ETH_HDR },
};

struct rs_pcap {
	pcap_t *dead;
	pcap_dumper_t *dump;
	unsigned snaplen;
	size_t l2;         /* bytes of link-layer header before each IPv4 packet */
	uint64_t clock_hz;
	uint32_t seq[2];   /* the next sequence number each end sends */
	uint16_t ip_id[2];
	uint64_t messages;
	int error;         /* the first write's errno, 0: none */
	uint8_t pkt[ETH_HDR + IP_HDR + TCP_HDR + SYN_OPTS + RS_PCAP_SEGMENT];
};

static void put16(uint8_t *b, uint16_t v)
{
	b[0] = (uint8_t)(v >> 8);
	b[1] = (uint8_t)v;
}

static void put32(uint8_t *b, uint32_t v)
{
	put16(b, (uint16_t)(v >> 16));
	put16(b + 2, (uint16_t)v);
}

/*
 * The Internet checksum's sum (RFC 1071) of @n bytes starting at an even offset of the
 * checksummed data, added to @acc, not yet folded. One's complement addition does not care
 * about byte order (RFC 1071 2.B): the words are summed in host order, 4 bytes at a time,
 * and swapped into network order at the end.
 */
static uint64_t sum16(const uint8_t *b, size_t n, uint64_t acc)
{
	uint64_t host = 0;
	uint32_t w;
	uint16_t h;
	size_t i = 0;

	for (; i + 4 <= n; i += 4) {
		memcpy(&w, b + i, 4);
		host += w;
	}
	for (; i + 2 <= n; i += 2) {
		memcpy(&h, b + i, 2);
		host += h;
	}
	while (host >> 16)
		host = (host & 0xffff) + (host >> 16);
	acc += ntohs((uint16_t)host);
	if (i < n)
		acc += (uint32_t)b[i] << 8;
	return acc;
}

static uint16_t fold(uint64_t acc)
{
	while (acc >> 16)
		acc = (acc & 0xffff) + (acc >> 16);
	return (uint16_t)~acc;
}

/* One TCP segment from end @from with @flags and @len bytes of @data, at @cycle. */
static void segment(struct rs_pcap *p, int from, uint8_t flags, const uint8_t *data,
		    size_t len, uint64_t cycle)
{
	const int to = !from;
	const size_t opts = (flags & TH_SYN) ? SYN_OPTS : 0;
	const size_t tcp_len = TCP_HDR + opts + len;
	const size_t total = IP_HDR + tcp_len;
	const size_t hdrs = p->l2 + IP_HDR + TCP_HDR + opts; /* what precedes the payload */
	uint8_t *ip = p->pkt + p->l2, *tcp = ip + IP_HDR;
	struct pcap_pkthdr h;
	unsigned __int128 ns;
	uint64_t acc;

	memset(p->pkt, 0, hdrs);
	if (p->l2) {
		memcpy(p->pkt, mac[to], 6);
		memcpy(p->pkt + 6, mac[from], 6);
		put16(p->pkt + 12, ETHERTYPE_IPV4);
	}
	ip[0] = 0x45; /* IPv4, 5 words of header */
	put16(ip + 2, (uint16_t)total);
	put16(ip + 4, p->ip_id[from]++);
	put16(ip + 6, 0x4000); /* don't fragment */
	ip[8] = 64;            /* TTL */
	ip[9] = 6;             /* TCP */
	memcpy(ip + 12, addr[from], 4);
	memcpy(ip + 16, addr[to], 4);
	put16(ip + 10, fold(sum16(ip, IP_HDR, 0)));

	put16(tcp, port[from]);
	put16(tcp + 2, port[to]);
	put32(tcp + 4, p->seq[from]);
	put32(tcp + 8, (flags & TH_ACK) ? p->seq[to] : 0);
	tcp[12] = (uint8_t)(((TCP_HDR + opts) / 4) << 4);
	tcp[13] = flags;
	put16(tcp + 14, 0xffff);
	if (opts) {
		uint8_t *o = tcp + TCP_HDR;

		o[0] = 2; /* MSS */
		o[1] = 4;
		put16(o + 2, (uint16_t)(RS_PCAP_SEGMENT));
		o[4] = 1; /* NOP */
		o[5] = 3; /* window scale */
		o[6] = 3;
		o[7] = WSCALE;
	}
	/* The pseudo-header, the header, the payload (all of it, whatever the snaplen). */
	acc = sum16(ip + 12, 8, 0) + 6 + tcp_len;
	acc = sum16(tcp, TCP_HDR + opts, acc);
	acc = sum16(data, len, acc);
	put16(tcp + 16, fold(acc));

	/* The frame's length counts its link-layer header, as libpcap's does (and the snaplen
	 * cuts it the same way). */
	h.len = (bpf_u_int32)(p->l2 + total);
	h.caplen = (bpf_u_int32)(h.len < p->snaplen ? h.len : p->snaplen);
	if (h.caplen > hdrs)
		memcpy(p->pkt + hdrs, data, h.caplen - hdrs);
	ns = (unsigned __int128)cycle * 1000000000u / p->clock_hz;
	h.ts.tv_sec = (time_t)(ns / 1000000000u);
	h.ts.tv_usec = (suseconds_t)(ns % 1000000000u); /* nanoseconds: the capture's precision */
	pcap_dump((u_char *)p->dump, &h, p->pkt);
	if (!p->error && ferror(pcap_dump_file(p->dump)))
		p->error = errno ? errno : EIO;
	p->seq[from] += (uint32_t)len + ((flags & (TH_SYN | TH_FIN)) ? 1 : 0);
}

int rs_pcap_link_parse(const char *name, enum rs_pcap_link *link)
{
	for (size_t i = 0; i < sizeof(links) / sizeof(links[0]); i++)
		if (!strcmp(name, links[i].name)) {
			*link = (enum rs_pcap_link)i;
			return 0;
		}
	return -1;
}

struct rs_pcap *rs_pcap_open(const char *path, unsigned snaplen, enum rs_pcap_link link,
			     uint64_t clock_hz, char *err, size_t err_size)
{
	char perr[PCAP_ERRBUF_SIZE];
	struct rs_pcap *p = calloc(1, sizeof(*p));
	FILE *f;

	if (!p) {
		snprintf(err, err_size, "%s", strerror(ENOMEM));
		return NULL;
	}
	p->snaplen = snaplen;
	p->l2 = links[link].hdr;
	p->clock_hz = clock_hz ? clock_hz : 1;
	p->seq[0] = isn[0];
	p->seq[1] = isn[1];
	p->dead = pcap_open_dead_with_tstamp_precision(links[link].dlt, (int)snaplen,
						       PCAP_TSTAMP_PRECISION_NANO);
	if (!p->dead) {
		snprintf(err, err_size, "libpcap: pcap_open_dead failed");
		free(p);
		return NULL;
	}
	f = fopen(path, "wb");
	if (!f) {
		snprintf(err, err_size, "%s", strerror(errno));
		pcap_close(p->dead);
		free(p);
		return NULL;
	}
	p->dump = pcap_dump_fopen(p->dead, f);
	if (!p->dump) {
		snprintf(perr, sizeof(perr), "%s", pcap_geterr(p->dead));
		snprintf(err, err_size, "libpcap: %s", perr);
		fclose(f);
		pcap_close(p->dead);
		free(p);
		return NULL;
	}
	segment(p, 0, TH_SYN, NULL, 0, 0);
	segment(p, 1, TH_SYN | TH_ACK, NULL, 0, 0);
	segment(p, 0, TH_ACK, NULL, 0, 0);
	return p;
}

void rs_pcap_message(struct rs_pcap *p, bool reply, const uint8_t *bytes, size_t len,
		     uint64_t cycle)
{
	const int from = reply ? 1 : 0;

	p->messages++;
	while (len) {
		size_t n = len < RS_PCAP_SEGMENT ? len : RS_PCAP_SEGMENT;

		segment(p, from, n == len ? TH_PSH | TH_ACK : TH_ACK, bytes, n, cycle);
		bytes += n;
		len -= n;
	}
}

uint64_t rs_pcap_messages(const struct rs_pcap *p)
{
	return p->messages;
}

int rs_pcap_close(struct rs_pcap *p, uint64_t cycle, char *err, size_t err_size)
{
	int rc = 0;

	if (!p)
		return 0;
	segment(p, 0, TH_FIN | TH_ACK, NULL, 0, cycle);
	segment(p, 1, TH_FIN | TH_ACK, NULL, 0, cycle);
	segment(p, 0, TH_ACK, NULL, 0, cycle);
	errno = 0;
	if (pcap_dump_flush(p->dump) && !p->error)
		p->error = errno ? errno : EIO;
	if (p->error) {
		snprintf(err, err_size, "%s", strerror(p->error));
		rc = -1;
	}
	pcap_dump_close(p->dump);
	pcap_close(p->dead);
	free(p);
	return rc;
}
