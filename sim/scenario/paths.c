// SPDX-License-Identifier: GPL-2.0-only
/*
 * paths: every PATH that --set and --vary accept for one scenario, with the value
 * it runs with; the names come from the schema itself, the values from the as-run XML.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>

#include "scenario/embedded.h"
#include "scenario/dom.h"

/* The elements a path may start with, in the schema's order. */
static const char *const sections[] = { "scenario", "platform", "dut", "virtio-9p",
					"xen-blk", "record" };

static void emit_attrs(xmlDocPtr schema, xmlNodePtr elem, const char *decl,
		       const char *prefix, rs_path_fn fn, void *arg)
{
	char names[1024], path[256];
	char *save = NULL;

	rs_schema_names(schema, decl, "attribute", names, sizeof(names));
	for (char *a = strtok_r(names, ", ", &save); a; a = strtok_r(NULL, ", ", &save)) {
		xmlChar *v;

		/* A job's name is how the path finds it, not something to override. */
		if (!strcmp(decl, "job") && !strcmp(a, "name"))
			continue;
		v = elem ? xmlGetProp(elem, (const xmlChar *)a) : NULL;
		snprintf(path, sizeof(path), "%s.%s", prefix, a);
		fn(arg, path, v ? (const char *)v : NULL);
		xmlFree(v);
	}
}

int rs_scenario_paths(const struct rs_scenario *s, rs_path_fn fn, void *arg)
{
	const int opts = XML_PARSE_NONET | XML_PARSE_NOBLANKS;
	xmlDocPtr doc = xmlReadMemory(s->as_run_xml, (int)strlen(s->as_run_xml), "as-run",
				      NULL, opts);
	xmlDocPtr schema = xmlReadMemory((const char *)rs_embedded_schema,
					 (int)rs_embedded_schema_len, "scenario.xsd", NULL, opts);
	xmlNodePtr root = doc ? xmlDocGetRootElement(doc) : NULL, c;
	char prefix[192];
	int rc = -1;

	if (!root || !schema)
		goto out;
	for (size_t i = 0; i < sizeof(sections) / sizeof(sections[0]); i++) {
		/* Without <dut>, as in most scenarios, both devices run the built-in seed. */
		if (!strcmp(sections[i], "dut") && !rs_xml_child(root, "dut")) {
			fn(arg, "dut.virtio-9p", s->dut.virtio9p);
			fn(arg, "dut.xen-blk", s->dut.xenblk);
			continue;
		}
		emit_attrs(schema, i ? rs_xml_child(root, sections[i]) : root, sections[i],
			   sections[i], fn, arg);
	}
	for (c = rs_xml_child(root, "workload"), c = c ? c->children : NULL; c; c = c->next) {
		xmlChar *name = rs_xml_is(c, "job") ? xmlGetProp(c, (const xmlChar *)"name") :
			NULL;

		if (name) {
			snprintf(prefix, sizeof(prefix), "job.%s", (const char *)name);
			emit_attrs(schema, c, "job", prefix, fn, arg);
		}
		xmlFree(name);
	}
	for (c = rs_xml_child(rs_xml_child(root, "costs"), "cost"); c; c = c->next) {
		xmlChar *name = xmlGetProp(c, (const xmlChar *)"name");
		xmlChar *cycles = xmlGetProp(c, (const xmlChar *)"cycles");
		char path[256];

		if (name) {
			snprintf(path, sizeof(path), "cost.%s.cycles", (const char *)name);
			fn(arg, path, (const char *)cycles);
		}
		xmlFree(name);
		xmlFree(cycles);
	}
	rc = 0;
out:
	xmlFreeDoc(doc);
	xmlFreeDoc(schema);
	return rc;
}
