/* pnbd.c: the Pareto/NBD model: log-likelihood with its analytic gradient, the fit, P(alive) and the
 * conditional expectation.
 *
 * Per customer L = Gamma(r+x) alpha^r beta^s / Gamma(r) * B, with the bracket
 *   B = (alpha+T)^-(r+x) (beta+T)^-s + s I,   I = integral_{t_x}^{T} (alpha+u)^-(r+x) (beta+u)^-(s+1) du
 * (the customer alive at T, or dead at some u in (t_x, T]). Fader & Hardie write s I with Gauss
 * hypergeometric functions 2F1(r+s+x, s+1; r+s+x+1; z) (alpha >= beta) or 2F1(r+s+x, r+x; r+s+x+1; z)
 * (alpha < beta), which overflow for large x and lose all precision as the difference of two large terms.
 * We use Euler's transformation, 2F1(m, b; m+1; z) = (1-z)^(1-b) 2F1(1, m+1-b; m+1; z), which turns
 * each into sum_k a_k z^k with a_k = (c)_k / (m+1)_k, c < m+1: positive terms, ratio below z. Then
 *   B = Pref * [c0 + (s/m) S],  S = sum_k a_k z^k (1 - rho0 rho1^k),
 * where the difference of the two hypergeometric terms is taken term by term with 1 - rho0 rho1^k built
 * up by exact positive increments, so nothing cancels. When z > ZCUT the series would be slow and the
 * integral is computed directly by Gauss-Legendre panels in q = ln(min(alpha, beta) + u), where the
 * integrand is smooth and log-concave. Both give the gradient in the same pass. */
#include "birebir/pnbd.h"

#include <math.h>
#include <string.h>

#include "model/btyd.h"
#include "model/special.h"

#define ZCUT 0.7
#define KMAX 256 /* enough terms for z <= ZCUT: ZCUT^KMAX < 1e-39 */

/* What depends on the parameters and x only (one per distinct x). */
typedef struct pgroup {
    double r, al, s, be;
    double rx, m;   /* r + x, r + s + x */
    int case_a;     /* alpha >= beta */
    double c;       /* the series' upper parameter: r + x (case A) or s + 1 (case B) */
    int kn;         /* coefficients computed */
    double ak[KMAX], hc[KMAX], hm[KMAX]; /* a_k, sum_{j<k} 1/(c+j), sum_{j<k} 1/(m+1+j) */
} pgroup;

static void group_init(pgroup *G, const double *p, int32_t x)
{
    G->r = p[0];
    G->al = p[1];
    G->s = p[2];
    G->be = p[3];
    G->rx = G->r + x;
    G->m = G->rx + G->s;
    G->case_a = G->al >= G->be;
    G->c = G->case_a ? G->rx : G->s + 1.0;
    G->kn = 0;
}

static void group_coefficients(pgroup *G)
{
    double a = 1.0, hc = 0.0, hm = 0.0;
    for (int k = 0; k < KMAX; k++) {
        G->ak[k] = a;
        G->hc[k] = hc;
        G->hm[k] = hm;
        a *= (G->c + k) / (G->m + 1.0 + k);
        hc += 1.0 / (G->c + k);
        hm += 1.0 / (G->m + 1.0 + k);
        if (a < 1e-300)
            a = 0.0;
    }
    G->kn = KMAX;
}

