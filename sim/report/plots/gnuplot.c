// SPDX-License-Identifier: GPL-2.0-only
/*
 * gnuplot: one script per plot in DIR/plots/ (NAME.gp draws NAME.svg and NAME.png
 * from NAME*.dat), all.gp loading them all, and a single gnuplot process running all.gp:
 * starting gnuplot once keeps a report of many plots within a second or two.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "report/plots/plots.h"

extern char **environ;

/* Tableau 10: distinct in colour and in lightness; colour k (a page size) is linetype k
 * in every plot (style.c). */
static const char *const palette[] = {
	"#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f",
	"#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac",
};
#define N_COLORS (sizeof(palette) / sizeof(palette[0]))

void rs_gp_string(FILE *f, const char *s)
{
	/* Single quotes: gnuplot expands neither backquotes, macros nor escapes inside;
	 * a quote is written twice. */
	fputc('\'', f);
	for (; *s; s++) {
		if (*s == '\'')
			fputc('\'', f);
		fputc((unsigned char)*s < 0x20 ? ' ' : *s, f);
	}
	fputc('\'', f);
}

static bool ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && !strcmp(s + n - m, suffix);
}

/* Remove what an earlier report left, so no stale plot outlives its point. */
static void clean_plots(const char *dir)
{
	static const char *const ours[] = { ".svg", ".png", ".dat", ".gp", ".log", ".tmp" };
	DIR *d = opendir(dir);
	struct dirent *e;

	if (!d)
		return;
	while ((e = readdir(d))) {
		struct stat st;
		bool reg = e->d_type == DT_REG;

		/* Some file systems do not fill in d_type. */
		if (e->d_type == DT_UNKNOWN)
			reg = !fstatat(dirfd(d), e->d_name, &st, AT_SYMLINK_NOFOLLOW) &&
			      S_ISREG(st.st_mode);
		for (size_t i = 0; reg && i < sizeof(ours) / sizeof(ours[0]); i++) {
			if (ends_with(e->d_name, ours[i])) {
				unlinkat(dirfd(d), e->d_name, 0);
				break;
			}
		}
	}
	closedir(d);
}

int rs_plots_begin(struct rs_plot_list *pl, const char *dir, char *err, size_t err_size)
{
	char path[4096];

	memset(pl, 0, sizeof(*pl));
	if (asprintf(&pl->plots_dir, "%s/plots", dir) < 0) {
		pl->plots_dir = NULL;
		snprintf(err, err_size, "%s/plots: out of memory", dir);
		return -1;
	}
	if (mkdir(pl->plots_dir, 0777) && errno != EEXIST) {
		snprintf(err, err_size, "%s: %s", pl->plots_dir, strerror(errno));
		return -1;
	}
	clean_plots(pl->plots_dir);
	snprintf(path, sizeof(path), "%s/all.gp", pl->plots_dir);
	pl->all = fopen(path, "w");
	if (!pl->all) {
		snprintf(err, err_size, "%s: %s", path, strerror(errno));
		return -1;
	}
	fputs("# Every plot of this report: run `gnuplot all.gp` in this directory.\n",
	      pl->all);
	return 0;
}

FILE *rs_plot_data(const struct rs_plot_list *pl, const char *name, char *err,
		   size_t err_size)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", pl->plots_dir, name);
	f = fopen(path, "w");
	if (!f)
		snprintf(err, err_size, "%s: %s", path, strerror(errno));
	return f;
}

int rs_data_close(const struct rs_plot_list *pl, FILE *f, const char *name, char *err,
		  size_t err_size)
{
	int bad = ferror(f);

	if (fclose(f) || bad) {
		snprintf(err, err_size, "%s/%s: write failed", pl->plots_dir, name);
		return -1;
	}
	return 0;
}

void rs_plot_note(struct rs_plot_list *pl, enum rs_plot_kind kind, const char *text)
{
	struct rs_plot_note *n;

	for (size_t i = 0; i < pl->n_notes; i++)
		if (pl->notes[i].kind == kind && !strcmp(pl->notes[i].text, text))
			return;
	if (pl->n_notes == RS_PLOT_NOTES_MAX)
		return;
	n = &pl->notes[pl->n_notes++];
	snprintf(n->text, sizeof(n->text), "%s", text);
	n->kind = kind;
	n->at = pl->n;
}

