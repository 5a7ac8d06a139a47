// SPDX-License-Identifier: GPL-2.0-only
#include "scenario/costs.h"

#include <string.h>

/*
 * Defaults are order-of-magnitude figures for a ~2015 server core at 1-3 GHz running a
 * paravirtual guest: a vmexit for a doorbell write costs on the order of a microsecond, a
 * cache-hot memcpy moves about 8 bytes a cycle, a page fault with zeroing a few hundred
 * cycles. They set the guest side's share of latency; a study that cares overrides them.
 */
static const struct rs_cost_info table[RS_COST_COUNT] = {
	[RS_COST_SYSCALL] = { "syscall", 300, "entering the kernel for one read/write/readdir" },
	[RS_COST_PAGE_FAULT] = { "page-fault", 250, "faulting in one anonymous user page" },
	[RS_COST_MEMCPY_PER_KIB] = { "memcpy-per-KiB", 120, "copying 1 KiB in guest memory" },
	[RS_COST_KMALLOC] = { "kmalloc", 100, "one kmalloc" },
	[RS_COST_KFREE] = { "kfree", 60, "one kfree" },
	[RS_COST_PAGE_PIN] = { "page-pin", 60, "get_user_pages_fast, per page pinned" },
	[RS_COST_PAGE_UNPIN] = { "page-unpin", 30, "put_page, per page" },
	[RS_COST_SPIN_LOCK] = { "spin-lock", 20, "taking and releasing an uncontended spinlock" },
	[RS_COST_SG_ENTRY] = { "sg-entry", 10, "filling one scatterlist entry" },
	[RS_COST_DESC_WRITE] = { "desc-write", 8, "writing one ring descriptor or slot field" },
	[RS_COST_KICK] = { "kick", 1200, "a doorbell write that exits to the host" },
	[RS_COST_WAKE_UP] = { "wake-up", 150, "wake_up on a wait queue" },
	[RS_COST_CONTEXT_SWITCH] = { "context-switch", 1500, "sleeping and being scheduled again" },
	[RS_COST_IRQ_ENTRY] = { "irq-entry", 800, "entering and leaving an interrupt handler" },
	[RS_COST_PDU_MARSHAL] = { "pdu-marshal", 200, "building or parsing one 9P message header" },
	[RS_COST_GRANT_CLAIM] = { "grant-claim", 40, "claiming one reserved grant reference" },
	[RS_COST_GRANT_ACCESS] = { "grant-access", 60, "granting the backend access to one frame" },
	[RS_COST_GRANT_END] = { "grant-end", 80, "ending foreign access to one grant" },
	[RS_COST_EVENT_NOTIFY] = { "event-notify", 1000, "an event channel hypercall" },
};

const struct rs_cost_info *rs_cost_describe(enum rs_cost c)
{
	return &table[c];
}

int rs_cost_lookup(const char *name)
{
	for (int i = 0; i < RS_COST_COUNT; i++)
		if (!strcmp(table[i].name, name))
			return i;
	return -1;
}

const char *rs_cost_names(void)
{
	static char buf[512];

	if (!buf[0]) {
		for (int i = 0; i < RS_COST_COUNT; i++) {
			if (i)
				strcat(buf, ", ");
			strcat(buf, table[i].name);
		}
	}
	return buf;
}
