// SPDX-License-Identifier: GPL-2.0-only
/*
 * dups: a quantity recorded under two keys is listed once when the two agree at
 * every point (the catalogue names the pairs: sg entries and descriptors, three counts of
 * pinned pages, two of persistent grants), and a device with one job is that job. What
 * was folded is said in a note under the table; where the two differ, both are listed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/tables/view.h"

/* Whether @row and metric @other (a base when @row is folded) agree at every point. */
static bool same_everywhere(const struct rs_view *v, const struct rs_row *row,
			    const char *other)
{
	bool seen = false;

	for (size_t i = 0; i < v->r->n_points; i++) {
		for (size_t s = 0; row->shape == RS_SHAPE_SCALAR ? s < 1 : !!rs_dist_stats[s]; s++) {
			const char *stat = row->shape == RS_SHAPE_SCALAR ? NULL : rs_dist_stats[s];
			char key[256];
			double a, b;
			bool ha = rs_view_value(v, row, i, stat, &a), hb;

			snprintf(key, sizeof(key), "%s%s%s", other, stat ? "." : "", stat ? stat : "");
			hb = rs_report_metric(&v->r->points[i], key, &b);
			if (ha != hb || (ha && a != b))
				return false;
			seen |= hb;
		}
	}
	return seen;
}

static int add_note(struct rs_view *v, const char *fmt_key, const char *a, const char *b,
		    const char *why)
{
	char **nn = realloc(v->notes, (v->n_notes + 1) * sizeof(*nn));

	if (!nn)
		return -1;
	v->notes = nn;
	if (asprintf(&v->notes[v->n_notes], fmt_key, a, b, why ? why : "") < 0)
		return -1;
	v->n_notes++;
	return 0;
}

/* The one job on device @dev at every point, or NULL when there are more or none. */
static const char *only_job(const struct rs_view *v, const char *dev)
{
	const char *job = NULL;

	for (size_t s = 0; s < v->n_sections; s++) {
		char key[192];

		if (v->sections[s].group != RS_GROUP_JOB)
			continue;
		snprintf(key, sizeof(key), "job.%s.device", v->sections[s].name);
		for (size_t p = 0; p < v->r->n_points; p++) {
			const char *d = rs_config_get(&v->config, p, key);

			if (!d || strcmp(d, dev))
				continue;
			if (job)
				return NULL;
			job = v->sections[s].name;
			break;
		}
	}
	return job;
}

/* Hide duplicates: the catalogue's pairs, and a device whose one job says it all. */
int rs_view_fold_duplicates(struct rs_view *v)
{
	for (size_t i = 0; i < v->n_rows; i++) {
		struct rs_row *row = &v->rows[i];
		const struct rs_section *sec = &v->sections[row->section];
		char other[256];

		if (row->hidden)
			continue;
		if (row->def->dup_of) {
			const char *star = strchr(row->def->dup_of, '*');

			snprintf(other, sizeof(other), "%.*s%s%s",
				 star ? (int)(star - row->def->dup_of) : (int)strlen(row->def->dup_of),
				 row->def->dup_of, star ? row->name : "", star ? star + 1 : "");
			if (same_everywhere(v, row, other)) {
				row->hidden = true;
				if (add_note(v, "%s equals %s at every point and is listed once, as the "
					     "latter: %s.", row->key, other, row->def->note))
					return -1;
			}
		} else if (sec->group == RS_GROUP_DEVICE) {
			const char *job = only_job(v, row->name);

			if (!job)
				continue;
			snprintf(other, sizeof(other), "jobs.%s%s", job,
				 row->key + strlen("devices.") + strlen(row->name));
			row->hidden = same_everywhere(v, row, other);
			if (row->hidden && !v->sections[row->section].noted) {
				v->sections[row->section].noted = true;
				if (add_note(v, "device %s has one job, %s: its numbers are listed "
					     "once, under the job%s.", row->name, job, ""))
					return -1;
			}
		}
	}
	return 0;
}