/* ln B and d ln B / d(r, alpha, s, beta) by the series (z <= ZCUT). */
static double bracket_series(pgroup *G, double tx, double T, double z, double *g)
{
    double al = G->al, s = G->s, be = G->be, rx = G->rx, m = G->m;
    double uat = al + tx, ubt = be + tx, dT = T - tx;
    double lat = log(uat), lbt = log(ubt);
    double lA = log1p(dT / uat), lB = log1p(dT / ubt); /* ln((alpha+T)/(alpha+t_x)), same for beta */
    double dlA = -dT / ((al + T) * uat), dlB = -dT / ((be + T) * ubt); /* d lA / d alpha, d lB / d beta */
    double e0, rho1, one_m_rho1, lnpref, lc0;
    double dpref[4], de0[4], dlc0[4], dz[4] = {0}, drho1[4] = {0};
    int A = G->case_a;

    if (!G->kn)
        group_coefficients(G);
    if (A) {
        lnpref = -rx * lat - s * lbt;
        dpref[0] = -lat;
        dpref[1] = -rx / uat;
        dpref[2] = -lbt;
        dpref[3] = -s / ubt;
        e0 = -rx * lA - s * lB;
        de0[0] = -lA;
        de0[1] = -rx * dlA;
        de0[2] = -lB;
        de0[3] = -s * dlB;
        lc0 = e0;
        memcpy(dlc0, de0, sizeof dlc0);
        rho1 = uat / (al + T);
        one_m_rho1 = dT / (al + T);
        dz[1] = ubt / (uat * uat);
        dz[3] = -1.0 / uat;
        drho1[1] = dT / ((al + T) * (al + T));
    } else {
        lnpref = -(rx - 1.0) * lat - (s + 1.0) * lbt;
        dpref[0] = -lat;
        dpref[1] = -(rx - 1.0) / uat;
        dpref[2] = -lbt;
        dpref[3] = -(s + 1.0) / ubt;
        e0 = -(rx - 1.0) * lA - (s + 1.0) * lB;
        de0[0] = -lA;
        de0[1] = -(rx - 1.0) * dlA;
        de0[2] = -lB;
        de0[3] = -(s + 1.0) * dlB;
        lc0 = e0 + log((be + T) / (al + T));
        memcpy(dlc0, de0, sizeof dlc0);
        dlc0[1] -= 1.0 / (al + T);
        dlc0[3] += 1.0 / (be + T);
        rho1 = ubt / (be + T);
        one_m_rho1 = dT / (be + T);
        dz[1] = -1.0 / ubt;
        dz[3] = uat / (ubt * ubt);
        drho1[3] = dT / ((be + T) * (be + T));
    }
    /* the series and its partial derivatives */
    double ek = exp(e0), dk = -expm1(e0), zk = 1.0, zkm1 = 0.0, H = 0.0;
    double S = 0.0, Sc = 0.0, Sm = 0.0, Sz = 0.0, Se = 0.0, Sr = 0.0;
    for (int k = 0; k < KMAX; k++) {
        double u = G->ak[k] * zk, ud = u * dk;
        H += u;
        S += ud;
        Sc += ud * G->hc[k];
        Sm -= ud * G->hm[k];
        Sz += k * G->ak[k] * zkm1 * dk;
        Se -= u * ek;
        Sr -= u * ek * k;
        if (u * (k + 1.0) <= 1e-17 * H * (1.0 - z) * (1.0 - z) && k > 0)
            break;
        dk += ek * one_m_rho1;
        ek *= rho1;
        zkm1 = zk;
        zk *= z;
    }
    /* D = c0 + (s/m) S */
    double c0 = exp(lc0), sm = s / m, D = c0 + sm * S;
    double dsm[4] = {-s / (m * m), 0.0, rx / (m * m), 0.0};
    double dc[4] = {A ? 1.0 : 0.0, 0.0, A ? 0.0 : 1.0, 0.0}; /* d c / d param */
    double dmm[4] = {1.0, 0.0, 1.0, 0.0};
    for (int i = 0; i < 4; i++) {
        double dS = Sc * dc[i] + Sm * dmm[i] + Sz * dz[i] + Se * de0[i] + (rho1 > 0 ? Sr / rho1 : 0.0) * drho1[i];
        g[i] = dpref[i] + (c0 * dlc0[i] + dsm[i] * S + sm * dS) / D;
    }
    return lnpref + log(D);
}

/* ln B and its gradient by quadrature of the integral (any z). */
static double bracket_quadrature(const pgroup *G, double tx, double T, double *g)
{
    double al = G->al, s = G->s, be = G->be, rx = G->rx;
    double c = al < be ? al : be, da = al - c, db = be - c;
    double lat = log(al + tx), lbt = log(be + tx);
    double F0 = -rx * lat - (s + 1.0) * lbt; /* ln of the integrand at u = t_x, where it is largest */
    double I = 0.0, Jr = 0.0, Ja = 0.0, Js = 0.0, Jb = 0.0;
    double q = log(c + tx), q1 = log(c + T);
    /* h(q) = ln(integrand * du/dq) - F0; h' = 1 - rx e^q/(alpha+u) - (s+1) e^q/(beta+u), decreasing */
#define HPRIME(qq) (1.0 - rx * exp(qq) / (exp(qq) + da) - (s + 1.0) * exp(qq) / (exp(qq) + db))
    while (q < q1) {
        double hp = fabs(HPRIME(q)), w = q1 - q;
        if (w > 2.0)
            w = 2.0;
        if (hp * w > 4.0)
            w = 4.0 / hp;
        double hp2 = fabs(HPRIME(q + w));
        if (hp2 * w > 4.0)
            w = 4.0 / hp2;
        double mid = q + 0.5 * w, half = 0.5 * w, panel = 0.0;
        for (int i = 0; i < 10; i++) {
            double qi = mid + half * bb__gl10_x[i], eq = exp(qi);
            double ua = eq + da, ub = eq + db;
            double la = da == 0.0 ? qi : log(ua), lb = db == 0.0 ? qi : log(ub);
            /* the integrand times du/dq = e^q, scaled by e^-F0 */
            double v = half * bb__gl10_w[i] * exp(-rx * (la - lat) - (s + 1.0) * (lb - lbt)) * eq;
            panel += v;
            Jr += v * la;
            Ja += v / ua;
            Js += v * lb;
            Jb += v / ub;
        }
        I += panel;
        q += w;
        /* past the peak the rest is at most e^h(q) / |h'(q)| (h concave); stop when negligible */
        double hq = HPRIME(q);
        if (hq < 0.0) {
            double eq = exp(q);
            double lh = -rx * (log(eq + da) - lat) - (s + 1.0) * (log(eq + db) - lbt) + q;
            if (exp(lh) / -hq <= 1e-17 * I)
                break;
        }
    }
#undef HPRIME
    /* B e^-F0 = p + s I, p = (alpha+T)^-rx (beta+T)^-s e^-F0 */
    double lat1 = log(al + T), lbt1 = log(be + T);
    double p = exp(-rx * (lat1 - lat) - s * (lbt1 - lbt) + lbt);
    double Bs = p + s * I;
    g[0] = (-lat1 * p - s * Jr) / Bs;
    g[1] = (-rx / (al + T) * p - s * rx * Ja) / Bs;
    g[2] = (-lbt1 * p + I - s * Js) / Bs;
    g[3] = (-s / (be + T) * p - s * (s + 1.0) * Jb) / Bs;
    return F0 + log(Bs);
}

