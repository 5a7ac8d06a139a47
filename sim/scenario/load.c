// SPDX-License-Identifier: GPL-2.0-only
/*
 * The first layer of scenario loading: parse with libxml2, apply --set overrides to the
 * document, add the optional elements a run needs, validate against the embedded schema
 * (which fills in defaults), then hand the document to rs_dom_check().
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <libxml/chvalid.h>
#include <libxml/parser.h>
#include <libxml/xmlreader.h>
#include <libxml/xmlschemas.h>

#include "scenario/embedded.h"
#include "scenario/check.h"
#include "scenario/dom.h"
#include "scenario/errors.h"
#include "scenario/xml_read.h"
#include "diag/suggest.h"

/* The order of the scenario's children in the schema's sequence. */
static const char *const child_order[] = {
	"platform", "costs", "dut", "virtio-9p", "xen-blk", "record", "workload", "expect",
};

#define N_CHILD_ORDER (sizeof(child_order) / sizeof(child_order[0]))

static size_t rank_of(const char *name)
{
	for (size_t i = 0; i < N_CHILD_ORDER; i++)
		if (!strcmp(child_order[i], name))
			return i;
	return N_CHILD_ORDER;
}

/* Find the root's child @name, or create it where the schema's sequence wants it. */
static xmlNodePtr ensure_child(xmlNodePtr root, const char *name)
{
	xmlNodePtr n = rs_xml_child(root, name), c;
	size_t rank = rank_of(name);

	if (n)
		return n;
	n = xmlNewNode(NULL, (const xmlChar *)name);
	for (c = root->children; c; c = c->next)
		if (c->type == XML_ELEMENT_NODE && rank_of((const char *)c->name) > rank)
			return xmlAddPrevSibling(c, n);
	return xmlAddChild(root, n);
}

static void on_libxml_error(void *ctx, xmlErrorPtr err)
{
	rs_dom_libxml_error(ctx, err);
}

/* The libxml2 generic handler would print to stderr; errors come as structured ones. */
static void quiet_generic(void *ctx, const char *msg, ...)
{
	(void)ctx;
	(void)msg;
}

static void quiet_structured(void *ctx, xmlErrorPtr e)
{
	(void)ctx;
	(void)e;
}

static int add_override(struct rs_dom *dom, xmlNodePtr elem, const char *attr, const char *text)
{
	struct rs_override *o = realloc(dom->ovr, (dom->n_ovr + 1) * sizeof(*o));

	if (!o)
		return -1;
	dom->ovr = o;
	o[dom->n_ovr].elem = elem;
	o[dom->n_ovr].attr = strdup(attr);
	o[dom->n_ovr].text = text;
	if (!o[dom->n_ovr].attr)
		return -1;
	dom->n_ovr++;
	return 0;
}

static xmlNodePtr find_named(xmlNodePtr parent, const char *elem, const char *name)
{
	for (xmlNodePtr c = parent ? parent->children : NULL; c; c = c->next) {
		xmlChar *nm = rs_xml_is(c, elem) ? xmlGetProp(c, (const xmlChar *)"name") : NULL;
		bool hit = nm && !strcmp((char *)nm, name);

		xmlFree(nm);
		if (hit)
			return c;
	}
	return NULL;
}

static void job_names(xmlNodePtr workload, char *buf, size_t size)
{
	buf[0] = '\0';
	for (xmlNodePtr c = workload ? workload->children : NULL; c; c = c->next) {
		xmlChar *nm = rs_xml_is(c, "job") ? xmlGetProp(c, (const xmlChar *)"name") : NULL;
		size_t used = strlen(buf);

		if (nm)
			snprintf(buf + used, size - used, "%s%s", used ? ", " : "", (char *)nm);
		xmlFree(nm);
	}
}

/* "--set platfrom.page-size=64KiB: unknown path; ...; did you mean platform.page-size?" */
static void unknown_path(struct rs_dom *dom, const char *text, const char *paths)
{
	static const char *const tops[] = {
		"scenario", "platform", "dut", "virtio-9p", "xen-blk", "record", "job", "cost",
	};
	size_t len = strcspn(text, ".="), n = sizeof(tops) / sizeof(tops[0]);
	char top[64], hint[400] = "";
	const char *near;

	snprintf(top, sizeof(top), "%.*s", (int)len, text);
	near = rs_suggest(top, tops, n);
	if (near && strcmp(near, top) && text[len] == '.')
		snprintf(hint, sizeof(hint), "; did you mean %s%.*s?", near,
			 (int)strcspn(text + len, "="), text + len);
	rs_diag_add(dom->diag, "--set %s: unknown path; paths are %s%s", text, paths, hint);
}

