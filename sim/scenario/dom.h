/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The state shared by the layers of scenario loading (internal to sim/scenario/): the
 * parsed document, which attributes came from --set, how to name a place in messages
 * ("FILE:LINE" or "--set PATH=VALUE") and what the schema allows (dom.c).
 */
#ifndef RS_SCENARIO_DOM_H
#define RS_SCENARIO_DOM_H

#include <stdbool.h>
#include <string.h>

#include <libxml/tree.h>

#include "diag/diag.h"
#include "scenario/scenario.h"

struct rs_override {
	xmlNodePtr elem;
	char *attr;
	const char *text; /* the --set argument as given */
};

struct rs_dom {
	const char *file;
	xmlDocPtr doc;
	xmlDocPtr schema_doc; /* the XSD as a document, to list allowed attributes */
	struct rs_override *ovr;
	size_t n_ovr;
	struct rs_diag *diag;
};

/* Whether @n is the element @name. */
static inline bool rs_xml_is(xmlNodePtr n, const char *name)
{
	return n && n->type == XML_ELEMENT_NODE && !strcmp((const char *)n->name, name);
}

/* The first child element of @parent named @name, or NULL. */
static inline xmlNodePtr rs_xml_child(xmlNodePtr parent, const char *name)
{
	for (xmlNodePtr c = parent ? parent->children : NULL; c; c = c->next)
		if (rs_xml_is(c, name))
			return c;
	return NULL;
}

/**
 * rs_dom_where() - name the source of an element's attribute for a message
 * @dom: loading state
 * @elem: the element
 * @attr: the attribute, or NULL for the element itself
 * @buf: output, at least 512 bytes
 *
 * Return: @buf holding "--set PATH=VALUE" when @attr came from an override, else
 * "FILE:LINE".
 */
const char *rs_dom_where(const struct rs_dom *dom, xmlNodePtr elem, const char *attr, char *buf);

/**
 * rs_schema_names() - what the schema allows in an element, as "a, b, c"
 * @schema: the XSD as a document
 * @elem: the element's declared name, e.g. "platform"
 * @what: "attribute" or "element"
 * @buf: output ("" when @elem is not declared)
 */
void rs_schema_names(xmlDocPtr schema, const char *elem, const char *what, char *buf,
		     size_t size);

/** rs_schema_declares() - whether the schema declares an element named @elem anywhere. */
bool rs_schema_declares(xmlDocPtr schema, const char *elem);

#endif