static double bracket(pgroup *G, double tx, double T, double *g)
{
    double z = G->case_a ? (G->al - G->be) / (G->al + tx) : (G->be - G->al) / (G->be + tx);
    if (T == tx) {
        /* B = (alpha+T)^-(r+x) (beta+T)^-s */
        double la = log(G->al + T), lb = log(G->be + T);
        g[0] = -la;
        g[1] = -G->rx / (G->al + T);
        g[2] = -lb;
        g[3] = -G->s / (G->be + T);
        return -G->rx * la - G->s * lb;
    }
    return z <= ZCUT ? bracket_series(G, tx, T, z, g) : bracket_quadrature(G, tx, T, g);
}

double bb_pnbd_loglik(const double *p, int32_t x, double t_x, double T, double *grad)
{
    pgroup G;
    double g[4];
    group_init(&G, p, x);
    double lb = bracket(&G, t_x, T, g);
    double ll = bb__lgamma(G.rx) - bb__lgamma(G.r) + G.r * log(G.al) + G.s * log(G.be) + lb;
    if (grad) {
        grad[0] = bb__digamma(G.rx) - bb__digamma(G.r) + log(G.al) + g[0];
        grad[1] = G.r / G.al + g[1];
        grad[2] = log(G.be) + g[2];
        grad[3] = G.s / G.be + g[3];
    }
    return ll;
}

double bb__pnbd_nll(const double *theta, double *grad, double *hess, void *data)
{
    (void)hess; /* no analytic Hessian: the driver differentiates the gradient */
    const bb__rows *R = data;
    double p[4] = {exp(theta[0]), exp(theta[1]), exp(theta[2]), exp(theta[3])};
    double lgr = bb__lgamma(p[0]), psr = bb__digamma(p[0]);
    double ll = 0.0, gn[4] = {0};
    pgroup G;

    for (size_t gi = 0; gi < R->ngroups; gi++) {
        int32_t x = R->gx[gi];
        double W = R->gw[gi], g[4], s0 = 0.0, s1[4] = {0};
        group_init(&G, p, x);
        ll += W * (bb__lgamma(G.rx) - lgr + G.r * theta[1] + G.s * theta[3]);
        gn[0] += W * (bb__digamma(G.rx) - psr + theta[1]);
        gn[1] += W * G.r / G.al;
        gn[2] += W * theta[3];
        gn[3] += W * G.s / G.be;
        for (size_t i = R->gstart[gi]; i < R->gstart[gi + 1]; i++) {
            double w = R->w[i];
            s0 += w * bracket(&G, R->a[i], R->b[i], g);
            for (int k = 0; k < 4; k++)
                s1[k] += w * g[k];
        }
        ll += s0;
        for (int k = 0; k < 4; k++)
            gn[k] += s1[k];
    }
    if (grad)
        for (int k = 0; k < 4; k++)
            grad[k] = -gn[k] * p[k];
    return -ll;
}

int bb_pnbd_fit(const int32_t *x, const double *t_x, const double *T, size_t n, const bb_fit_opts *opts,
                bb_fit *fit, bb_error *err)
{
    return bb__btyd_fit(BB_MODEL_PNBD, bb__pnbd_nll, 0, x, t_x, T, n, opts, fit, err);
}

double bb_pnbd_p_alive(const double *p, int32_t x, double t_x, double T)
{
    pgroup G;
    double g[4];
    group_init(&G, p, x);
    double lb = bracket(&G, t_x, T, g);
    double lpt = -G.rx * log(G.al + T) - G.s * log(G.be + T);
    double pa = exp(lpt - lb);
    return pa > 1.0 ? 1.0 : pa;
}

double bb__pnbd_expected_alive(const double *p, int32_t x, double T, double t)
{
    double r = p[0], al = p[1], s = p[2], be = p[3];
    if (!(t > 0.0))
        return 0.0;
    /* (r+x)(beta+T) / ((alpha+T)(s-1)) [1 - ((beta+T)/(beta+T+t))^(s-1)] */
    return (r + x) / (al + T) * (be + T) * bb__expm1_ratio(s - 1.0, log1p(t / (be + T)));
}

double bb_pnbd_expected(const double *p, int32_t x, double t_x, double T, double t)
{
    return bb__pnbd_expected_alive(p, x, T, t) * bb_pnbd_p_alive(p, x, t_x, T);
}
