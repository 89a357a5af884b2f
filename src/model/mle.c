/* mle.c: the maximum-likelihood driver of the value models: NLopt L-BFGS in (preconditioned)
 * log-parameter space, then either Newton steps with the model's analytic Hessian or a finite-difference
 * Hessian of the analytic gradient, standard errors by the delta method, and the checks that decide
 * whether a fit converged. Deterministic: no random starts. */
#include "model/mle.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <nlopt.h>

#define NP BB_FIT_MAX_PARAMS
#define BOX 30.0      /* log-parameters live in [-BOX, BOX]; beyond it the objective is extended smoothly */
#define HSTEP 1e-3    /* finite-difference step in log-parameters for the Hessian */
#define DEC_OK 1e-4   /* the fit converged when the log-likelihood is within this of its maximum */

typedef struct objective {
    const bb__mle *m;
    void *data;
    double n;            /* customers: the objective is the mean negative log-likelihood */
    int np;
    double theta0[NP];
    double M[NP][NP];    /* theta = theta0 + M z */
    int evals;
    int bad;             /* a non-finite value was met */
} objective;

/* Mean NLL at theta, with the box extended by a quadratic wall so the optimiser never leaves it. */
static double eval_theta(objective *o, const double *theta, double *grad)
{
    double tc[NP], g[NP], pen = 0.0, f;
    for (int i = 0; i < o->np; i++) {
        tc[i] = theta[i] < -BOX ? -BOX : theta[i] > BOX ? BOX : theta[i];
        pen += 0.5 * (theta[i] - tc[i]) * (theta[i] - tc[i]);
    }
    f = o->m->nll(tc, grad ? g : NULL, NULL, o->data) / o->n;
    o->evals++;
    if (!isfinite(f)) {
        o->bad = 1;
        return HUGE_VAL;
    }
    if (grad)
        for (int i = 0; i < o->np; i++) {
            grad[i] = g[i] / o->n + (theta[i] - tc[i]);
            if (!isfinite(grad[i])) {
                o->bad = 1;
                return HUGE_VAL;
            }
        }
    return f + pen;
}

static double nlopt_objective(unsigned n, const double *z, double *gz, void *data)
{
    objective *o = data;
    double theta[NP], g[NP], f;
    (void)n;
    for (int i = 0; i < o->np; i++) {
        theta[i] = o->theta0[i];
        for (int j = 0; j < o->np; j++)
            theta[i] += o->M[i][j] * z[j];
    }
    f = eval_theta(o, theta, gz ? g : NULL);
    if (gz)
        for (int j = 0; j < o->np; j++) {
            gz[j] = 0.0;
            for (int i = 0; i < o->np; i++)
                gz[j] += o->M[i][j] * g[i];
        }
    return f;
}

/* Runs L-BFGS from o->theta0 (z = 0) in the coordinates o->M; writes the optimum to theta. */
static nlopt_result minimise(objective *o, double xtol_abs, int maxeval, double *theta)
{
    double z[NP] = {0}, fmin = 0.0;
    nlopt_result res;
    nlopt_opt opt = nlopt_create(NLOPT_LD_LBFGS, (unsigned)o->np);
    if (!opt)
        return NLOPT_OUT_OF_MEMORY;
    nlopt_set_min_objective(opt, nlopt_objective, o);
    nlopt_set_xtol_abs1(opt, xtol_abs);
    nlopt_set_ftol_rel(opt, 1e-15);
    nlopt_set_maxeval(opt, maxeval);
    res = nlopt_optimize(opt, z, &fmin);
    nlopt_destroy(opt);
    for (int i = 0; i < o->np; i++) {
        theta[i] = o->theta0[i];
        for (int j = 0; j < o->np; j++)
            theta[i] += o->M[i][j] * z[j];
    }
    return res;
}

/* Cholesky A = L L' in place (lower triangle); 0 when A is not positive definite. */
static int cholesky(int n, double A[NP][NP], double L[NP][NP])
{
    memset(L, 0, sizeof(double) * NP * NP);
    for (int j = 0; j < n; j++) {
        double d = A[j][j];
        for (int k = 0; k < j; k++)
            d -= L[j][k] * L[j][k];
        if (!(d > 0.0) || !isfinite(d))
            return 0;
        L[j][j] = sqrt(d);
        for (int i = j + 1; i < n; i++) {
            double s = A[i][j];
            for (int k = 0; k < j; k++)
                s -= L[i][k] * L[j][k];
            L[i][j] = s / L[j][j];
        }
    }
    return 1;
}

