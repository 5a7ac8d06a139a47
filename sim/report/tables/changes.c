// SPDX-License-Identifier: GPL-2.0-only
/*
 * changes: "What changed". First what went wrong (a point's status, its findings),
 * then for every point against the base point the few metrics of each job, ring and
 * memory that moved most, ranked by |log ratio| of the values in their units (bytes, not
 * pages), so a 17× change is said before a 1.1× one and 0 → 312 before both.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/tables/view.h"

#define FINDINGS_PER_POINT 8
#define FROM_ZERO 100.0  /* the score of 0 → N: above any ratio a run can show */

struct cand {
	const struct rs_row *row;
	const char *stat;
	double a, b, score;
};

static int push(char ***v, size_t *n, char *s)
{
	char **nv;

	if (!s || !(nv = realloc(*v, (*n + 1) * sizeof(*nv)))) {
		free(s);
		return -1;
	}
	*v = nv;
	(*v)[(*n)++] = s;
	return 0;
}

static int severity_rank(const char *sev)
{
	static const char *const order[] = { "bug", "error", "warn", "info" };

	for (int i = 0; i < 4; i++)
		if (sev && !strcmp(sev, order[i]))
			return i;
	return 4;
}

static const char *jstr(json_t *o, const char *k)
{
	const char *s = json_string_value(json_object_get(o, k));

	return s ? s : "";
}

/* Whether the alert just pushed is a status or a bug or error (said louder). */
static int mark(struct rs_changes *c, bool strong)
{
	bool *ns = realloc(c->strong, c->n_alerts * sizeof(*ns));

	if (!ns)
		return -1;
	c->strong = ns;
	ns[c->n_alerts - 1] = strong;
	return 0;
}

/* Same kind and text: one line, with a count and how many places (a KASAN read at fifty
 * addresses is one finding of the DUT, not fifty). */
static bool same_finding(json_t *a, json_t *b)
{
	return !strcmp(jstr(a, "kind"), jstr(b, "kind")) &&
	       !strcmp(jstr(a, "detail"), jstr(b, "detail"));
}

/*
 * "requests.completed >= 2000 expected, 1800 measured": the first <expect> the point's
 * summary.json says failed, and how many more did ("; 2 more failed"). NULL when none is
 * found (no summary, or it says nothing failed).
 */
static char *failed_expectation(const struct rs_report_point *p)
{
	static const char *const ops[][2] = { { "eq", "=" }, { "ne", "≠" }, { "lt", "<" },
					      { "le", "≤" }, { "gt", ">" }, { "ge", "≥" },
					      { "within", "within" } };
	char path[4096], *s = NULL, more[48] = "";
	json_t *sum, *first = NULL, *e;
	size_t failed = 0, i;

	snprintf(path, sizeof(path), "%s/summary.json", p->dir);
	sum = json_load_file(path, 0, NULL);
	json_array_foreach(json_object_get(sum, "expectations"), i, e) {
		if (json_is_false(json_object_get(e, "pass")) && !failed++)
			first = e;
	}
	if (first) {
		const char *op = jstr(first, "op"), *what = jstr(first, "metric");
		json_t *actual = json_object_get(first, "actual");
		char measured[48] = "not measured";
		bool finding = !*what;

		for (size_t k = 0; k < sizeof(ops) / sizeof(ops[0]); k++)
			if (!strcmp(op, ops[k][0]))
				op = ops[k][1];
		if (finding)
			what = jstr(first, "finding");
		if (json_is_number(actual))
			snprintf(measured, sizeof(measured), "%.12g measured",
				 json_number_value(actual));
		if (failed > 1)
			snprintf(more, sizeof(more), "; %zu more failed", failed - 1);
		if (asprintf(&s, "%s%s %s %.12g expected, %s%s", finding ? "finding " : "", what,
			     op, json_number_value(json_object_get(first, "expected")), measured,
			     more) < 0)
			s = NULL;
	}
	json_decref(sum);
	return s;
}

/* A finding's place in a point's alerts: by severity, the crash that ended a dut_crash run
 * first of all (other bugs may come before it in the run). */
static int alert_rank(const struct rs_report_point *p, json_t *finding)
{
	if (!strcmp(p->status, "dut_crash") && !strcmp(jstr(finding, "kind"), "dut_crash"))
		return -1;
	return severity_rank(jstr(finding, "severity"));
}

/* "NAME: dut_bug — BUG_ON(x) at f.c:369" (dut_crash: "SIGSEGV (address 0x0) in f at
 * f.c:12"), then each other finding once, with its count. */
