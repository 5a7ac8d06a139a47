/* SPDX-License-Identifier: GPL-2.0-only */
/* net/9p/trans_common.h as of abfa034e4b8e (Linux 3.1). */
#ifndef DUT_TRANS_COMMON_H
#define DUT_TRANS_COMMON_H

#include <linux/mm.h>

#ifdef __cplusplus
extern "C" {
#endif

void p9_release_pages(struct page **pages, int nr_pages);
int p9_payload_gup(char *data, int *nr_pages, struct page **pages, int write);
int p9_nr_pages(char *data, int len);

#ifdef __cplusplus
}
#endif

#endif