/* Solves L L' x = b. */
static void chol_solve(int n, double L[NP][NP], const double *b, double *x)
{
    double y[NP];
    for (int i = 0; i < n; i++) {
        double s = b[i];
        for (int k = 0; k < i; k++)
            s -= L[i][k] * y[k];
        y[i] = s / L[i][i];
    }
    for (int i = n - 1; i >= 0; i--) {
        double s = y[i];
        for (int k = i + 1; k < n; k++)
            s -= L[k][i] * x[k];
        x[i] = s / L[i][i];
    }
}

/* M = L'^-1 (upper triangular), so that theta = theta0 + M z has unit curvature in z. */
static void precondition(int n, double L[NP][NP], double M[NP][NP])
{
    memset(M, 0, sizeof(double) * NP * NP);
    for (int c = 0; c < n; c++) {
        double e[NP] = {0}, x[NP];
        e[c] = 1.0;
        /* solve L' x = e */
        for (int i = n - 1; i >= 0; i--) {
            double s = e[i];
            for (int k = i + 1; k < n; k++)
                s -= L[k][i] * x[k];
            x[i] = s / L[i][i];
        }
        for (int i = 0; i < n; i++)
            M[i][c] = x[i];
    }
}

typedef struct curvature {
    double f0, g0[NP];
    double H[NP][NP];
    double check; /* max relative disagreement of gradient differences with the function's */
} curvature;

/* The gradient and Hessian (central differences of the gradient) of the mean NLL at theta. */
static int curvature_at(objective *o, const double *theta, curvature *c)
{
    double t[NP], gp[NP], gm[NP], fp, fm;
    int n = o->np;
    c->f0 = eval_theta(o, theta, c->g0);
    c->check = 0.0;
    for (int j = 0; j < n; j++) {
        memcpy(t, theta, sizeof(double) * n);
        t[j] = theta[j] + HSTEP;
        fp = eval_theta(o, t, gp);
        t[j] = theta[j] - HSTEP;
        fm = eval_theta(o, t, gm);
        if (o->bad)
            return 0;
        for (int i = 0; i < n; i++)
            c->H[i][j] = (gp[i] - gm[i]) / (2.0 * HSTEP);
        /* the same second derivative from the function alone: a wrong gradient cannot match it */
        double hf = (fp - 2.0 * c->f0 + fm) / (HSTEP * HSTEP);
        double d1 = fabs(hf - c->H[j][j]) / (fabs(c->H[j][j]) + 1e-8);
        if (d1 > c->check)
            c->check = d1;
    }
    for (int i = 0; i < n; i++)
        for (int j = 0; j < i; j++) {
            double s = 0.5 * (c->H[i][j] + c->H[j][i]);
            double d = fabs(c->H[i][j] - c->H[j][i]) / (sqrt(fabs(c->H[i][i] * c->H[j][j])) + 1e-8);
            if (d > c->check)
                c->check = d;
            c->H[i][j] = c->H[j][i] = s;
        }
    return 1;
}

/* The value, gradient and analytic Hessian of the mean NLL at theta (inside the box); 0 when any is not
 * finite. */
static int analytic_at(objective *o, const double *theta, curvature *c)
{
    double hs[NP * NP];
    int n = o->np;
    for (int i = 0; i < n; i++)
        if (!(fabs(theta[i]) <= BOX))
            return 0;
    double f = o->m->nll(theta, c->g0, hs, o->data);
    o->evals++;
    c->f0 = f / o->n;
    c->check = 0.0;
    int ok = isfinite(c->f0);
    for (int i = 0; i < n; i++) {
        c->g0[i] /= o->n;
        ok &= isfinite(c->g0[i]);
        for (int j = 0; j < n; j++) {
            c->H[i][j] = hs[i * n + j] / o->n;
            ok &= isfinite(c->H[i][j]);
        }
    }
    return ok;
}

