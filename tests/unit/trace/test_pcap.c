// SPDX-License-Identifier: GPL-2.0-only
/* Tests of sim/trace/pcap.c: the capture read back with libpcap, header by header. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <pcap/pcap.h>

#include "cunit_main.h"
#include "trace/pcap.h"

#define MAX_RECORDS 16

struct record {
	struct pcap_pkthdr h;
	uint8_t *data;
};

static unsigned get16(const uint8_t *b)
{
	return (unsigned)b[0] << 8 | b[1];
}

static uint32_t get32(const uint8_t *b)
{
	return (uint32_t)get16(b) << 16 | get16(b + 2);
}

/* The Internet checksum over @n bytes after @acc: 0 when the checksum in them is right. */
static unsigned csum(const uint8_t *b, size_t n, uint32_t acc)
{
	for (size_t i = 0; i < n; i += 2)
		acc += (uint32_t)b[i] << 8 | (i + 1 < n ? b[i + 1] : 0);
	while (acc >> 16)
		acc = (acc & 0xffff) + (acc >> 16);
	return ~acc & 0xffff;
}

/* Every record of @path, nanosecond timestamps; its link type and snaplen. */
static size_t read_back(const char *path, struct record *r, int *linktype, int *snaplen)
{
	char err[PCAP_ERRBUF_SIZE];
	pcap_t *p = pcap_open_offline_with_tstamp_precision(path, PCAP_TSTAMP_PRECISION_NANO,
							    err);
	struct pcap_pkthdr *h;
	const u_char *d;
	size_t n = 0;

	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	*linktype = pcap_datalink(p);
	*snaplen = pcap_snapshot(p);
	while (n < MAX_RECORDS && pcap_next_ex(p, &h, &d) == 1) {
		r[n].h = *h;
		r[n].data = malloc(h->caplen);
		memcpy(r[n].data, d, h->caplen);
		n++;
	}
	pcap_close(p);
	return n;
}

static void free_records(struct record *r, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(r[i].data);
}

/*
 * A 100-byte T-message at cycle 1500 and a 150,000-byte R-message at cycle 2,000,000,123
 * of a 1 GHz clock: the handshake, one segment, three (65,000 + 65,000 + 20,000), the FIN
 * exchange; sequence and acknowledgement numbers follow the bytes; checksums hold.
 */
