// SPDX-License-Identifier: GPL-2.0-only
/*
 * The helpers every layer of scenario loading shares: where a value came from ("FILE:LINE"
 * or "--set PATH=VALUE") and what the schema allows in an element.
 */
#include <stdio.h>
#include <string.h>

#include "scenario/dom.h"

const char *rs_dom_where(const struct rs_dom *dom, xmlNodePtr elem, const char *attr, char *buf)
{
	for (size_t i = 0; attr && i < dom->n_ovr; i++) {
		if (dom->ovr[i].elem == elem && !strcmp(dom->ovr[i].attr, attr)) {
			snprintf(buf, 512, "--set %s", dom->ovr[i].text);
			return buf;
		}
	}
	if (elem && xmlGetLineNo(elem) > 0)
		snprintf(buf, 512, "%s:%ld", dom->file, xmlGetLineNo(elem));
	else
		snprintf(buf, 512, "%s", dom->file);
	return buf;
}

/* Depth-first search of the XSD for the declaration <xs:element name="@name">. */
static xmlNodePtr find_decl(xmlNodePtr n, const char *name)
{
	for (; n; n = n->next) {
		xmlNodePtr found;
		xmlChar *nm;
		bool hit;

		if (n->type != XML_ELEMENT_NODE)
			continue;
		nm = rs_xml_is(n, "element") ? xmlGetProp(n, (const xmlChar *)"name") : NULL;
		hit = nm && !strcmp((char *)nm, name);
		xmlFree(nm);
		if (hit)
			return n;
		if ((found = find_decl(n->children, name)))
			return found;
	}
	return NULL;
}

/* Append every name="" (or ref="") of @what elements under @decl's own type to @buf. */
static void list_names(xmlNodePtr n, const char *what, char *buf, size_t size, int depth)
{
	for (; n; n = n->next) {
		xmlChar *nm;

		if (n->type != XML_ELEMENT_NODE)
			continue;
		if (rs_xml_is(n, what)) {
			nm = xmlGetProp(n, (const xmlChar *)"name");
			if (!nm)
				nm = xmlGetProp(n, (const xmlChar *)"ref");
			if (nm) {
				size_t used = strlen(buf);

				snprintf(buf + used, size - used, "%s%s", used ? ", " : "", (char *)nm);
			}
			xmlFree(nm);
			continue; /* not into a child element's own type */
		}
		if (depth < 4)
			list_names(n->children, what, buf, size, depth + 1);
	}
}

void rs_schema_names(xmlDocPtr schema, const char *elem, const char *what, char *buf,
		     size_t size)
{
	xmlNodePtr decl = find_decl(xmlDocGetRootElement(schema), elem);

	buf[0] = '\0';
	if (decl)
		list_names(decl->children, what, buf, size, 0);
}

bool rs_schema_declares(xmlDocPtr schema, const char *elem)
{
	return find_decl(xmlDocGetRootElement(schema), elem) != NULL;
}
