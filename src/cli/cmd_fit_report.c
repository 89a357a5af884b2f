/* cmd_fit_report.c: what `birebir fit` prints (JSON or text) and the per-customer scores CSV. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "birebir/analyze.h"
#include "birebir/csv.h"
#include "birebir/gammagamma.h"
#include "cmd_fit.h"

static const char *model_title(bb_model_kind m)
{
    switch (m) {
    case BB_MODEL_BGNBD: return "BG/NBD";
    case BB_MODEL_PNBD: return "Pareto/NBD";
    case BB_MODEL_GAMMAGAMMA: return "Gamma-Gamma";
    }
    return "?";
}

/* A finite number, or JSON null. */
static json_t *num(double v)
{
    return isfinite(v) ? json_real(v) : json_null();
}

static json_t *holdout_json(const bb_fit_run *run)
{
    const bb_holdout_report *h = &run->holdout;
    json_t *o, *by;
    if (!run->has_holdout || run->model == BB_MODEL_GAMMAGAMMA)
        return json_null();
    o = json_object();
    by = json_array();
    json_object_set_new(o, "end", json_string(run->holdout_end));
    json_object_set_new(o, "length", num(h->length));
    json_object_set_new(o, "customers", json_integer((json_int_t)h->customers));
    json_object_set_new(o, "actual_purchases", num(h->actual_total));
    json_object_set_new(o, "predicted_purchases", num(h->predicted_total));
    json_object_set_new(o, "mean_absolute_error", num(h->mae));
    json_object_set_new(o, "rmse", num(h->rmse));
    for (int k = 0; k < BB_HOLDOUT_BUCKETS; k++) {
        json_t *b = json_object();
        char label[8];
        snprintf(label, sizeof label, k == BB_HOLDOUT_BUCKETS - 1 ? "%d+" : "%d", k);
        json_object_set_new(b, "calibration_purchases", json_string(label));
        json_object_set_new(b, "customers", json_integer((json_int_t)h->by_x[k].customers));
        /* a mean over no customers is not a number: null, not 0 */
        int none = h->by_x[k].customers == 0;
        json_object_set_new(b, "actual_mean", none ? json_null() : num(h->by_x[k].actual_mean));
        json_object_set_new(b, "predicted_mean", none ? json_null() : num(h->by_x[k].predicted_mean));
        json_array_append_new(by, b);
    }
    json_object_set_new(o, "by_calibration_purchases", by);
    return o;
}

static int report_json(bb_cli *cli, const bb_fit_run *run)
{
    const bb_fit *f = &run->fit;
    json_t *o = bb_analyze_fit_json(f);
    if (!o)
        return BB_EXIT_INTERNAL;
    if (f->model == BB_MODEL_GAMMAGAMMA)
        json_object_set_new(o, "excluded_zero_value", json_integer((json_int_t)f->zero_value));
    else
        json_object_del(o, "excluded");
    json_object_set_new(o, "returns", json_integer((json_int_t)run->returns));
    json_object_set_new(o, "time_unit", json_string(run->unit_name));
    json_object_set_new(o, "calibration_end", *run->calibration_end ? json_string(run->calibration_end) : json_null());
    json_object_set_new(o, "holdout", holdout_json(run));
    return bb_cli_print_json(cli, o);
}

static void report_text(bb_cli *cli, const bb_fit_run *run)
{
    const bb_fit *f = &run->fit;
    FILE *out = cli->out;
    fprintf(out, "%s fit on %zu customers", model_title(f->model), f->customers);
    if (f->model == BB_MODEL_GAMMAGAMMA)
        fprintf(out, " with repeat purchases (%zu left out: no repeat purchase, %zu of them repeat buyers whose "
                     "repeats are all worth 0)", f->excluded, f->zero_value);
    else
        fprintf(out, " (time unit: %s%s%s)", run->unit_name, *run->calibration_end ? ", calibration to " : "",
                run->calibration_end);
    fputc('\n', out);
    if (run->returns)
        fprintf(out, "  %zu return%s (rows with a negative amount) left out: returns are not purchases\n",
                run->returns, run->returns == 1 ? "" : "s");
    for (int i = 0; i < f->nparams; i++) {
        fprintf(out, "  %-6s %12.4f", bb_model_param_name(f->model, i), f->params[i]);
        if (f->hessian_ok)
            fprintf(out, "  (std. error %.4f)", f->se[i]);
        fputc('\n', out);
    }
    fprintf(out, "  log-likelihood %.2f\n", f->log_likelihood);
    fprintf(out, "  converged: %s (%s)\n", f->converged ? "yes" : "no", f->message);
    if (f->model == BB_MODEL_GAMMAGAMMA && !(f->params[1] > 1.0))
        fprintf(out, "  note: %s\n", BB_GG_Q_NOTE);
    if (run->has_holdout && f->model != BB_MODEL_GAMMAGAMMA) {
        const bb_holdout_report *h = &run->holdout;
        fprintf(out, "Holdout to %s (%.2f %ss): %.0f purchases made, %.1f predicted; mean absolute error "
                     "%.3f per customer\n",
                run->holdout_end, h->length, run->unit_name, h->actual_total, h->predicted_total, h->mae);
        fprintf(out, "  calibration purchases  customers  actual mean  predicted mean\n");
        for (int k = 0; k < BB_HOLDOUT_BUCKETS; k++) {
            fprintf(out, "  %20d%s %10zu", k, k == BB_HOLDOUT_BUCKETS - 1 ? "+" : " ", h->by_x[k].customers);
            if (h->by_x[k].customers)
                fprintf(out, " %12.3f %15.3f\n", h->by_x[k].actual_mean, h->by_x[k].predicted_mean);
            else
                fprintf(out, " %12s %15s\n", "-", "-");
        }
    }
}

int bb_cmd_fit_report(bb_cli *cli, const bb_fit_run *run, int json)
{
    if (json)
        return report_json(cli, run);
    report_text(cli, run);
    return 0;
}

int bb_cmd_fit_write_scores(bb_cli *cli, const bb_fit_run *run, const char *path)
{
    int gg = run->model == BB_MODEL_GAMMAGAMMA, bad = 0;
    bb_error err = {0};
    FILE *f = fopen(path, "w");
    if (!f) {
        bb_error_set(&err, BB_EIO, "%s: cannot write: %s", path, strerror(errno));
        return bb_cli_fail(cli, &err);
    }
    fprintf(f, "customer_id,frequency,recency,T,p_alive,expected_purchases%s\n", gg ? ",expected_value" : "");
    for (size_t i = 0; i < run->n && !bad; i++) {
        double pa = bb_model_p_alive(&run->purchase, run->x[i], run->t_x[i], run->T[i]);
        double ex = bb_model_expected(&run->purchase, run->x[i], run->t_x[i], run->T[i], run->predict_periods);
        bad |= bb_csv_write_field(f, run->id[i], strlen(run->id[i]), ',') != 0;
        fprintf(f, ",%d,%.10g,%.10g,%.10g,%.10g", run->x[i], run->t_x[i], run->T[i], pa, ex);
        if (gg) {
            double v;
            if (bb_gg_expected_value(run->fit.params, run->x[i], run->mean_value[i], &v) == 0)
                fprintf(f, ",%.10g", v);
            else
                fputc(',', f);
        }
        bad |= fputc('\n', f) == EOF;
    }
    if (fclose(f) != 0 || bad) {
        bb_error_set(&err, BB_EIO, "%s: cannot write: %s", path, strerror(errno));
        return bb_cli_fail(cli, &err);
    }
    return 0;
}
