/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * pcap: the 9P messages of a run (ringsim run --pcap) as a capture Wireshark and tshark
 * decode with their own 9P dissector. The messages are the payload of one TCP connection
 * from the guest (10.0.0.1:RS_PCAP_GUEST_PORT) to the server (10.0.0.2:564, 9P's port),
 * IPv4 packets without a link layer (LINKTYPE_RAW) or in Ethernet II frames between two
 * locally administered MACs (LINKTYPE_ETHERNET, --pcap-link ethernet: for tools that take
 * nothing else), nanosecond timestamps of simulated time.
 * libpcap writes the file; the IPv4 and TCP headers (a 3-way handshake first, sequence and
 * acknowledgement numbers that follow the bytes, correct checksums, a FIN exchange at the
 * end) are built here. A message longer than RS_PCAP_SEGMENT bytes goes out in several
 * segments, which Wireshark reassembles.
 */
#ifndef RS_TRACE_PCAP_H
#define RS_TRACE_PCAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define RS_PCAP_GUEST_PORT 50000
#define RS_PCAP_9P_PORT 564
#define RS_PCAP_SEGMENT 65000u      /* most TCP payload bytes in one packet */
#define RS_PCAP_MAX_SNAPLEN 262144u /* libpcap's MAXIMUM_SNAPLEN, the default */

/* The capture's link layer (--pcap-link), in the order of RS_PCAP_LINK_NAMES. */
enum rs_pcap_link {
	RS_PCAP_LINK_RAW,      /* LINKTYPE_RAW: IPv4 packets as they are */
	RS_PCAP_LINK_ETHERNET, /* LINKTYPE_ETHERNET: each in an Ethernet II frame */
};

/* --pcap-link's values, for messages and help. */
#define RS_PCAP_LINK_NAMES "raw, ethernet"

struct rs_pcap;

/**
 * rs_pcap_link_parse() - the link layer --pcap-link @name means
 * Return: 0 with *@link set, or -1 when @name is none of RS_PCAP_LINK_NAMES.
 */
int rs_pcap_link_parse(const char *name, enum rs_pcap_link *link);

/**
 * rs_pcap_open() - create @path and write the capture's header and the TCP handshake
 * @path: the file to write (the caller renames it into place)
 * @snaplen: bytes of each packet kept (1..RS_PCAP_MAX_SNAPLEN), its link-layer header
 *	included as libpcap counts it; a packet's original length is kept in its record
 *	whatever this is
 * @link: the link layer each packet is framed in
 * @clock_hz: simulated cycles per second, for the timestamps
 * @err: on failure, why: strerror(errno) or libpcap's message
 *
 * Return: the capture, or NULL with @err set.
 */
struct rs_pcap *rs_pcap_open(const char *path, unsigned snaplen, enum rs_pcap_link link,
			     uint64_t clock_hz, char *err, size_t err_size);

/**
 * rs_pcap_message() - one 9P message, in TCP segments of the connection
 * @reply: server to guest (an R-message), else guest to server
 * @cycle: simulated time of the message; calls come in non-decreasing @cycle
 *
 * A write error is kept and reported by rs_pcap_close().
 */
void rs_pcap_message(struct rs_pcap *p, bool reply, const uint8_t *bytes, size_t len,
		     uint64_t cycle);

/** rs_pcap_messages() - Return: the number of messages written so far. */
uint64_t rs_pcap_messages(const struct rs_pcap *p);

/**
 * rs_pcap_close() - the connection's FIN exchange at @cycle, flush and close
 * Return: 0, or -1 with @err set ("No space left on device") when a write failed.
 * @p is freed either way (NULL: nothing to do, 0).
 */
int rs_pcap_close(struct rs_pcap *p, uint64_t cycle, char *err, size_t err_size);

#ifdef __cplusplus
}
#endif

#endif