FILE *rs_plot_open(struct rs_plot_list *pl, const char *name, const char *title,
		   enum rs_plot_kind kind, char *err, size_t err_size)
{
	return rs_plot_open_sized(pl, name, title, kind, RS_PLOT_HEIGHT, err, err_size);
}

/*
 * Sizes are in pixels of the 1200-pixel-wide image, the same in the SVG and the PNG: the
 * SVG terminal takes font sizes as pixels, pngcairo as points at 96 dpi, hence its
 * fontscale 0.75. Tics and labels 15 px, the key 14, the title 18: legible on a laptop
 * where the page shows the plot at about its own width.
 */
#define FONT_PX 15
#define TITLE_PX 18

FILE *rs_plot_open_sized(struct rs_plot_list *pl, const char *name, const char *title,
			 enum rs_plot_kind kind, int height, char *err, size_t err_size)
{
	struct rs_plot *p;
	char file[160];
	FILE *gp;

	if (pl->n == pl->cap) {
		size_t ncap = pl->cap ? 2 * pl->cap : 32;
		struct rs_plot *nv = realloc(pl->v, ncap * sizeof(*nv));

		if (!nv) {
			snprintf(err, err_size, "%s: out of memory", pl->plots_dir);
			return NULL;
		}
		pl->v = nv;
		pl->cap = ncap;
	}
	snprintf(file, sizeof(file), "%s.gp", name);
	gp = rs_plot_data(pl, file, err, err_size);
	if (!gp)
		return NULL;
	p = &pl->v[pl->n++];
	snprintf(p->name, sizeof(p->name), "%s", name);
	snprintf(p->title, sizeof(p->title), "%s", title);
	p->kind = kind;
	p->height = height;
	fprintf(pl->all, "load '%s'\n", file);

	fprintf(gp, "# %s: ", name);
	rs_gp_string(gp, title);
	fputs("\n# Written by ringsim compare; data in the .dat files beside this one.\n"
	      "reset\nset encoding utf8\n", gp);
	/* noenhanced: point and metric names are shown as written ('_' is no subscript). */
	fprintf(gp, "set terminal svg size %d,%d noenhanced font 'sans-serif,%d' "
		"linewidth 1 background rgb 'white'\nset output '%s.svg'\n", RS_PLOT_WIDTH,
		height, FONT_PX, name);
	for (size_t i = 0; i < N_COLORS; i++)
		fprintf(gp, "set linetype %zu lc rgb '%s' lw 2.5 pt 7 ps 1.4 dt solid\n", i + 1,
			palette[i]);
	fprintf(gp, "set linetype cycle %zu\n", N_COLORS);
	fputs("set datafile separator '\\t'\nset title ", gp);
	rs_gp_string(gp, title);
	/* The key below the plot never covers data; wide samples show the dash types. */
	fprintf(gp, " font ',%d'\nset key outside bottom center horizontal Left reverse "
		"height 1 spacing 1.3 samplen 4 font ',14'\nset border 3 lw 1.2\n"
		"set tics nomirror\nset grid ytics lc rgb '#d8d8d8' lt 1 lw 1 dt solid\n",
		TITLE_PX);
	return gp;
}

int rs_plot_close(struct rs_plot_list *pl, FILE *gp, char *err, size_t err_size)
{
	const struct rs_plot *p = &pl->v[pl->n - 1];
	int bad;

	fprintf(gp, "set terminal pngcairo size %d,%d noenhanced font 'sans,%d' fontscale 0.75 "
		"linewidth 1 background rgb 'white'\nset output '%s.png'\nreplot\nunset output\n",
		RS_PLOT_WIDTH, p->height, FONT_PX, p->name);
	bad = ferror(gp);
	if (fclose(gp) || bad) {
		snprintf(err, err_size, "%s/%s.gp: write failed", pl->plots_dir, p->name);
		return -1;
	}
	return 0;
}

