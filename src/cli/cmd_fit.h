/* cmd_fit.h: what the two files of `birebir fit` share: the data and fits of one run (cmd_fit.c reads
 * and fits; cmd_fit_report.c prints the JSON or text report and writes the per-customer CSV). */
#ifndef BB_CMD_FIT_H
#define BB_CMD_FIT_H

#include "birebir/holdout.h"
#include "birebir/model.h"
#include "birebir/txnfile.h"
#include "cli.h"

typedef struct bb_fit_run {
    bb_model_kind model;
    const char *unit_name;   /* "week" or "day" */
    /* per customer (those with a purchase by the end of calibration), in the file's order */
    size_t n;
    const char **id;
    int32_t *x, *x_holdout;
    double *t_x, *T, *mean_value; /* mean_value in the file's money unit */
    int has_holdout;
    double holdout_length;        /* model units */
    char calibration_end[32], holdout_end[32]; /* "" when not given */
    double predict_periods;
    size_t returns;               /* rows of the transactions file left out: negative amounts */
    bb_fit fit;                   /* the model asked for */
    bb_fit purchase;              /* the purchase model behind p_alive and expected_purchases (for
                                     gammagamma: a BG/NBD fit on the same customers) */
    bb_holdout_report holdout;
} bb_fit_run;

/* Prints the fit as JSON (keys in docs/cli/fit.md) or as text. Returns an exit status. */
int bb_cmd_fit_report(bb_cli *cli, const bb_fit_run *run, int json);
/* Writes one CSV row per customer to path. 0, or an exit status with the error printed. */
int bb_cmd_fit_write_scores(bb_cli *cli, const bb_fit_run *run, const char *path);

#endif