/*
 * Whether @text is text an XML file can hold: UTF-8 of XML characters (no control
 * characters but tab, newline and return). libxml2's parser refuses a file that is not,
 * but xmlSetProp() takes any bytes, and the schema's checks of them are not safe:
 * validating a name of such bytes leaks. If not, says so, each byte of what is no
 * character as \xHH.
 */
static bool set_is_text(struct rs_dom *dom, const char *text)
{
	char shown[256];
	size_t used = 0;
	bool ok = true, room = true;

	for (const char *p = text; *p;) {
		int len = (int)strnlen(p, 4);
		int c = xmlGetUTF8Char((const xmlChar *)p, &len);
		bool bad = c < 0 || !xmlIsCharQ(c);
		size_t n = c < 0 ? 1 : (size_t)len;

		ok &= !bad;
		room &= used + 4 * n < sizeof(shown); /* whole characters, then no more */
		for (size_t i = 0; room && i < n; i++) {
			if (bad)
				used += (size_t)snprintf(shown + used, 5, "\\x%02X",
							 (unsigned char)p[i]);
			else
				shown[used++] = p[i];
		}
		p += n;
	}
	shown[used] = '\0';
	if (!ok)
		rs_diag_add(dom->diag, "--set %s: not text a scenario can hold (UTF-8, no "
			    "control characters)", shown);
	return ok;
}

/*
 * Apply one "PATH=VALUE". Paths: scenario.ATTR, platform.ATTR, dut.ATTR, virtio-9p.ATTR,
 * xen-blk.ATTR, record.ATTR, job.NAME.ATTR, cost.NAME.cycles. Whether ATTR exists is the schema's call,
 * made during validation and reported against this --set.
 */
static void apply_override(struct rs_dom *dom, xmlNodePtr root, const char *text)
{
	static const char paths[] = "scenario.ATTR, platform.ATTR, dut.ATTR, virtio-9p.ATTR, "
		"xen-blk.ATTR, record.ATTR, job.NAME.ATTR, cost.NAME.cycles";
	const char *eq = strchr(text, '=');
	char path[256], *attr, *mid;
	xmlNodePtr elem = NULL;

	if (!set_is_text(dom, text))
		return;
	if (!eq || eq == text) {
		rs_diag_add(dom->diag, "--set %s: expected PATH=VALUE, e.g. platform.page-size=64KiB",
			    text);
		return;
	}
	if ((size_t)(eq - text) >= sizeof(path)) {
		rs_diag_add(dom->diag, "--set %s: path too long", text);
		return;
	}
	memcpy(path, text, (size_t)(eq - text));
	path[eq - text] = '\0';
	attr = strrchr(path, '.');
	if (!attr || !attr[1])
		goto unknown;
	*attr++ = '\0';
	mid = strchr(path, '.');
	if (mid)
		*mid++ = '\0';

	if (!mid && !strcmp(path, "scenario")) {
		elem = root;
	} else if (!mid && (!strcmp(path, "platform") || !strcmp(path, "dut") ||
			    !strcmp(path, "virtio-9p") ||
			    !strcmp(path, "xen-blk") || !strcmp(path, "record"))) {
		elem = ensure_child(root, path);
	} else if (mid && !strcmp(path, "job")) {
		xmlNodePtr workload = rs_xml_child(root, "workload");
		char names[256];

		elem = find_named(workload, "job", mid);
		if (!elem) {
			char near[128], hint[400] = "";

			job_names(workload, names, sizeof(names));
			if (rs_suggest_list(mid, names, near, sizeof(near)))
				snprintf(hint, sizeof(hint), "; did you mean job.%s.%s?", near, attr);
			rs_diag_add(dom->diag, "--set %s: no job named '%s'; jobs: %s%s", text, mid,
				    names[0] ? names : "(none)", hint);
			return;
		}
	} else if (mid && !strcmp(path, "cost")) {
		xmlNodePtr costs = ensure_child(root, "costs");

		if (rs_cost_lookup(mid) < 0) {
			char near[128], hint[400] = "";

			if (rs_suggest_list(mid, rs_cost_names(), near, sizeof(near)))
				snprintf(hint, sizeof(hint), "; did you mean cost.%s.%s?", near, attr);
			rs_diag_add(dom->diag, "--set %s: unknown cost '%s'; allowed: %s%s", text,
				    mid, rs_cost_names(), hint);
			return;
		}
		elem = find_named(costs, "cost", mid);
		if (!elem) {
			elem = xmlNewChild(costs, NULL, (const xmlChar *)"cost", NULL);
			xmlSetProp(elem, (const xmlChar *)"name", (const xmlChar *)mid);
		}
	} else {
		goto unknown;
	}
	xmlSetProp(elem, (const xmlChar *)attr, (const xmlChar *)(eq + 1));
	if (add_override(dom, elem, attr, text))
		rs_diag_add(dom->diag, "--set %s: out of memory", text);
	return;
unknown:
	unknown_path(dom, text, paths);
}

