/* SPDX-License-Identifier: GPL-2.0-only */
/* errors: libxml2's messages in ringsim's words (errors.c). */
#ifndef RS_SCENARIO_ERRORS_H
#define RS_SCENARIO_ERRORS_H

#include "scenario/dom.h"

/**
 * rs_dom_libxml_error() - add one libxml2 parser or schema error to dom->diag, restated
 * in ringsim's "WHERE: <element> attr="value": problem; allowed: ..." form
 */
void rs_dom_libxml_error(struct rs_dom *dom, const xmlError *err);

#endif
