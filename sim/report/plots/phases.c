// SPDX-License-Identifier: GPL-2.0-only
/*
 * phases: where each job's latency goes, a stacked bar per point: the guest's build in the
 * DUT, the waits for ring space, pins, grants or tags, the ring until the device takes it,
 * the device's service, and the completion until the guest sees it (the means of jobs.NAME.phases.*, which add up to the mean latency).
 * Read across the points, it shows where a larger page moves time from one phase to
 * another.
 */
#include <stdio.h>
#include <string.h>

#include "report/plots/plots.h"

#define MAX_JOBS 8

static const char *const phase_keys[] = { "build_cycles", "wait_cycles", "ring_cycles",
					  "device_cycles", "completion_cycles" };
static const char *const phase_titles[] = { "build in the DUT",
					    "waiting (ring space, pins, grants, tags)",
					    "on the ring", "device service",
					    "completion, until the guest sees it" };
#define N_PHASES (sizeof(phase_keys) / sizeof(phase_keys[0]))

/* A point's name as the first column of the data file: gnuplot splits columns at blanks,
 * so a name with any is double-quoted (a double quote in it dropped). */
static void data_label(FILE *f, const char *s)
{
	bool blank = strpbrk(s, " \t\"#") != NULL;

	fputs(blank ? "\"" : "", f);
	for (; *s; s++)
		if (*s != '"')
			fputc(*s, f);
	fputs(blank ? "\"" : "", f);
}

/* Point @p's mean cycles of each phase of job @job. Return: false when it has none. */
static bool phases_of(const struct rs_report_point *p, const char *job, double v[N_PHASES])
{
	char key[256];

	for (size_t k = 0; k < N_PHASES; k++) {
		snprintf(key, sizeof(key), "jobs.%s.phases.%s", job, phase_keys[k]);
		if (!p->has_data || !rs_report_metric(p, key, &v[k]))
			return false;
	}
	return true;
}

static int plot_job(const struct rs_report *r, struct rs_plot_list *pl, const char *job,
		    char *err, size_t err_size)
{
	char name[96], file[112], title[160], slug[64], ylabel[96];
	double v[N_PHASES], top = 0, axis;
	const char *unit = "";
	size_t n = 0;
	FILE *f, *gp;

	for (size_t i = 0; i < r->n_points; i++) {
		double sum = 0;

		if (!phases_of(&r->points[i], job, v))
			continue;
		for (size_t k = 0; k < N_PHASES; k++)
			sum += v[k];
		top = sum > top ? sum : top;
		n++;
	}
	if (!n)
		return 0;
	axis = rs_axis_scale(top, &unit);
	snprintf(name, sizeof(name), "phases_%s", rs_slug(job, slug, sizeof(slug)));
	snprintf(file, sizeof(file), "%s.dat", name);
	f = rs_plot_data(pl, file, err, err_size);
	if (!f)
		return -1;
	fputs("# point\tbuild\twait\tring\tdevice\tcompletion (mean cycles / axis scale)\n", f);
	for (size_t i = 0; i < r->n_points; i++) {
		if (!phases_of(&r->points[i], job, v))
			continue;
		data_label(f, r->points[i].name);
		for (size_t k = 0; k < N_PHASES; k++)
			fprintf(f, "\t%.10g", v[k] / axis);
		fputc('\n', f);
	}
	if (rs_data_close(pl, f, file, err, err_size))
		return -1;
	snprintf(title, sizeof(title), "Where the latency of job %.63s goes", job);
	gp = rs_plot_open(pl, name, title, RS_PLOT_BARS, err, err_size);
	if (!gp)
		return -1;
	snprintf(ylabel, sizeof(ylabel), "cycles, mean per completed request%s", unit);
	fputs("set ylabel ", gp);
	rs_gp_string(gp, ylabel);
	fprintf(gp, "\nset style data histograms\nset style histogram rowstacked\n"
		"set style fill solid 0.9 border lc rgb '#404040'\nset boxwidth 0.7\n"
		"set key outside right top\nset yrange [0:%g]\nset format y '%%.10g'\n"
		"set xtics scale 0%s\nplot \\\n", top / axis * 1.05,
		n > 6 ? " rotate by -35 left" : "");
	for (size_t k = 0; k < N_PHASES; k++) {
		fprintf(gp, "  '%s' using %zu%s title ", file, k + 2, k ? "" : ":xtic(1)");
		rs_gp_string(gp, phase_titles[k]);
		fputs(k + 1 < N_PHASES ? ", \\\n" : "\n", gp);
	}
	return rs_plot_close(pl, gp, err, err_size);
}

int rs_plot_phases(const struct rs_report *r, struct rs_plot_list *pl, char *err,
		   size_t err_size)
{
	char jobs[MAX_JOBS][64];
	size_t n_jobs = rs_report_jobs(r, jobs, MAX_JOBS);

	for (size_t j = 0; j < n_jobs; j++)
		if (plot_job(r, pl, jobs[j], err, err_size))
			return -1;
	return 0;
}
