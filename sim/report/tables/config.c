// SPDX-License-Identifier: GPL-2.0-only
/*
 * config: what each point was configured with, from the scenario.xml its run wrote
 * (every default spelled out). Keys follow the override paths (`platform.page-size`,
 * `job.r.depth`), costs are `cost.NAME`; expectations are no settings.
 */
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libxml/parser.h>
#include <libxml/tree.h>

#include "report/tables/view.h"
#include "scenario/units.h"

static struct rs_setting *setting(struct rs_config *c, const char *key)
{
	struct rs_setting *s;

	for (size_t i = 0; i < c->n; i++)
		if (!strcmp(c->v[i].key, key))
			return &c->v[i];
	if (c->n == c->cap) {
		size_t ncap = c->cap ? 2 * c->cap : 64;
		struct rs_setting *nv = realloc(c->v, ncap * sizeof(*nv));

		if (!nv)
			return NULL;
		c->v = nv;
		c->cap = ncap;
	}
	s = &c->v[c->n];
	s->key = strdup(key);
	s->values = calloc(c->n_points ? c->n_points : 1, sizeof(*s->values));
	s->differs = false;
	if (!s->key || !s->values) {
		free(s->key);
		free(s->values);
		return NULL;
	}
	c->n++;
	return s;
}

static int set(struct rs_config *c, size_t point, const char *key, const char *value)
{
	struct rs_setting *s = setting(c, key);

	if (!s)
		return -1;
	free(s->values[point]);
	s->values[point] = strdup(value);
	return s->values[point] ? 0 : -1;
}

static char *prop(xmlNode *n, const char *name)
{
	return (char *)xmlGetProp(n, (const xmlChar *)name);
}

static bool named(xmlNode *n, const char *name)
{
	return n->type == XML_ELEMENT_NODE && !strcmp((const char *)n->name, name);
}

/* A nested setting in one line: "lognormal(median=64KiB, sigma=1)", "choice(16KiB, 64KiB×3)". */
static void describe(xmlNode *n, char *buf, size_t size)
{
	size_t o = strlen(buf);
	bool first = true;

	if (named(n, "option")) {
		char *sz = prop(n, "size"), *w = prop(n, "weight");

		snprintf(buf + o, size - o, "%s%s%s", sz ? sz : "?", w ? "×" : "", w ? w : "");
		xmlFree(sz);
		xmlFree(w);
		return;
	}
	snprintf(buf + o, size - o, "%s(", (const char *)n->name);
	for (xmlAttr *a = n->properties; a; a = a->next) {
		char *v = prop(n, (const char *)a->name);

		o = strlen(buf);
		snprintf(buf + o, size - o, "%s%s=%s", first ? "" : ", ", (const char *)a->name,
			 v ? v : "");
		xmlFree(v);
		first = false;
	}
	for (xmlNode *k = n->children; k; k = k->next) {
		if (k->type != XML_ELEMENT_NODE)
			continue;
		o = strlen(buf);
		snprintf(buf + o, size - o, "%s", first ? "" : ", ");
		describe(k, buf, size);
		first = false;
	}
	o = strlen(buf);
	snprintf(buf + o, size - o, ")");
}

/* @prefix.ATTR for every attribute but @skip, @prefix.CHILD for every child element. */
static int element(struct rs_config *c, size_t point, xmlNode *n, const char *prefix,
		   const char *skip)
{
	char key[256], val[1024];

	for (xmlAttr *a = n->properties; a; a = a->next) {
		char *v;
		int rc;

		if (skip && !strcmp((const char *)a->name, skip))
			continue;
		v = prop(n, (const char *)a->name);
		snprintf(key, sizeof(key), "%s%s%s", prefix, prefix[0] ? "." : "",
			 (const char *)a->name);
		rc = set(c, point, key, v ? v : "");
		xmlFree(v);
		if (rc)
			return -1;
	}
	for (xmlNode *k = n->children; k; k = k->next) {
		if (k->type != XML_ELEMENT_NODE)
			continue;
		val[0] = '\0';
		for (xmlNode *g = k->children; g; g = g->next)
			if (g->type == XML_ELEMENT_NODE) {
				if (val[0])
					strncat(val, ", ", sizeof(val) - strlen(val) - 1);
				describe(g, val, sizeof(val));
			}
		snprintf(key, sizeof(key), "%s.%s", prefix, (const char *)k->name);
		if (set(c, point, key, val))
			return -1;
	}
	return 0;
}

/* The children of a list element (costs, workload), each keyed by its name. */
static int named_list(struct rs_config *c, size_t point, xmlNode *list, const char *what)
{
	for (xmlNode *k = list->children; k; k = k->next) {
		char key[192], *name;
		int rc;

		if (k->type != XML_ELEMENT_NODE || !(name = prop(k, "name")))
			continue;
		snprintf(key, sizeof(key), "%s.%s", what, name);
		if (!strcmp(what, "cost")) {
			char *cycles = prop(k, "cycles");

			rc = set(c, point, key, cycles ? cycles : "");
			xmlFree(cycles);
		} else {
			rc = element(c, point, k, key, "name");
		}
		xmlFree(name);
		if (rc)
			return -1;
	}
	return 0;
}