static int point_alerts(struct rs_changes *c, const struct rs_report_point *p)
{
	size_t n = json_array_size(p->findings), shown = 0, distinct = 0;
	json_t **f = calloc(n ? n : 1, sizeof(*f));
	double total;
	char *s, *why;

	if (!f)
		return -1;
	/* Most severe first, in the run's order within a severity (insertion sort: stable). */
	for (size_t i = 0; i < n; i++) {
		json_t *x = json_array_get(p->findings, i);
		size_t k = i;

		for (; k > 0 && alert_rank(p, f[k - 1]) > alert_rank(p, x); k--)
			f[k] = f[k - 1];
		f[k] = x;
	}
	if (!strcmp(p->status, "expect_failed") && (why = failed_expectation(p))) {
		/* the expectation is the cause; the findings follow as they are */
		if (asprintf(&s, "%s: expect_failed — %s", p->name, why) < 0)
			s = NULL;
		free(why);
		if (push(&c->alerts, &c->n_alerts, s) || mark(c, true))
			goto oom;
	} else if (strcmp(p->status, "ok")) {
		bool cause = n && severity_rank(jstr(f[0], "severity")) <= 1 && !p->error;

		if ((cause ? asprintf(&s, "%s: %s — %s at %s", p->name, p->status,
				      jstr(f[0], "detail"), jstr(f[0], "where")) :
		     asprintf(&s, "%s: %s%s%s", p->name, p->status, p->error ? " — " : "",
			      p->error ? p->error : "")) < 0)
			s = NULL;
		if (push(&c->alerts, &c->n_alerts, s) || mark(c, true))
			goto oom;
		shown = cause;  /* the first finding is said */
	}
	for (size_t i = 0; i < n; i++) {
		size_t same = 0, elsewhere = 0, k;
		char count[64] = "";

		for (k = 0; k < i && !same_finding(f[k], f[i]); k++)
			;
		if (k < i)
			continue;  /* said with its first */
		if (distinct++ < shown || shown >= FINDINGS_PER_POINT)
			continue;
		for (k = i; k < n; k++) {
			if (!same_finding(f[k], f[i]))
				continue;
			same++;
			elsewhere += strcmp(jstr(f[k], "where"), jstr(f[i], "where")) != 0;
		}
		if (same > 1 && elsewhere)
			snprintf(count, sizeof(count), " and elsewhere (%zu×)", same);
		else if (same > 1)
			snprintf(count, sizeof(count), " (%zu×)", same);
		if (asprintf(&s, "%s: %s %s — %s at %s%s", p->name, jstr(f[i], "severity"),
			     jstr(f[i], "kind"), jstr(f[i], "detail"), jstr(f[i], "where"), count) < 0)
			s = NULL;
		if (push(&c->alerts, &c->n_alerts, s) ||
		    mark(c, severity_rank(jstr(f[i], "severity")) <= 1))
			goto oom;
		shown++;
	}
	if (!rs_report_metric(p, "findings_total", &total) || total < (double)n)
		total = (double)n;
	if (shown < distinct || total > (double)n) {
		if (asprintf(&s, "%s: … and more findings (%.0f in all, under Stalls and findings)",
			     p->name, total) < 0)
			s = NULL;
		if (push(&c->alerts, &c->n_alerts, s) || mark(c, false))
			goto oom;
	}
	free(f);
	return 0;
oom:
	free(f);
	return -1;
}

static const char *stat_word(const struct rs_row *row, const char *stat)
{
	if (!stat)
		return NULL;
	if (!strcmp(stat, "max"))
		return row->shape == RS_SHAPE_LEVEL ? "peak" : "max";
	return stat;
}

/* The stat of @row that moved most between the base and @i, into @out. */
static bool best_move(const struct rs_view *v, const struct rs_row *row, size_t i,
		      struct cand *out)
{
	static const char *const scalar[] = { NULL }, *const dist[] = { "mean", "p99" },
		*const level[] = { "max", "mean" }, *const sum[] = { "total" };
	const char *const *stats = row->shape == RS_SHAPE_SCALAR ? scalar :
		row->shape == RS_SHAPE_LEVEL ? level : row->def->flags & RS_MF_SUM ? sum : dist;
	size_t n = row->shape == RS_SHAPE_SCALAR || row->def->flags & RS_MF_SUM ? 1 : 2;
	bool found = false;

	for (size_t s = 0; s < n; s++) {
		struct cand c = { row, stats[s], 0, 0, 0 };
		double xa, xb;

		if (!rs_view_value(v, row, v->base, c.stat, &c.a) ||
		    !rs_view_value(v, row, i, c.stat, &c.b))
			continue;
		if (!rs_unit_value(row->def, c.a, &v->units[v->base], &xa) ||
		    !rs_unit_value(row->def, c.b, &v->units[i], &xb)) {
			xa = c.a;
			xb = c.b;
		}
		if (xa == xb && c.a == c.b)
			continue;
		if (xa == 0 || xb == 0)
			c.score = FROM_ZERO;
		else if (rs_ratio_differs(xb / xa))
			c.score = fabs(log(xb / xa));
		else if (row->def->kind == RS_KIND_PAGES && rs_ratio_differs(c.b / c.a) &&
			 v->units[i].page_size != v->units[v->base].page_size)
			c.score = -1;  /* other page counts, the same bytes: worth saying, last */
		else
			continue;
		if (!found || c.score > out->score)
			*out = c;
		found = true;
	}
	return found;
}

