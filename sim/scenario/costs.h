/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * costs: what guest software costs, in cycles, per kernel API call. kshim charges these to
 * the calling guest thread; a scenario overrides entries with <cost name="..." cycles="..."/>.
 */
#ifndef RS_COSTS_H
#define RS_COSTS_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

enum rs_cost {
	RS_COST_SYSCALL,
	RS_COST_PAGE_FAULT,
	RS_COST_MEMCPY_PER_KIB,
	RS_COST_KMALLOC,
	RS_COST_KFREE,
	RS_COST_PAGE_PIN,
	RS_COST_PAGE_UNPIN,
	RS_COST_SPIN_LOCK,
	RS_COST_SG_ENTRY,
	RS_COST_DESC_WRITE,
	RS_COST_KICK,
	RS_COST_WAKE_UP,
	RS_COST_CONTEXT_SWITCH,
	RS_COST_IRQ_ENTRY,
	RS_COST_PDU_MARSHAL,
	RS_COST_GRANT_CLAIM,
	RS_COST_GRANT_ACCESS,
	RS_COST_GRANT_END,
	RS_COST_EVENT_NOTIFY,
	RS_COST_COUNT
};

struct rs_cost_info {
	const char *name;      /* the scenario's name for it */
	uint64_t default_cycles;
	const char *what;      /* one line for --help and the README */
};

/** rs_cost_describe() - name, default and meaning of one cost; @c < RS_COST_COUNT. */
const struct rs_cost_info *rs_cost_describe(enum rs_cost c);

/**
 * rs_cost_lookup() - find a cost by its scenario name
 * Return: the cost, or -1 when @name is not in the table.
 */
int rs_cost_lookup(const char *name);

/** rs_cost_names() - every name, comma separated, for error messages (static buffer). */
const char *rs_cost_names(void);

#ifdef __cplusplus
}
#endif

#endif