static int load_xml(struct rs_config *c, size_t point, const char *path)
{
	xmlDoc *doc = xmlReadFile(path, NULL, XML_PARSE_NONET | XML_PARSE_NOERROR |
				  XML_PARSE_NOWARNING);
	xmlNode *root = doc ? xmlDocGetRootElement(doc) : NULL;
	int rc = 0;

	if (!root) {
		xmlFreeDoc(doc);
		return -2;
	}
	for (xmlAttr *a = root->properties; a && !rc; a = a->next) {
		char *v = prop(root, (const char *)a->name);

		if (strcmp((const char *)a->name, "name"))
			rc = set(c, point, (const char *)a->name, v ? v : "");
		xmlFree(v);
	}
	for (xmlNode *n = root->children; n && !rc; n = n->next) {
		if (n->type != XML_ELEMENT_NODE || named(n, "expect"))
			continue;
		if (named(n, "costs"))
			rc = named_list(c, point, n, "cost");
		else if (named(n, "workload"))
			rc = named_list(c, point, n, "job");
		else
			rc = element(c, point, n, (const char *)n->name, NULL);
	}
	xmlFreeDoc(doc);
	return rc;
}

/* A configured number of the metrics, in the scenario's own notation ("64KiB", "1GHz"). */
static void config_text(const char *key, double v, char *buf, size_t size)
{
	char text[32];
	bool whole = v >= 1 && v < 1e19 && v == floor(v);

	if (whole && !strcmp(key, "platform.page-size"))
		snprintf(buf, size, "%s", rs_format_size((uint64_t)v, text));
	else if (whole && !strcmp(key, "platform.clock"))
		snprintf(buf, size, "%s", rs_format_freq((uint64_t)v, text));
	else
		snprintf(buf, size, "%.17g", v);
}

static int from_metrics(struct rs_config *c, size_t point, const struct rs_report_point *p)
{
	const char *k;
	json_t *j;

	json_object_foreach(p->metrics, k, j) {
		struct rs_metric_def fb;
		const struct rs_metric_def *d = rs_catalog_find(k, &fb);
		char text[64];

		if (!(d->flags & RS_MF_CONFIG) || !d->config || rs_config_get(c, point, d->config))
			continue;
		config_text(d->config, json_number_value(j), text, sizeof(text));
		if (set(c, point, d->config, text))
			return -1;
	}
	return 0;
}

/* A job's device and op from summary.json, for a point whose scenario.xml did not say. */
static int from_summary(struct rs_config *c, size_t point, const char *dir)
{
	static const char *const attrs[] = { "device", "op" };
	char path[4096];
	const char *name;
	json_t *root, *job;
	int rc = 0;

	snprintf(path, sizeof(path), "%s/summary.json", dir);
	if (!(root = json_load_file(path, 0, NULL)))
		return 0;
	json_object_foreach(json_object_get(root, "jobs"), name, job) {
		for (size_t a = 0; a < 2 && !rc; a++) {
			const char *val = json_string_value(json_object_get(job, attrs[a]));
			char key[192];

			snprintf(key, sizeof(key), "job.%s.%s", name, attrs[a]);
			if (val && !rs_config_get(c, point, key))
				rc = set(c, point, key, val);
		}
	}
	json_decref(root);
	return rc;
}

int rs_config_load(struct rs_config *c, const struct rs_report *r, char *err, size_t err_size)
{
	memset(c, 0, sizeof(*c));
	c->n_points = r->n_points;
	if (!(c->loaded = calloc(r->n_points ? r->n_points : 1, sizeof(*c->loaded))))
		goto oom;
	for (size_t i = 0; i < r->n_points; i++) {
		char path[4096];
		int rc = 0;

		/* An unreadable scenario.xml leaves the column to the metrics: the report is
		 * worth more than the one file. */
		snprintf(path, sizeof(path), "%s/scenario.xml", r->points[i].dir);
		if (!access(path, R_OK))
			rc = load_xml(c, i, path);
		c->loaded[i] = !access(path, R_OK) && rc != -2;
		if (rc == -2)
			rc = 0;
		if (rc || from_metrics(c, i, &r->points[i]) || from_summary(c, i, r->points[i].dir))
			goto oom;
	}
	for (size_t s = 0; s < c->n; s++) {
		const char *first = NULL;

		for (size_t i = 0; i < c->n_points; i++) {
			const char *val = c->v[s].values[i];

			/* A point without the setting (a 9p-only scenario has no xen-blk) differs. */
			if (!val && c->loaded[i])
				c->v[s].differs = true;
			else if (val && first && strcmp(val, first))
				c->v[s].differs = true;
			else if (val && !first)
				first = val;
		}
	}
	return 0;
oom:
	snprintf(err, err_size, "%s: out of memory reading the points' scenario.xml", r->dir);
	rs_config_free(c);
	return -1;
}

const char *rs_config_get(const struct rs_config *c, size_t i, const char *key)
{
	for (size_t s = 0; s < c->n; s++)
		if (!strcmp(c->v[s].key, key))
			return i < c->n_points ? c->v[s].values[i] : NULL;
	return NULL;
}

void rs_config_free(struct rs_config *c)
{
	for (size_t s = 0; s < c->n; s++) {
		for (size_t i = 0; i < c->n_points; i++)
			free(c->v[s].values[i]);
		free(c->v[s].values);
		free(c->v[s].key);
	}
	free(c->v);
	free(c->loaded);
	memset(c, 0, sizeof(*c));
}
