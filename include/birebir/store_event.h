/* store_event.h: what the server's writer needs from the store to apply many events in one durable
 * transaction: event ids already seen (so a re-sent event is not applied twice), savepoints (so one bad
 * event is undone without undoing its batch), and the durability of commits. */
#ifndef BIREBIR_STORE_EVENT_H
#define BIREBIR_STORE_EVENT_H

#include <stdint.h>

#include "birebir/store.h"

/* Records an event id. *is_new is 1 when the id was not seen before (the event must be applied now, in
 * the same transaction), 0 when it was (a duplicate: apply nothing). BB_ECONFLICT when the id was seen
 * with another type of event. */
int bb_store_event_mark(bb_store *s, const char *event_id, const char *type, int64_t now,
                        int *is_new, bb_error *err) BB_MUST_USE;
/* 1 when the event id was seen, 0 when not, negative on error. */
int bb_store_event_seen(bb_store *s, const char *event_id, bb_error *err);

/* Savepoints nest inside a transaction (bb_store_begin): open one, then either release it (keep its
 * changes in the transaction) or roll back to it (undo them; the transaction goes on). */
int bb_store_savepoint(bb_store *s, bb_error *err) BB_MUST_USE;
int bb_store_savepoint_release(bb_store *s, bb_error *err) BB_MUST_USE;
void bb_store_savepoint_rollback(bb_store *s);

/* How durable a commit is. BB_STORE_DURABLE_PROCESS: survives a crash of the process (kill -9), not
 * necessarily a power loss (the default). BB_STORE_DURABLE_POWER: each commit is on disk (fsync) before
 * bb_store_commit returns. */
typedef enum bb_store_durability {
    BB_STORE_DURABLE_PROCESS = 1,
    BB_STORE_DURABLE_POWER = 2,
} bb_store_durability;
int bb_store_set_durability(bb_store *s, bb_store_durability d, bb_error *err) BB_MUST_USE;

#endif