/* Newton's method with backtracking from theta on o's rows, with the model's analytic Hessian. Returns 1
 * at the maximum (Newton decrement below DEC_OK), with c the curvature at theta, L its Cholesky factor and
 * *dec the decrement; 0 when the Hessian is not positive definite on the way or the steps stall (theta then
 * holds the best point met, for the quasi-Newton route to go on from). */
static int newton(objective *o, double *theta, int maxeval, curvature *c, double L[NP][NP], double *dec)
{
    int n = o->np;
    curvature t;
    if (!analytic_at(o, theta, c))
        return 0;
    for (int it = 0; it < 50; it++) {
        double step[NP], th[NP], gs = 0.0, tt = 1.0;
        if (!cholesky(n, c->H, L))
            return 0;
        chol_solve(n, L, c->g0, step);
        for (int i = 0; i < n; i++) {
            step[i] = -step[i];
            gs += c->g0[i] * step[i];
        }
        *dec = -0.5 * gs * o->n;
        if (*dec < DEC_OK)
            return 1;
        for (;;) { /* Armijo backtracking; the allowance is the rounding of a sum of many terms */
            if (o->evals >= maxeval || tt < 1e-6)
                return 0;
            for (int i = 0; i < n; i++)
                th[i] = theta[i] + tt * step[i];
            if (analytic_at(o, th, &t) && t.f0 <= c->f0 + 1e-4 * tt * gs + 1e-15 * fabs(c->f0))
                break;
            tt *= 0.5;
        }
        memcpy(theta, th, sizeof(double) * n);
        *c = t;
    }
    return 0;
}

/* The analytic derivatives against the likelihood's own differences at theta, along one direction that
 * mixes all parameters: v = L'^-1 (1, .., 1) / sqrt(np), of unit curvature (v' H v = 1). Returns the larger
 * relative disagreement of the first difference with g.v and of the second with v' H v. */
static double direction_check(objective *o, const double *theta, const curvature *c, double L[NP][NP])
{
    int n = o->np;
    double v[NP], t[NP] = {0}, vmax = 0.0, gv = 0.0;
    for (int i = n - 1; i >= 0; i--) {
        double s = 1.0 / sqrt((double)n);
        for (int k = i + 1; k < n; k++)
            s -= L[k][i] * v[k];
        v[i] = s / L[i][i];
    }
    for (int i = 0; i < n; i++) {
        vmax = fabs(v[i]) > vmax ? fabs(v[i]) : vmax;
        gv += c->g0[i] * v[i];
    }
    double h = HSTEP / vmax, fp, fm;
    for (int i = 0; i < n; i++)
        t[i] = theta[i] + h * v[i];
    fp = eval_theta(o, t, NULL);
    for (int i = 0; i < n; i++)
        t[i] = theta[i] - h * v[i];
    fm = eval_theta(o, t, NULL);
    double d1 = fabs((fp - fm) / (2.0 * h) - gv) / h, d2 = fabs((fp - 2.0 * c->f0 + fm) / (h * h) - 1.0);
    return d1 > d2 ? d1 : d2;
}

size_t bb__mle_stride(size_t n, const bb_fit_opts *opts)
{
    size_t lim = opts && opts->warm_start ? opts->warm_start : 20000;
    if (lim == SIZE_MAX || n <= lim)
        return 0;
    return (n + lim - 1) / lim;
}

static void set_identity(objective *o)
{
    memset(o->M, 0, sizeof o->M);
    for (int i = 0; i < o->np; i++)
        o->M[i][i] = 1.0;
}

