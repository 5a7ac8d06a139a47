// SPDX-License-Identifier: GPL-2.0-only
#include "scenario/xml_read.h"

#include <stdbool.h>

#include <libxml/SAX2.h>
#include <libxml/entities.h>
#include <libxml/parser.h>

struct guard {
	const char *file;
	struct rs_diag *diag;
	bool refused;
};

static void refuse(xmlParserCtxtPtr ctxt, const char *what, const char *name, const char *why)
{
	struct guard *g = ctxt->_private;

	rs_diag_add(g->diag, "%s:%d: <!%s %s>: %s", g->file, xmlSAX2GetLineNumber(ctxt), what,
		    name, why);
	g->refused = true;
	xmlStopParser(ctxt);
}

/* <!DOCTYPE NAME PUBLIC "..." "..."> or <!DOCTYPE NAME SYSTEM "...">: an external DTD. */
static void on_doctype(void *ctx, const xmlChar *name, const xmlChar *public_id,
		       const xmlChar *system_id)
{
	xmlParserCtxtPtr ctxt = ctx;

	if (public_id || system_id) {
		refuse(ctxt, "DOCTYPE", (const char *)name,
		       "names an external DTD; ringsim's own schema is the grammar, "
		       "remove the DOCTYPE");
		return;
	}
	xmlSAX2InternalSubset(ctx, name, public_id, system_id);
}

static void on_entity(void *ctx, const xmlChar *name, int type, const xmlChar *public_id,
		      const xmlChar *system_id, xmlChar *content)
{
	bool parameter = type == XML_INTERNAL_PARAMETER_ENTITY ||
		type == XML_EXTERNAL_PARAMETER_ENTITY;

	(void)public_id;
	(void)system_id;
	(void)content;
	refuse(ctx, parameter ? "ENTITY %" : "ENTITY", (const char *)name,
	       "entity declarations are not allowed in a scenario or a sweep; write the text "
	       "itself");
}

xmlDocPtr rs_xml_read(const char *file, const char *text, size_t len, int opts,
		      struct rs_diag *diag)
{
	struct guard g = { .file = file, .diag = diag };
	xmlParserCtxtPtr ctxt = xmlNewParserCtxt();
	xmlDocPtr doc;

	if (!ctxt) {
		rs_diag_add(diag, "%s: out of memory", file);
		return NULL;
	}
	ctxt->_private = &g;
	ctxt->sax->internalSubset = on_doctype;
	ctxt->sax->entityDecl = on_entity;
	opts &= ~(XML_PARSE_NOENT | XML_PARSE_DTDLOAD);
	doc = text ? xmlCtxtReadMemory(ctxt, text, (int)len, file, NULL, opts) :
		xmlCtxtReadFile(ctxt, file, NULL, opts);
	if (g.refused) {
		xmlFreeDoc(doc);
		doc = NULL;
	}
	xmlFreeParserCtxt(ctxt);
	return doc;
}
