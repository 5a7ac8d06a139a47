// SPDX-License-Identifier: GPL-2.0-only
/* sweep: a <sweep> file, the base scenario and its <vary> lists. */
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/xmlreader.h>

#include "compare/compare.h"
#include "scenario/xml_read.h"

/* Whether the root element is <sweep>: read up to it, not the whole file. */
static bool root_is_sweep(const char *file, int opts)
{
	xmlTextReaderPtr r = xmlReaderForFile(file, NULL, opts);
	bool sweep = false;

	while (r && xmlTextReaderRead(r) == 1)
		if (xmlTextReaderNodeType(r) == XML_READER_TYPE_ELEMENT) {
			sweep = !strcmp((const char *)xmlTextReaderConstName(r), "sweep");
			break;
		}
	xmlFreeTextReader(r);
	return sweep;
}

int rs_sweep_load(const char *file, struct rs_comparison *c, struct rs_diag *diag)
{
	const int opts = XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING;
	size_t errors_before = diag->n;
	xmlDocPtr doc = root_is_sweep(file, opts) ? rs_xml_read(file, NULL, 0, opts, diag) : NULL;
	xmlNodePtr root = doc ? xmlDocGetRootElement(doc) : NULL;
	int rc = 0;

	if (diag->n != errors_before)
		return -1; /* a DOCTYPE refused */
	if (!root || strcmp((const char *)root->name, "sweep")) {
		xmlFreeDoc(doc);
		return 0;
	}
	xmlChar *base = xmlGetProp(root, (const xmlChar *)"base");
	if (!base) {
		rs_diag_add(diag, "%s:%ld: <sweep>: the attribute 'base' (the scenario file) is "
			    "required", file, xmlGetLineNo(root));
		rc = -1;
	} else {
		char *copy = strdup(file);

		if (base[0] == '/' || asprintf(&c->file, "%s/%s", dirname(copy), base) < 0)
			c->file = strdup((const char *)base);
		free(copy);
		rc = 1;
	}
	for (xmlNodePtr n = root->children; rc == 1 && n; n = n->next) {
		xmlChar *path, *values;
		char *arg;

		if (n->type != XML_ELEMENT_NODE)
			continue;
		path = xmlGetProp(n, (const xmlChar *)"path");
		values = xmlGetProp(n, (const xmlChar *)"values");
		if (strcmp((const char *)n->name, "vary") || !path || !values ||
		    c->n_vary == RS_MAX_VARY) {
			rs_diag_add(diag, "%s:%ld: <%s>: expected <vary path=\"PATH\" "
				    "values=\"V1,V2\"/> (at most %d)", file, xmlGetLineNo(n),
				    (const char *)n->name, RS_MAX_VARY);
			rc = -1;
		} else if (asprintf(&arg, "%s=%s", path, values) >= 0) {
			if (rs_vary_parse(arg, &c->vary[c->n_vary], diag) == 0)
				c->n_vary++;
			else
				rc = -1;
			free(arg);
		}
		xmlFree(path);
		xmlFree(values);
	}
	xmlFree(base);
	xmlFreeDoc(doc);
	return rc;
}

