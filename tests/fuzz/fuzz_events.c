/* fuzz_events.c: the events parser of POST /api/v1/events (api_events.c) on any bytes: as one JSON
 * document when the first byte is even, as NDJSON when it is odd. It must never crash, leak or read
 * out of bounds, and every rejection must say where. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "api/api_events.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    bb__event_batch b;
    bb_error err = {0};
    int status = 0;
    if (size == 0)
        return 0;
    if (bb__events_parse((const char *)data + 1, size - 1, data[0] & 1, 1000, 1790000000, &b, &err) == 0) {
        json_t *ans = bb__events_answer(&b, &status);
        for (size_t i = 0; i < b.n; i++)
            if (b.ev[i].state == BB__EV_REJECTED && !b.ev[i].err.where[0] && !b.single)
                abort(); /* a rejection in a list always names its place */
        json_decref(ans);
    }
    bb__event_batch_release(&b);
    return 0;
}
