// SPDX-License-Identifier: GPL-2.0-only
#include "results/selfcheck.h"
#include "results/flatten.h"

#include <math.h>

#include <jansson.h>

double rs_littles_law_error(double in_flight, double per_second, double seconds)
{
	double lw = per_second * seconds;

	if (lw == 0)
		return in_flight == 0 ? 0 : HUGE_VAL;
	return in_flight / lw - 1;
}

static double num(json_t *obj, const char *path)
{
	json_t *v = rs_json_path(obj, path);

	return json_is_number(v) ? json_number_value(v) : NAN;
}

int rs_selfcheck_summary(void *summary, uint64_t clock_hz)
{
	json_t *jobs = json_object_get(summary, "jobs"), *errors = NULL, *job;
	double worst = 0;
	const char *name;

	json_object_foreach(jobs, name, job) {
		double in_flight = num(job, "in_flight_mean");
		double per_second = num(job, "throughput.requests_per_second");
		double ended = num(job, "requests.ended");
		double residence = num(job, "residence_cycles");
		double e;

		if (isnan(in_flight) || isnan(per_second) || isnan(residence) || !(ended > 0) ||
		    !clock_hz)
			continue;
		e = rs_littles_law_error(in_flight, per_second,
					 residence / ended / (double)clock_hz);
		if (!errors && !(errors = json_object()))
			return -1;
		if (json_object_set_new(errors, name, json_real(e)))
			return -1;
		if (fabs(e) > fabs(worst))
			worst = e;
	}
	if (!errors)
		return 0;
	if (json_object_set_new(errors, "max", json_real(worst)) ||
	    json_object_set_new(summary, "selfcheck", json_pack("{s:o}", "littles_law_error",
								 errors)))
		return -1;
	return 0;
}