/* The end of gnuplot's stderr (its messages name the script and line). */
static void read_log(const char *path, char *buf, size_t size)
{
	FILE *f = fopen(path, "r");
	long len;
	size_t n;

	buf[0] = '\0';
	if (!f)
		return;
	if (!fseek(f, 0, SEEK_END) && (len = ftell(f)) > (long)size - 1)
		fseek(f, len - (long)size + 1, SEEK_SET);
	else
		fseek(f, 0, SEEK_SET);
	n = fread(buf, 1, size - 1, f);
	buf[n] = '\0';
	while (n && (buf[n - 1] == '\n' || buf[n - 1] == ' '))
		buf[--n] = '\0';
	fclose(f);
}

/* Whether PATH names a directory holding an executable @prog. */
static bool on_path(const char *prog)
{
	const char *path = getenv("PATH");
	char file[4096];

	while (path && *path) {
		const char *end = strchrnul(path, ':');
		int n = (int)(end - path);

		snprintf(file, sizeof(file), "%.*s/%s", n ? n : 1, n ? path : ".", prog);
		if (!access(file, X_OK))
			return true;
		path = *end ? end + 1 : end;
	}
	return false;
}

int rs_plots_run(struct rs_plot_list *pl, char *err, size_t err_size)
{
	char *argv[] = { "gnuplot", "all.gp", NULL };
	posix_spawn_file_actions_t fa;
	char log[4096], msg[2048], *real;
	int bad, rc, status;
	pid_t pid;

	bad = ferror(pl->all);
	rc = fclose(pl->all);
	pl->all = NULL;
	if (rc || bad) {
		snprintf(err, err_size, "%s/all.gp: write failed", pl->plots_dir);
		return -1;
	}
	if (!pl->n)
		return 0;
	/* The child opens its stderr after the chdir: the log path must not be relative. */
	real = realpath(pl->plots_dir, NULL);
	if (!real) {
		snprintf(err, err_size, "%s: %s", pl->plots_dir, strerror(errno));
		return -1;
	}
	snprintf(log, sizeof(log), "%s/gnuplot.log", real);
	if (posix_spawn_file_actions_init(&fa)) {
		free(real);
		goto no_memory;
	}
	rc = posix_spawn_file_actions_addchdir_np(&fa, real) ||
	     posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0) ||
	     posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0) ||
	     posix_spawn_file_actions_addopen(&fa, 2, log, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (!rc)
		rc = posix_spawnp(&pid, "gnuplot", &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	free(real);
	/* posix_spawnp() also says ENOENT when a file action fails: only say that gnuplot
	 * is missing when it really is not on PATH. */
	if (rc == ENOENT && !on_path("gnuplot")) {
		snprintf(err, err_size, "%s: gnuplot not found on PATH; install gnuplot "
			 "(gnuplot-nox) to draw the plots", pl->plots_dir);
		return -1;
	}
	if (rc) {
		snprintf(err, err_size, "%s: cannot run gnuplot: %s", pl->plots_dir,
			 strerror(rc));
		return -1;
	}
	while (waitpid(pid, &status, 0) < 0) {
		if (errno != EINTR) {
			snprintf(err, err_size, "%s: waiting for gnuplot: %s", pl->plots_dir,
				 strerror(errno));
			return -1;
		}
	}
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		return 0;
	read_log(log, msg, sizeof(msg));
	if (WIFEXITED(status))
		snprintf(err, err_size, "%s/all.gp: gnuplot exited with status %d: %s",
			 pl->plots_dir, WEXITSTATUS(status), msg[0] ? msg : "(no message)");
	else
		snprintf(err, err_size, "%s/all.gp: gnuplot killed by signal %d: %s",
			 pl->plots_dir, WIFSIGNALED(status) ? WTERMSIG(status) : 0, msg);
	return -1;
no_memory:
	snprintf(err, err_size, "%s: out of memory", pl->plots_dir);
	return -1;
}

void rs_plots_free(struct rs_plot_list *pl)
{
	if (pl->all)
		fclose(pl->all);
	free(pl->v);
	free(pl->plots_dir);
	memset(pl, 0, sizeof(*pl));
}
