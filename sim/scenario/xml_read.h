/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Reading a user's XML file (a scenario or a sweep) with libxml2, refusing what a DOCTYPE
 * could bring in: an external DTD or any entity declaration. Scenarios have one grammar,
 * the embedded schema; a DOCTYPE can only add entities, whose expansion is where the
 * parser's quadratic and exponential blow-ups and its file and network reads live.
 */
#ifndef RS_SCENARIO_XML_READ_H
#define RS_SCENARIO_XML_READ_H

#include <stddef.h>

#include <libxml/tree.h>

#include "diag/diag.h"

/**
 * rs_xml_read() - parse @file (or @text, @len bytes of it, named @file)
 * @opts: libxml2 XML_PARSE_* options; XML_PARSE_NOENT and XML_PARSE_DTDLOAD are dropped
 * @diag: receives "FILE:LINE: <!DOCTYPE ...>" or "FILE:LINE: <!ENTITY NAME>" refusals;
 *        the parser's own errors go to the structured error handler the caller has set
 *
 * Parsing stops at the first declaration refused. Return: the document, or NULL when it
 * does not parse or was refused (then @diag or the caller's handler says why).
 */
xmlDocPtr rs_xml_read(const char *file, const char *text, size_t len, int opts,
		      struct rs_diag *diag);

#endif