int bb__mle_run(const bb__mle *m, double *theta, const bb_fit_opts *opts, bb_fit *fit, bb_error *err)
{
    objective o = {.m = m, .np = m->np};
    curvature c;
    double L[NP][NP], step[NP];
    int maxeval = opts && opts->max_evaluations > 0 ? opts->max_evaluations : 2000;
    int full_evals_before = 0, pd = 0, rounds = 0;
    nlopt_result res = NLOPT_SUCCESS;
    const char *why = NULL;

    fit->nparams = m->np;
    fit->converged = fit->hessian_ok = 0;
    fit->message[0] = '\0';
    /* Stage 0: from the start, in plain log-parameters, on the subsample when there is one. */
    o.data = m->sub ? m->sub : m->full;
    o.n = m->sub ? m->n_sub : m->n_full;
    memcpy(o.theta0, theta, sizeof(double) * m->np);
    set_identity(&o);
    res = minimise(&o, m->sub ? 1e-6 : 1e-9, maxeval, theta);
    if (o.bad && res < 0)
        return bb_error_set(err, BB_ENUMERIC, "%s: the likelihood could not be evaluated from the start",
                            bb_model_name(m->model));
    int newton_done = 0;
    if (m->has_hessian) {
        /* Newton on all rows from the stage-0 optimum: a few evaluations, each with the exact curvature */
        o.bad = 0;
        o.data = m->full;
        o.n = m->n_full;
        if (m->sub)
            full_evals_before = o.evals;
        newton_done = newton(&o, theta, maxeval, &c, L, &fit->newton_decrement);
        if (newton_done) {
            pd = 1;
            c.check = direction_check(&o, theta, &c, L);
            res = NLOPT_SUCCESS;
        } else {
            set_identity(&o);
            memcpy(o.theta0, theta, sizeof(double) * m->np);
            res = minimise(&o, 1e-3 / sqrt(m->n_full), maxeval, theta);
        }
    } else if (m->sub) {
        /* Precondition the full fit with the subsample's curvature at its optimum. */
        o.bad = 0;
        if (curvature_at(&o, theta, &c) && cholesky(m->np, c.H, L))
            precondition(m->np, L, o.M);
        o.data = m->full;
        o.n = m->n_full;
        full_evals_before = o.evals;
        memcpy(o.theta0, theta, sizeof(double) * m->np);
        res = minimise(&o, 1e-3 / sqrt(m->n_full), maxeval, theta);
    }
    /* Check the optimum; polish with the full data's own curvature when it is not there yet. */
    while (!newton_done) {
        o.bad = 0;
        if (!curvature_at(&o, theta, &c)) {
            why = "the likelihood is not finite near the optimum";
            break;
        }
        pd = cholesky(m->np, c.H, L);
        if (!pd) {
            why = "the Hessian at the optimum is not positive definite (the data do not determine the "
                  "parameters; standard errors are not available)";
            break;
        }
        chol_solve(m->np, L, c.g0, step);
        fit->newton_decrement = 0.0;
        for (int i = 0; i < m->np; i++)
            fit->newton_decrement += 0.5 * c.g0[i] * step[i] * o.n;
        if (fit->newton_decrement < DEC_OK || rounds >= 2)
            break;
        rounds++;
        precondition(m->np, L, o.M);
        memcpy(o.theta0, theta, sizeof(double) * m->np);
        res = minimise(&o, 1e-3 / sqrt(o.n), maxeval, theta);
    }

    fit->evaluations = o.evals - full_evals_before;
    fit->log_likelihood = -c.f0 * o.n;
    fit->gradient_max = 0.0;
    fit->gradient_check = c.check;
    for (int i = 0; i < m->np; i++) {
        fit->params[i] = exp(theta[i]);
        fit->se[i] = 0.0;
        if (fabs(c.g0[i] * o.n) > fit->gradient_max)
            fit->gradient_max = fabs(c.g0[i] * o.n);
    }
    if (!why && pd) {
        fit->hessian_ok = 1;
        for (int i = 0; i < m->np; i++) {
            double e[NP] = {0}, x[NP];
            e[i] = 1.0;
            chol_solve(m->np, L, e, x);
            fit->se[i] = fit->params[i] * sqrt(x[i] / o.n);
        }
        if (fit->newton_decrement >= DEC_OK)
            why = "the optimiser stopped before the maximum (the gradient does not vanish)";
        else if (c.check > 1e-3)
            why = "the analytic gradient disagrees with the likelihood's finite differences";
        else if (res == NLOPT_MAXEVAL_REACHED)
            why = "the optimiser reached its evaluation limit";
        else {
            for (int i = 0; i < m->np; i++)
                if (fabs(theta[i]) >= BOX - 1.0)
                    why = "a parameter ran to the edge of its range (the data cannot pin it down)";
        }
    }
    if (!why) {
        fit->converged = 1;
        snprintf(fit->message, sizeof fit->message, "converged");
    } else {
        snprintf(fit->message, sizeof fit->message, "%s", why);
    }
    return 0;
}
