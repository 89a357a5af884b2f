/* progress.h: a one-line progress bar on a terminal (rows, rows/s, and percent plus ETA when the total
 * size is known), redrawn at most ten times a second; silent when the stream is not a terminal, so
 * pipes and log files stay clean. The caller owns the struct. */
#ifndef BIREBIR_PROGRESS_H
#define BIREBIR_PROGRESS_H

#include <stdint.h>
#include <stdio.h>

typedef enum bb_progress_mode {
    BB_PROGRESS_AUTO = 0,  /* draw only when the stream is a terminal */
    BB_PROGRESS_NEVER = 1,
    BB_PROGRESS_ALWAYS = 2, /* draw whatever the stream is (tests) */
} bb_progress_mode;

typedef struct bb_progress {
    FILE *out;
    int active;          /* drawing at all */
    char label[64];      /* "orders.csv" */
    int64_t total;       /* bytes to process, or <= 0 when unknown */
    int64_t rows, done;  /* last reported */
    double start, last;  /* monotonic seconds: start, last redraw */
    unsigned calls;      /* updates since the clock was last read */
    int drawn;           /* a line is on screen */
} bb_progress;

/* Starts a progress line on out labelled label; total is the byte count to expect (<= 0: unknown). */
void bb_progress_init(bb_progress *p, FILE *out, bb_progress_mode mode, const char *label,
                      int64_t total);
/* Reports rows processed and bytes done so far. Cheap: the clock is read at most every 64 calls and
 * the line redrawn at most every 0.1 s (call it every few dozen rows). */
void bb_progress_update(bb_progress *p, int64_t rows, int64_t done);
/* Erases the line (the caller prints its own summary). Accepts NULL. */
void bb_progress_release(bb_progress *p);

/* Monotonic seconds (for rates and timings). */
double bb_progress_now(void);

#endif
