// SPDX-License-Identifier: GPL-2.0-only
/*
 * platform: what both the simulator's devices (sim/devices) and the native replay
 * (sim/native) build from a scenario the same way: the 9P server's configuration and the
 * direct-I/O pinning of a user buffer. One definition, so the replay cannot drift from the
 * simulator it is the limit of.
 */
#ifndef RS_PLATFORM_H
#define RS_PLATFORM_H

#include <cstdint>
#include <vector>

#include "scenario/scenario.h"
#include "virtqueue/p9_server.h"

struct page;

namespace rs_setup {

/**
 * p9_server_config() - the 9P server of @s: the platform clock, <virtio-9p>'s block size,
 * service times (defaults those of p9srv::config) and framing, and a file per 9p job (a
 * reader's holds everything it will read; a writer's starts empty) or a directory per
 * readdir job.
 */
p9srv::config p9_server_config(const rs_scenario &s);

/**
 * pin_user_buffer() - pin the pages of the current guest process's buffer [@buf, @buf +
 * @bytes) as the direct I/O code does (dio_get_page), for writing them when !@write
 * @pages: receives the pages
 * @offset: receives @buf's offset in its first page
 * Return: true, or false with nothing left pinned (a page could not be pinned).
 * Context: a guest thread; get_user_pages_fast() charges its cost.
 */
bool pin_user_buffer(const char *buf, uint64_t bytes, bool write, std::vector<struct page *> &pages,
		     unsigned &offset);

} // namespace rs_setup

#endif
