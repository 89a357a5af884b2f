/* fixture_customers.c: fills a database (argv[1]) with a few customers through the store's puts, for
 * the customers integration test: Turkish names and cities, orders from lines, consents,
 * interactions, a survey answer, and planted duplicates (same email, same phone, similar names). */
#include <stdio.h>

#include "birebir/store.h"

#define T0 1736035200 /* 2025-01-05 */

static int fail(const bb_error *e)
{
    fprintf(stderr, "fixture: %s\n", e->msg);
    return 1;
}

int main(int argc, char **argv)
{
    bb_store *s = NULL;
    bb_error e = {0};
    bb_put_result r;
    bb_put_stats st = {0};
    if (argc != 2 || bb_store_open(argv[1], BB_STORE_CREATE, &s, &e) != 0)
        return argc == 2 ? fail(&e) : 2;
    bb_customer_rec cs[] = {
        {.customer_id = "1", .first_name = "Ayşe", .last_name = "IŞIK", .email = "ayse@example.com",
         .phone = "0532 123 45 67", .city = "İSTANBUL", .attributes_json = "{\"segment\":\"gold\"}"},
        {.customer_id = "2", .first_name = "Can", .last_name = "Öztürk", .email = "can@example.com",
         .city = "İzmir"},
        {.customer_id = "3", .first_name = "Ayse", .last_name = "Isik", .email = "AYSE@example.com"},
        {.customer_id = "4", .first_name = "Mehmet", .last_name = "Yılmaz", .phone = "+90 555 000 11 22",
         .city = "Ankara"},
        {.customer_id = "5", .first_name = "Mehmet", .last_name = "Yilmaz", .phone = "05550001122"},
        {.customer_id = "6", .first_name = "Zeynep", .last_name = "Çelik", .city = "Bursa"},
    };
    if (bb_store_begin(s, &e) != 0)
        return fail(&e);
    for (size_t i = 0; i < sizeof cs / sizeof *cs; i++)
        if (bb_store_put_customer(s, &cs[i], &r, &st, &e) != 0)
            return fail(&e);
    bb_product_rec p = {.sku = "CAY", .name = "Çay 1 kg", .category = "içecek", .price_minor = 25000,
                        .has_price = 1, .cost_minor = 15000, .has_cost = 1};
    if (bb_store_put_product(s, &p, &r, &st, &e) != 0)
        return fail(&e);
    for (int i = 0; i < 12; i++) { /* customer 1: 12 orders of 1 or 2 lines */
        char oid[16];
        snprintf(oid, sizeof oid, "A%02d", i);
        for (int k = 1; k <= 1 + i % 2; k++) {
            bb_order_line_rec l = {.order_id = oid, .customer_ref = "1", .ordered_at = T0 + i * 86400,
                                   .sku = k == 1 ? "CAY" : "SIMIT", .quantity = k, .unit_price_minor = 25000,
                                   .line_no = k};
            if (bb_store_put_order_line(s, &l, &r, &st, &e) != 0)
                return fail(&e);
        }
    }
    bb_order_rec o = {.order_id = "B1", .customer_ref = "can@example.com", .ordered_at = T0,
                      .amount_minor = 4510, .has_amount = 1, .channel = "web"};
    bb_consent_rec k1 = {.customer_ref = "1", .channel = "email", .status = "granted", .source = "web",
                         .recorded_at = T0};
    bb_consent_rec k2 = {.customer_ref = "1", .channel = "sms", .status = "revoked", .source = "call",
                         .recorded_at = T0 + 60};
    bb_interaction_rec it = {.customer_ref = "1", .occurred_at = T0 + 3600, .channel = "call",
                             .direction = "in", .kind = "complaint", .subject = "Geç teslimat"};
    bb_survey_rec sv = {.customer_ref = "1", .survey = "nps", .score = 6, .comment = "idare eder",
                        .responded_at = T0 + 7200};
    if (bb_store_put_order(s, &o, &r, &st, &e) != 0 || bb_store_put_consent(s, &k1, &r, &st, &e) != 0 ||
        bb_store_put_consent(s, &k2, &r, &st, &e) != 0 ||
        bb_store_put_interaction(s, &it, &r, &st, &e) != 0 ||
        bb_store_put_survey(s, &sv, &r, &st, &e) != 0 || bb_store_commit(s, &e) != 0)
        return fail(&e);
    bb_store_close(s);
    return 0;
}