static int by_score(const void *a, const void *b)
{
	const struct cand *ca = a, *cb = b;

	return ca->score < cb->score ? 1 : ca->score > cb->score ? -1 : 0;
}

static int group_changes(struct rs_change_point *cp, const struct rs_view *v,
			 const struct rs_section *sec, int s)
{
	struct cand *cands = calloc(v->n_rows ? v->n_rows : 1, sizeof(*cands));
	struct rs_change_group *g, *ng;
	size_t n = 0;

	if (!cands)
		return -1;
	for (size_t r = 0; r < v->n_rows; r++) {
		const struct rs_row *row = &v->rows[r];

		if (row->section == s && !row->hidden && !(row->def->flags & RS_MF_NORANK) &&
		    best_move(v, row, cp->point, &cands[n]))
			n++;
	}
	/* A group where nothing moved stays, empty: "nothing moved" is worth saying. */
	if (n)
		qsort(cands, n, sizeof(*cands), by_score);
	if (!(ng = realloc(cp->groups, (cp->n_groups + 1) * sizeof(*ng)))) {
		free(cands);
		return -1;
	}
	cp->groups = ng;
	g = &ng[cp->n_groups++];
	memset(g, 0, sizeof(*g));
	snprintf(g->title, sizeof(g->title), "%s", sec->title);
	cp->n_lines += n < RS_CHANGES_PER_GROUP ? n : RS_CHANGES_PER_GROUP;
	for (size_t k = 0; k < n && k < RS_CHANGES_PER_GROUP; k++) {
		const struct cand *c = &cands[k];
		const char *w = stat_word(c->row, c->stat);
		char text[320], *line;

		rs_fmt_change(c->row->def, c->a, &v->units[v->base], c->b, &v->units[cp->point],
			      text, sizeof(text));
		if (asprintf(&line, "%s%s%s: %s", c->row->def->label, w ? ", " : "", w ? w : "",
			     text) < 0 || push(&g->lines, &g->n_lines, line)) {
			free(cands);
			return -1;
		}
	}
	free(cands);
	return 0;
}

int rs_changes_build(struct rs_changes *c, const struct rs_view *v)
{
	static const enum rs_group ranked[] = { RS_GROUP_JOB, RS_GROUP_VIRTIO, RS_GROUP_BLKIF,
						RS_GROUP_MEMORY, RS_GROUP_INTEGRITY };
	const struct rs_report *r = v->r;

	memset(c, 0, sizeof(*c));
	/* What went wrong comes first: the points that are not ok, then findings of the rest. */
	for (int pass = 0; pass < 2; pass++)
		for (size_t i = 0; i < r->n_points; i++)
			if ((strcmp(r->points[i].status, "ok") == 0) == (pass == 1) &&
			    point_alerts(c, &r->points[i]))
				goto oom;
	if (!v->has_base)
		return 0;
	if (!(c->points = calloc(r->n_points, sizeof(*c->points))))
		goto oom;
	for (size_t i = 0; i < r->n_points; i++) {
		struct rs_change_point *cp = &c->points[c->n_points];

		if (i == v->base || !r->points[i].has_data)
			continue;
		cp->point = i;
		c->n_points++;
		for (size_t g = 0; g < sizeof(ranked) / sizeof(ranked[0]); g++)
			for (size_t s = 0; s < v->n_sections; s++)
				if (v->sections[s].group == ranked[g] &&
				    group_changes(cp, v, &v->sections[s], (int)s))
					goto oom;
	}
	return 0;
oom:
	rs_changes_free(c);
	return -1;
}

void rs_changes_free(struct rs_changes *c)
{
	for (size_t i = 0; i < c->n_alerts; i++)
		free(c->alerts[i]);
	free(c->alerts);
	free(c->strong);
	for (size_t p = 0; p < c->n_points; p++) {
		for (size_t g = 0; g < c->points[p].n_groups; g++) {
			for (size_t k = 0; k < c->points[p].groups[g].n_lines; k++)
				free(c->points[p].groups[g].lines[k]);
			free(c->points[p].groups[g].lines);
		}
		free(c->points[p].groups);
	}
	free(c->points);
	memset(c, 0, sizeof(*c));
}
