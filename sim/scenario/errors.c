// SPDX-License-Identifier: GPL-2.0-only
/*
 * libxml2's parser and schema messages, restated in ringsim's form:
 *   WHERE: <element> attr="value": what is wrong; what is allowed
 * The schema itself (as a document) says what is allowed, so no list is kept twice.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scenario/errors.h"
#include "diag/suggest.h"

static void allowed(const struct rs_dom *dom, const char *elem, const char *what, char *buf,
		    size_t size)
{
	rs_schema_names(dom->schema_doc, elem, what, buf, size);
}

/* Copy the text between @open and the next @close after @from into @out. */
static bool between(const char *from, const char *open, char close, char *out, size_t size)
{
	const char *p = from ? strstr(from, open) : NULL, *q;

	if (!p)
		return false;
	p += strlen(open);
	q = strchr(p, close);
	if (!q || (size_t)(q - p) >= size)
		return false;
	memcpy(out, p, (size_t)(q - p));
	out[q - p] = '\0';
	return true;
}

/* "{'read', 'write'}" → "read, write" */
static void plain_set(const char *msg, char *out, size_t size)
{
	size_t o = 0;
	const char *p = strchr(msg, '{');

	out[0] = '\0';
	for (p = p ? p + 1 : NULL; p && *p && *p != '}' && o + 1 < size; p++)
		if (*p != '\'')
			out[o++] = *p;
	out[o] = '\0';
}

/*
 * "; did you mean 'depth'?" for a file; for "--set job.r.dept=4" the whole path,
 * "; did you mean job.r.depth?", so it can be pasted back.
 */
static void did_you_mean(const char *where, const char *near, char *out, size_t size)
{
	const char *path = !strncmp(where, "--set ", 6) ? where + 6 : NULL;
	const char *dot = path ? strrchr(path, '=') : NULL;

	while (dot && dot > path && *dot != '.')
		dot--;
	if (dot && *dot == '.')
		snprintf(out, size, "; did you mean %.*s.%s?", (int)(dot - path), path, near);
	else
		snprintf(out, size, "; did you mean '%s'?", near);
}

void rs_dom_libxml_error(struct rs_dom *dom, const xmlError *err)
{
	char elem[128] = "", attr[128] = "", what[256] = "", list[512], where[512];
	char *msg = strdup(err->message ? err->message : "unknown libxml2 error");
	xmlNodePtr node = err->node;
	const char *rest;
	char *value = NULL;
	size_t len;

	if (!msg)
		return;
	/* one line: libxml2 may quote the offending text, newlines and all */
	msg[strcspn(msg, "\n")] = '\0';
	len = strlen(msg);
	while (len && msg[len - 1] == ' ')
		msg[--len] = '\0';
	if (node && node->type == XML_ATTRIBUTE_NODE)
		node = node->parent;

	/* Not a schema message: the parser's own words, at its line. */
	if (err->domain != XML_FROM_SCHEMASV || !between(msg, "Element '", '\'', elem,
							 sizeof(elem))) {
		if (err->line > 0)
			rs_diag_add(dom->diag, "%s:%d: %s", dom->file, err->line, msg);
		else
			rs_diag_add(dom->diag, "%s: %s", dom->file, msg);
		free(msg);
		return;
	}
	between(msg, "attribute '", '\'', attr, sizeof(attr));
	rest = strstr(msg, "': ");
	rest = rest ? rest + 3 : msg;
	rs_dom_where(dom, node, attr[0] ? attr : NULL, where);
	if (node && attr[0])
		value = (char *)xmlGetProp(node, (const xmlChar *)attr);

	if (strstr(rest, "is not allowed")) {
		char near[128], hint[400] = "";

		allowed(dom, elem, "attribute", list, sizeof(list));
		if (rs_suggest_list(attr, list, near, sizeof(near)))
			did_you_mean(where, near, hint, sizeof(hint));
		rs_diag_add(dom->diag, "%s: <%s>: unknown attribute '%s'; allowed: %s%s", where,
			    elem, attr, list, hint);
	} else if (strstr(rest, "is required but missing")) {
		between(rest, "attribute '", '\'', what, sizeof(what));
		rs_diag_add(dom->diag, "%s: <%s>: the attribute '%s' is required", where, elem,
			    what);
	} else if (strstr(rest, "This element is not expected")) {
		const char *parent = node && node->parent && node->parent->type == XML_ELEMENT_NODE ?
			(const char *)node->parent->name : "scenario";

		allowed(dom, parent, "element", list, sizeof(list));
		rs_diag_add(dom->diag, "%s: <%s>: %s; <%s> takes, in this order: %s", where, elem,
			    rs_schema_declares(dom->schema_doc, elem) ?
			    "not allowed here" : "unknown element", parent, list);
	} else if (strstr(rest, "Missing child element")) {
		between(rest, "Expected is ( ", ' ', what, sizeof(what));
		rs_diag_add(dom->diag, "%s: <%s>: missing <%s>", where, elem, what);
	} else if (strstr(rest, "[facet 'enumeration']")) {
		char near[128], hint[400] = "";

		plain_set(rest, list, sizeof(list));
		if (value && rs_suggest_list(value, list, near, sizeof(near)))
			snprintf(hint, sizeof(hint), "; did you mean '%s'?", near);
		rs_diag_add(dom->diag, "%s: <%s> %s=\"%s\": not allowed; allowed: %s%s", where,
			    elem, attr, value ? value : "", list, hint);
	} else if (strstr(rest, "Duplicate key-sequence")) {
		between(rest, "['", '\'', what, sizeof(what));
		rs_diag_add(dom->diag, "%s: <%s> name=\"%s\": used twice; names must be unique",
			    where, elem, what);
	} else if (strstr(rest, "xs:boolean")) {
		rs_diag_add(dom->diag, "%s: <%s> %s=\"%s\": not a boolean; allowed: true, false",
			    where, elem, attr, value ? value : "");
	} else if (strstr(rest, "xs:unsignedLong")) {
		rs_diag_add(dom->diag, "%s: <%s> %s=\"%s\": not a whole number; allowed: 0 to "
			    "18446744073709551615", where, elem, attr, value ? value : "");
	} else if (strstr(rest, "xs:double")) {
		rs_diag_add(dom->diag, "%s: <%s> %s=\"%s\": not a number", where, elem, attr,
			    value ? value : "");
	} else if (strstr(rest, "[facet 'pattern']") || strstr(rest, "[facet 'maxLength']")) {
		rs_diag_add(dom->diag, "%s: <%s> %s=\"%s\": not a valid name; use letters, "
			    "digits, '_', '.' and '-', at most 64", where, elem, attr,
			    value ? value : "");
	} else if (attr[0]) {
		rs_diag_add(dom->diag, "%s: <%s> %s=\"%s\": %s", where, elem, attr,
			    value ? value : "", rest);
	} else {
		rs_diag_add(dom->diag, "%s: <%s>: %s", where, elem, rest);
	}
	xmlFree(value);
	free(msg);
}