static void t_pcap_stream(void)
{
	char path[] = "/tmp/rs_test_pcap.XXXXXX";
	static uint8_t t[100], rr[150000];
	struct record r[MAX_RECORDS];
	char err[256];
	struct rs_pcap *p;
	int fd = mkstemp(path), lt, snap;
	size_t n, i;

	CU_ASSERT_FATAL(fd >= 0);
	close(fd);
	for (i = 0; i < sizeof(t); i++)
		t[i] = (uint8_t)i;
	for (i = 0; i < sizeof(rr); i++)
		rr[i] = (uint8_t)(i * 7);
	p = rs_pcap_open(path, RS_PCAP_MAX_SNAPLEN, RS_PCAP_LINK_RAW, 1000000000, err, sizeof(err));
	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	rs_pcap_message(p, false, t, sizeof(t), 1500);
	rs_pcap_message(p, true, rr, sizeof(rr), 2000000123);
	CU_ASSERT_EQUAL(rs_pcap_messages(p), 2);
	CU_ASSERT_EQUAL(rs_pcap_close(p, 2000000200, err, sizeof(err)), 0);

	n = read_back(path, r, &lt, &snap);
	unlink(path);
	CU_ASSERT_EQUAL(lt, DLT_RAW);
	CU_ASSERT_EQUAL(snap, (int)RS_PCAP_MAX_SNAPLEN);
	CU_ASSERT_EQUAL_FATAL(n, 10);
	static const uint8_t flags[10] = { 0x02, 0x12, 0x10, 0x18, 0x10, 0x10, 0x18,
					   0x11, 0x11, 0x10 };
	static const size_t payload[10] = { 0, 0, 0, 100, 65000, 65000, 20000, 0, 0, 0 };
	static const int from_guest[10] = { 1, 0, 1, 1, 0, 0, 0, 1, 0, 1 };
	uint32_t seq[2] = { 0, 0 }; /* [0] guest, [1] server: next expected */
	for (i = 0; i < n; i++) {
		const uint8_t *ip = r[i].data, *tcp = ip + 20;
		size_t thl = (size_t)(tcp[12] >> 4) * 4, len = r[i].h.len;
		int g = from_guest[i];
		uint32_t pseudo;

		CU_ASSERT_EQUAL(r[i].h.caplen, r[i].h.len);
		CU_ASSERT_EQUAL(len, 20 + thl + payload[i]);
		CU_ASSERT_EQUAL(ip[0], 0x45);
		CU_ASSERT_EQUAL(get16(ip + 2), len);
		CU_ASSERT_EQUAL(ip[9], 6);
		CU_ASSERT_EQUAL(csum(ip, 20, 0), 0);
		CU_ASSERT_EQUAL(ip[15], g ? 1 : 2); /* 10.0.0.1 the guest, 10.0.0.2 the server */
		CU_ASSERT_EQUAL(get16(tcp), g ? RS_PCAP_GUEST_PORT : 564);
		CU_ASSERT_EQUAL(get16(tcp + 2), g ? 564 : RS_PCAP_GUEST_PORT);
		CU_ASSERT_EQUAL(tcp[13], flags[i]);
		CU_ASSERT_EQUAL(thl, (flags[i] & 0x02) ? 28 : 20);
		pseudo = get16(ip + 12) + get16(ip + 14) + get16(ip + 16) + get16(ip + 18) + 6 +
			 (uint32_t)(len - 20);
		CU_ASSERT_EQUAL(csum(tcp, len - 20, pseudo), 0);
		if (i == 0 || i == 1) {
			seq[!g] = get32(tcp + 4) + 1;
		} else {
			CU_ASSERT_EQUAL(get32(tcp + 4), seq[!g]);
			seq[!g] += (uint32_t)payload[i] + ((flags[i] & 0x01) ? 1 : 0);
		}
		if (flags[i] & 0x10)
			CU_ASSERT_EQUAL(get32(tcp + 8), seq[g]);
	}
	CU_ASSERT_EQUAL(memcmp(r[3].data + 40, t, sizeof(t)), 0);
	CU_ASSERT_EQUAL(memcmp(r[4].data + 40, rr, 65000), 0);
	CU_ASSERT_EQUAL(memcmp(r[6].data + 40, rr + 130000, 20000), 0);
	CU_ASSERT_EQUAL(r[0].h.ts.tv_sec, 0);
	CU_ASSERT_EQUAL(r[3].h.ts.tv_usec, 1500); /* nanoseconds */
	CU_ASSERT_EQUAL(r[5].h.ts.tv_sec, 2);
	CU_ASSERT_EQUAL(r[5].h.ts.tv_usec, 123);
	CU_ASSERT_EQUAL(r[9].h.ts.tv_usec, 200);
	free_records(r, n);
}

/* A snaplen of 50: each record's caplen at most 50, its len the packet's; the checksums
 * still cover the whole payload (checked in t_pcap_stream). */
static void t_pcap_snaplen(void)
{
	char path[] = "/tmp/rs_test_pcap.XXXXXX";
	static uint8_t m[70000];
	struct record r[MAX_RECORDS];
	char err[256];
	int fd = mkstemp(path), lt, snap;
	struct rs_pcap *p;
	size_t n;

	CU_ASSERT_FATAL(fd >= 0);
	close(fd);
	p = rs_pcap_open(path, 50, RS_PCAP_LINK_RAW, 3000000000u, err, sizeof(err));
	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	rs_pcap_message(p, false, m, sizeof(m), 3);
	CU_ASSERT_EQUAL(rs_pcap_close(p, 3, err, sizeof(err)), 0);
	n = read_back(path, r, &lt, &snap);
	unlink(path);
	CU_ASSERT_EQUAL(snap, 50);
	CU_ASSERT_EQUAL_FATAL(n, 8);
	CU_ASSERT_EQUAL(r[3].h.caplen, 50);
	CU_ASSERT_EQUAL(r[3].h.len, 40 + 65000);
	CU_ASSERT_EQUAL(r[4].h.len, 40 + 5000);
	CU_ASSERT_EQUAL(r[0].h.caplen, 48); /* the SYN: shorter than the snaplen */
	CU_ASSERT_EQUAL(r[3].h.ts.tv_usec, 1); /* 3 cycles at 3 GHz: 1 ns */
	free_records(r, n);
}

/*
 * --pcap-link ethernet: the same IPv4 packets, each after an Ethernet II header (guest MAC
 * 02:00:00:00:00:01, server 02:00:00:00:00:02, ethertype IPv4); the frame's length and
 * the snaplen count that header, as libpcap's do.
 */
