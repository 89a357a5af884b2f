/* test_rows.c: collapsing customers into distinct weighted rows grouped by x, against a plain quadratic
 * reference (distinct rows, their weights, groups by ascending x), on day-resolution times (the
 * numbered-values path) and continuous times (the general path), with a subsample stride and a keep mask;
 * the value indexes must point at the row's own a and b, and two builds must be identical. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>

#include <cmocka.h>

#include "birebir/sim.h"
#include "model/rows.h"

enum { N = 2500 };

static int32_t x[N];
static double a[N], b[N];
static unsigned char keep[N];

static void data(int days)
{
    bb_rng g;
    bb_rng_seed(&g, 3);
    for (size_t i = 0; i < N; i++) {
        x[i] = (int32_t)(bb_rng_uniform(&g) * bb_rng_uniform(&g) * 9.0);
        b[i] = 4.0 * bb_rng_uniform(&g);
        a[i] = x[i] ? b[i] * bb_rng_uniform(&g) : 0.0;
        if (days) {
            b[i] = floor(b[i] * 7.0) / 7.0;
            a[i] = floor(a[i] * 7.0) / 7.0;
        }
        keep[i] = i % 7 != 3;
    }
}

/* Against the reference: as many rows as distinct (x, a, b) among the customers taken (counted by linear
 * search), no row twice, each row's weight the number of its customers, groups in ascending x. */
static void check(const bb__rows *R, const unsigned char *kp, size_t stride, size_t offset)
{
    size_t distinct = 0, total = 0;
    for (size_t i = offset; i < N; i += stride) {
        if (kp && !kp[i])
            continue;
        total++;
        size_t j = offset;
        while (j < i && ((kp && !kp[j]) || x[j] != x[i] || a[j] != a[i] || b[j] != b[i]))
            j += stride;
        distinct += j == i;
    }
    assert_int_equal(R->n, distinct);
    assert_true(R->total == (double)total);
    double sw = 0.0;
    size_t g = 0;
    for (size_t r = 0; r < R->n; r++) {
        assert_true(R->ia[r] < R->nvals && R->ib[r] < R->nvals);
        assert_true(R->vals[R->ia[r]] == R->a[r] && R->vals[R->ib[r]] == R->b[r]);
        if (r > 0 && R->x[r] != R->x[r - 1]) {
            assert_true(R->x[r] > R->x[r - 1]);
            g++;
        }
        assert_true(r >= R->gstart[g] && r < R->gstart[g + 1] && R->gx[g] == R->x[r]);
        for (size_t q = R->gstart[g]; q < r; q++)
            assert_false(R->a[q] == R->a[r] && R->b[q] == R->b[r]);
        size_t c = 0;
        for (size_t i = offset; i < N; i += stride)
            c += (!kp || kp[i]) && x[i] == R->x[r] && a[i] == R->a[r] && b[i] == R->b[r];
        assert_true(R->w[r] == (double)c);
        sw += R->w[r];
    }
    assert_int_equal(R->ngroups, g + 1);
    assert_true(sw == (double)total);
}

/* Two builds of the same input are identical (the order is part of the fit's arithmetic). */
static void same_twice(const unsigned char *kp, size_t stride, size_t offset)
{
    bb__rows R, S;
    assert_int_equal(bb__rows_build(&R, x, a, b, kp, N, stride, offset), 0);
    assert_int_equal(bb__rows_build(&S, x, a, b, kp, N, stride, offset), 0);
    assert_int_equal(R.n, S.n);
    for (size_t r = 0; r < R.n; r++)
        assert_true(R.x[r] == S.x[r] && R.a[r] == S.a[r] && R.b[r] == S.b[r] && R.w[r] == S.w[r]);
    bb__rows_release(&R);
    bb__rows_release(&S);
}

static void collapses_like_the_reference(void **state)
{
    (void)state;
    for (int days = 1; days >= 0; days--) {
        data(days);
        bb__rows R;
        assert_int_equal(bb__rows_build(&R, x, a, b, NULL, N, 1, 0), 0);
        if (days)
            assert_true(R.n < N / 2 && R.nvals <= 29); /* day times collapse and share few values */
        else
            assert_true(R.nvals == 2 * R.n);
        check(&R, NULL, 1, 0);
        bb__rows_release(&R);
        assert_int_equal(bb__rows_build(&R, x, a, b, keep, N, 5, 2), 0);
        check(&R, keep, 5, 2);
        bb__rows_release(&R);
        same_twice(NULL, 1, 0);
        same_twice(keep, 3, 1);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(collapses_like_the_reference),
    };
    return cmocka_run_group_tests_name("rows", tests, NULL, NULL);
}