/* Add the elements a run needs, so that validation fills in their defaults. */
static void add_needed_elements(xmlNodePtr root)
{
	xmlNodePtr workload = rs_xml_child(root, "workload");
	bool want_9p = false, want_blk = false;

	for (xmlNodePtr c = workload ? workload->children : NULL; c; c = c->next) {
		xmlChar *dev = rs_xml_is(c, "job") ? xmlGetProp(c, (const xmlChar *)"device") : NULL;

		if (dev) {
			want_9p |= !strcmp((char *)dev, "9p");
			want_blk |= !strcmp((char *)dev, "blk");
		}
		xmlFree(dev);
	}
	ensure_child(root, "platform");
	ensure_child(root, "costs");
	if (want_9p)
		ensure_child(root, "virtio-9p");
	if (want_blk)
		ensure_child(root, "xen-blk");
	ensure_child(root, "record");
}

static int validate(struct rs_dom *dom)
{
	xmlSchemaParserCtxtPtr pctx = xmlSchemaNewMemParserCtxt(
		(const char *)rs_embedded_schema, (int)rs_embedded_schema_len);
	xmlSchemaPtr schema = pctx ? xmlSchemaParse(pctx) : NULL;
	xmlSchemaValidCtxtPtr vctx = schema ? xmlSchemaNewValidCtxt(schema) : NULL;
	int rc = -1;

	if (!vctx) {
		rs_diag_add(dom->diag, "%s: internal error: the embedded schema does not load",
			    dom->file);
	} else {
		xmlSchemaSetValidStructuredErrors(vctx, on_libxml_error, dom);
		/* Create default attributes in the document: the as-run XML shows them. */
		xmlSchemaSetValidOptions(vctx, XML_SCHEMA_VAL_VC_I_CREATE);
		rc = xmlSchemaValidateDoc(vctx, dom->doc) == 0 ? 0 : -1;
		if (rc && !dom->diag->n)
			rs_diag_add(dom->diag, "%s: does not match the scenario schema", dom->file);
	}
	xmlSchemaFreeValidCtxt(vctx);
	xmlSchemaFree(schema);
	xmlSchemaFreeParserCtxt(pctx);
	return rc;
}

static char *dump(xmlDocPtr doc)
{
	xmlChar *mem = NULL;
	int size = 0;
	char *out;

	xmlDocDumpFormatMemoryEnc(doc, &mem, &size, "UTF-8", 1);
	out = mem ? strdup((char *)mem) : NULL;
	xmlFree(mem);
	return out;
}

/* "FILE: No such file or directory", as cat(1) says it, not libxml2's "failed to load
 * external entity". Return: true when @file cannot be read (with the reason in @diag). */
static bool unreadable(const char *file, struct rs_diag *diag)
{
	struct stat st;
	FILE *f;

	if (!stat(file, &st) && S_ISDIR(st.st_mode)) {
		rs_diag_add(diag, "%s: %s", file, strerror(EISDIR));
		return true;
	}
	f = fopen(file, "r");
	if (!f) {
		rs_diag_add(diag, "%s: %s", file, strerror(errno));
		return true;
	}
	fclose(f);
	return false;
}

/*
 * More <job>s under <workload> than a run can elaborate (RS_MAX_JOBS): said at the first
 * one past the cap, read as a stream that stops there, before the document is built, so a
 * file of a million jobs is refused as fast as one of a thousand. A document that does not
 * parse is the full parse's to report.
 */
static bool too_many_jobs(const char *file, const char *text, size_t len, int opts,
			  struct rs_diag *diag)
{
	xmlTextReaderPtr r = text ? xmlReaderForMemory(text, (int)len, file, NULL, opts) :
		xmlReaderForFile(file, NULL, opts);
	bool in_workload = false, over = false;
	size_t jobs = 0;
	long line = 0;