static void t_pcap_ethernet(void)
{
	static const uint8_t guest[6] = { 2, 0, 0, 0, 0, 1 }, server[6] = { 2, 0, 0, 0, 0, 2 };
	char path[] = "/tmp/rs_test_pcap.XXXXXX";
	static uint8_t m[100], big[1000];
	struct record r[MAX_RECORDS];
	enum rs_pcap_link link;
	char err[256];
	int fd = mkstemp(path), lt, snap;
	struct rs_pcap *p;
	size_t n;

	CU_ASSERT_EQUAL(rs_pcap_link_parse("ethernet", &link), 0);
	CU_ASSERT_EQUAL(link, RS_PCAP_LINK_ETHERNET);
	CU_ASSERT_EQUAL(rs_pcap_link_parse("raw", &link), 0);
	CU_ASSERT_EQUAL(link, RS_PCAP_LINK_RAW);
	CU_ASSERT_EQUAL(rs_pcap_link_parse("ether", &link), -1);
	CU_ASSERT_FATAL(fd >= 0);
	close(fd);
	for (size_t i = 0; i < sizeof(m); i++)
		m[i] = (uint8_t)(i + 1);
	p = rs_pcap_open(path, 200, RS_PCAP_LINK_ETHERNET, 1000000000, err, sizeof(err));
	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	rs_pcap_message(p, false, m, sizeof(m), 10);
	rs_pcap_message(p, true, big, sizeof(big), 20);
	CU_ASSERT_EQUAL(rs_pcap_close(p, 30, err, sizeof(err)), 0);
	n = read_back(path, r, &lt, &snap);
	unlink(path);
	CU_ASSERT_EQUAL(lt, DLT_EN10MB);
	CU_ASSERT_EQUAL(snap, 200);
	CU_ASSERT_EQUAL_FATAL(n, 8);
	CU_ASSERT_EQUAL(memcmp(r[3].data, server, 6), 0); /* destination first */
	CU_ASSERT_EQUAL(memcmp(r[3].data + 6, guest, 6), 0);
	CU_ASSERT_EQUAL(get16(r[3].data + 12), 0x0800);
	CU_ASSERT_EQUAL(memcmp(r[4].data, guest, 6), 0);
	CU_ASSERT_EQUAL(memcmp(r[4].data + 6, server, 6), 0);
	CU_ASSERT_EQUAL(r[3].h.len, 14 + 40 + sizeof(m));
	CU_ASSERT_EQUAL(r[3].h.caplen, r[3].h.len);
	CU_ASSERT_EQUAL(get16(r[3].data + 14 + 2), 40 + sizeof(m)); /* IPv4 total length */
	CU_ASSERT_EQUAL(csum(r[3].data + 14, 20, 0), 0);
	CU_ASSERT_EQUAL(memcmp(r[3].data + 14 + 40, m, sizeof(m)), 0);
	CU_ASSERT_EQUAL(r[4].h.len, 14 + 40 + sizeof(big));
	CU_ASSERT_EQUAL(r[4].h.caplen, 200);
	CU_ASSERT_EQUAL(r[0].h.len, 14 + 48); /* the SYN, with its options */
	free_records(r, n);
}

/* A full disk: the error comes at close, with the reason. A bad path: at open. */
static void t_pcap_errors(void)
{
	static uint8_t m[200000];
	char err[256] = "";
	struct rs_pcap *p;

	CU_ASSERT_PTR_NULL(rs_pcap_open("/nonexistent-dir/x.pcap", 100, RS_PCAP_LINK_RAW, 1, err,
					 sizeof(err)));
	CU_ASSERT_STRING_EQUAL(err, "No such file or directory");
	if (access("/dev/full", W_OK))
		return;
	p = rs_pcap_open("/dev/full", RS_PCAP_MAX_SNAPLEN, RS_PCAP_LINK_RAW, 1000000000, err,
			 sizeof(err));
	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	rs_pcap_message(p, true, m, sizeof(m), 10);
	CU_ASSERT_EQUAL(rs_pcap_close(p, 10, err, sizeof(err)), -1);
	CU_ASSERT_STRING_EQUAL(err, "No space left on device");
}

static void rs_test_register(CU_pSuite suite)
{
	RS_TEST(t_pcap_stream);
	RS_TEST(t_pcap_snaplen);
	RS_TEST(t_pcap_ethernet);
	RS_TEST(t_pcap_errors);
}
