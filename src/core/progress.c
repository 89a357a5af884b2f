/* progress.c: the terminal progress line (progress.h). */
#include "birebir/progress.h"

#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

double bb_progress_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void bb_progress_init(bb_progress *p, FILE *out, bb_progress_mode mode, const char *label,
                      int64_t total)
{
    memset(p, 0, sizeof *p);
    p->out = out;
    p->total = total;
    snprintf(p->label, sizeof p->label, "%s", label ? label : "");
    if (mode == BB_PROGRESS_ALWAYS)
        p->active = out != NULL;
    else if (mode == BB_PROGRESS_AUTO)
        p->active = out != NULL && isatty(fileno(out));
    p->start = p->last = bb_progress_now();
}

/* "1.2M", "350k", "999" */
static void human(double v, char *buf, size_t size)
{
    if (v >= 1e6)
        snprintf(buf, size, "%.1fM", v / 1e6);
    else if (v >= 1e4)
        snprintf(buf, size, "%.0fk", v / 1e3);
    else
        snprintf(buf, size, "%.0f", v);
}

static void draw(bb_progress *p, double now)
{
    double el = now - p->start, rate = el > 0 ? (double)p->rows / el : 0;
    char rows[32], rs[32];
    human((double)p->rows, rows, sizeof rows);
    human(rate, rs, sizeof rs);
    if (p->total > 0 && p->done > 0) {
        double frac = (double)p->done / (double)p->total;
        double eta = frac > 0 ? el / frac - el : 0;
        char bar[21];
        int fill = (int)(frac * 20 + 0.5);
        if (frac > 1)
            frac = 1, fill = 20;
        if (eta < 0)
            eta = 0;
        for (int i = 0; i < 20; i++)
            bar[i] = i < fill ? '#' : '.';
        bar[20] = '\0';
        fprintf(p->out, "\r%s [%s] %3.0f%%  %s rows  %s rows/s  ETA %d:%02d \033[K", p->label, bar,
                frac * 100, rows, rs, (int)(eta / 60), (int)eta % 60);
    } else {
        fprintf(p->out, "\r%s  %s rows  %s rows/s \033[K", p->label, rows, rs);
    }
    fflush(p->out);
    p->drawn = 1;
}

void bb_progress_update(bb_progress *p, int64_t rows, int64_t done)
{
    double now;
    if (!p->active)
        return;
    p->rows = rows;
    p->done = done;
    if (++p->calls < 64 && p->drawn)
        return;
    p->calls = 0;
    now = bb_progress_now();
    if (now - p->last < 0.1 && p->drawn)
        return;
    p->last = now;
    draw(p, now);
}

void bb_progress_release(bb_progress *p)
{
    if (!p || !p->active)
        return;
    if (p->drawn) {
        fputs("\r\033[K", p->out);
        fflush(p->out);
    }
    p->active = 0;
    p->drawn = 0;
}