	if (!r)
		return false;
	while (!over && xmlTextReaderRead(r) == 1) {
		const char *name = (const char *)xmlTextReaderConstLocalName(r);
		int type = xmlTextReaderNodeType(r), depth = xmlTextReaderDepth(r);

		if (depth == 1 && name && !strcmp(name, "workload"))
			in_workload = type == XML_READER_TYPE_ELEMENT &&
				!xmlTextReaderIsEmptyElement(r);
		else if (in_workload && depth == 2 && type == XML_READER_TYPE_ELEMENT &&
			 name && !strcmp(name, "job") && ++jobs > RS_MAX_JOBS) {
			line = xmlGetLineNo(xmlTextReaderCurrentNode(r));
			over = true;
		}
	}
	if (over)
		rs_diag_add(diag, "%s:%ld: <job>: more than %d jobs; a scenario has at most %d "
			    "(the engine elaborates every job's threads up front)", file, line,
			    RS_MAX_JOBS, RS_MAX_JOBS);
	xmlFreeTextReader(r);
	return over;
}

struct rs_scenario *rs_scenario_load(const char *file, const char *text, size_t len,
				     char *const *sets, size_t n_sets, struct rs_diag *diag)
{
	const int opts = XML_PARSE_NONET | XML_PARSE_NOBLANKS | XML_PARSE_BIG_LINES;
	struct rs_dom dom = { .file = file, .diag = diag };
	struct rs_scenario *s = NULL;
	size_t errors_before = diag->n;
	xmlNodePtr root;

	if (!text && unreadable(file, diag))
		return NULL;
	xmlSetGenericErrorFunc(NULL, quiet_generic);
	xmlSetStructuredErrorFunc(NULL, quiet_structured);
	if (too_many_jobs(file, text, len, opts, diag))
		goto out;
	xmlSetStructuredErrorFunc(&dom, on_libxml_error);
	dom.doc = rs_xml_read(file, text, len, opts, diag);
	dom.schema_doc = xmlReadMemory((const char *)rs_embedded_schema,
				       (int)rs_embedded_schema_len, "scenario.xsd", NULL, opts);
	if (!dom.doc) {
		if (diag->n == errors_before)
			rs_diag_add(diag, "%s: cannot read the file", file);
		goto out;
	}
	root = xmlDocGetRootElement(dom.doc);
	if (!rs_xml_is(root, "scenario") || root->ns) {
		rs_diag_add(diag, "%s:%ld: the root element must be <scenario> (no namespace)",
			    file, root ? xmlGetLineNo(root) : 0L);
		goto out;
	}
	for (size_t i = 0; i < n_sets; i++)
		apply_override(&dom, root, sets[i]);
	if (diag->n != errors_before)
		goto out;
	add_needed_elements(root);
	if (validate(&dom))
		goto out;

	s = calloc(1, sizeof(*s));
	if (!s || !(s->file = strdup(file))) {
		rs_diag_add(diag, "%s: out of memory", file);
		goto fail;
	}
	if (rs_dom_check(&dom, s))
		goto fail;
	s->as_run_xml = dump(dom.doc);
	if (!s->as_run_xml) {
		rs_diag_add(diag, "%s: out of memory", file);
		goto fail;
	}
	goto out;
fail:
	rs_scenario_free(s);
	s = NULL;
out:
	xmlSetStructuredErrorFunc(NULL, NULL);
	for (size_t i = 0; i < dom.n_ovr; i++)
		free(dom.ovr[i].attr);
	free(dom.ovr);
	xmlFreeDoc(dom.doc);
	xmlFreeDoc(dom.schema_doc);
	return s;
}

void rs_scenario_free(struct rs_scenario *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->n_jobs; i++) {
		free(s->jobs[i].name);
		free(s->jobs[i].size.option_size);
		free(s->jobs[i].size.option_weight);
	}
	for (size_t i = 0; i < s->n_expects; i++) {
		free(s->expects[i].metric);
		free(s->expects[i].finding);
	}
	free(s->jobs);
	free(s->expects);
	free(s->dut.virtio9p);
	free(s->dut.xenblk);
	free(s->file);
	free(s->name);
	free(s->as_run_xml);
	free(s);
}

const char *rs_device_name(enum rs_device d)
{
	return d == RS_DEV_9P ? "9p" : "blk";
}

const char *rs_op_name(enum rs_op op)
{
	static const char *const names[] = { "read", "write", "readdir", "flush" };

	return names[op];
}

bool rs_scenario_has_device(const struct rs_scenario *s, enum rs_device d)
{
	for (size_t i = 0; i < s->n_jobs; i++)
		if (s->jobs[i].device == d)
			return true;
	return false;
}
