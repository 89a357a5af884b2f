/* columns.c: the kinds of import, their canonical columns, and matching a file's header to them
 * (bb_import_mapper_new): case-insensitive and trimmed, --map SRC=DEST first, "id:<kind>" and custom
 * attribute columns for customers. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "birebir/money.h"
#include "ingest/mapper_impl.h"

static const char *const cols_customers[] = {"customer_id", "first_name", "last_name", "email",
                                              "phone", "city", "birth_date", "gender", "created_at",
                                              NULL};
static const char *const cols_products[] = {"sku", "name", "category", "price", "cost", "currency",
                                            NULL};
static const char *const cols_orders[] = {"order_id", "customer_id", "ordered_at", "amount",
                                          "currency", "channel", NULL};
static const char *const cols_lines[] = {"order_id", "customer_id", "ordered_at", "sku", "quantity",
                                         "unit_price", "currency", "line_no", NULL};
static const char *const cols_interactions[] = {"customer_id", "occurred_at", "channel", "direction",
                                                "kind", "subject", "body", NULL};
static const char *const cols_consents[] = {"customer_id", "channel", "status", "source",
                                            "recorded_at", NULL};
static const char *const cols_surveys[] = {"customer_id", "survey", "score", "comment",
                                           "responded_at", NULL};

static const struct {
    const char *name, *alias;
    const char *const *cols;
    unsigned required;
} kinds[BB_IMPORT_NKINDS] = {
    [BB_IMPORT_CUSTOMERS] = {"customers", NULL, cols_customers, 1u << C_ID},
    [BB_IMPORT_PRODUCTS] = {"products", NULL, cols_products, 1u << P_SKU},
    [BB_IMPORT_ORDERS] = {"orders", NULL, cols_orders, 1u << O_ID | 1u << O_CUST | 1u << O_AT},
    [BB_IMPORT_ORDER_LINES] = {"order-lines", "order_lines", cols_lines,
                               1u << L_ORDER | 1u << L_CUST | 1u << L_AT | 1u << L_SKU |
                                   1u << L_QTY | 1u << L_PRICE},
    [BB_IMPORT_INTERACTIONS] = {"interactions", NULL, cols_interactions,
                                1u << I_CUST | 1u << I_AT | 1u << I_CHANNEL | 1u << I_DIR},
    [BB_IMPORT_CONSENTS] = {"consents", NULL, cols_consents,
                            1u << K_CUST | 1u << K_CHANNEL | 1u << K_STATUS | 1u << K_AT},
    [BB_IMPORT_SURVEYS] = {"survey-responses", "surveys", cols_surveys,
                           1u << S_CUST | 1u << S_SURVEY | 1u << S_SCORE | 1u << S_AT},
};

int bb_import_kind_parse(const char *name, bb_import_kind *out, bb_error *err)
{
    for (int k = 0; k < BB_IMPORT_NKINDS; k++) {
        if (strcmp(name, kinds[k].name) == 0 || (kinds[k].alias && strcmp(name, kinds[k].alias) == 0) ||
            (k == BB_IMPORT_SURVEYS && strcmp(name, "survey_responses") == 0)) {
            *out = (bb_import_kind)k;
            return 0;
        }
    }
    return bb_error_set(err, BB_EUSAGE,
                        "unknown kind \"%s\" (customers, products, orders, order-lines, interactions, "
                        "consents, survey-responses)", name);
}

const char *bb_import_kind_name(bb_import_kind k)
{
    return k < BB_IMPORT_NKINDS ? kinds[k].name : "?";
}

const char *const *bb_import_columns(bb_import_kind k, unsigned *required)
{
    if (required)
        *required = kinds[k].required;
    return kinds[k].cols;
}

/* A trimmed copy of s (spaces, tabs). NULL when out of memory. */
static char *trim_dup(const char *s)
{
    size_t n;
    while (*s == ' ' || *s == '\t')
        s++;
    n = strlen(s);
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
        n--;
    return bb_strndup(s, n);
}

void bb_import_mapper_free(bb_import_mapper *m)
{
    if (!m)
        return;
    for (int i = 0; i < BB__MAX_COLS; i++)
        free(m->label[i]);
    for (size_t i = 0; i < m->n_attrs; i++)
        free(m->attr_name[i]);
    for (size_t i = 0; i < m->n_idents; i++)
        free(m->ident_kind[i]);
    free(m->attr_col);
    free(m->attr_name);
    free(m->ident_col);
    free(m->ident_kind);
    free(m->idents);
    free(m->ignored);
    free(m->scratch);
    bb_buf_release(&m->attrs);
    free(m);
}

/* The header as a list for messages: "a, b, c". */
static void header_list(const char *const *h, size_t n, char *buf, size_t size)
{
    size_t used = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < n && used + 1 < size; i++)
        used += (size_t)snprintf(buf + used, size - used, "%s%s", i ? ", " : "", h[i]);
}

static int add_extra(int **cols, char ***names, size_t *count, int col, const char *name)
{
    int *c = realloc(*cols, (*count + 1) * sizeof *c);
    char **nm;
    if (!c)
        return BB_ENOMEM;
    *cols = c;
    nm = realloc(*names, (*count + 1) * sizeof *nm);
    if (!nm)
        return BB_ENOMEM;
    *names = nm;
    nm[*count] = bb_strdup(name);
    if (!nm[*count])
        return BB_ENOMEM;
    c[*count] = col;
    (*count)++;
    return 0;
}

/* Places header column i (its name after --map is dest, as written is name). */
static int place(bb_import_mapper *m, size_t i, const char *name, const char *dest, bb_buf *ignored,
                 bb_error *err)
{
    const char *const *cols = kinds[m->o.kind].cols;
    for (int c = 0; cols[c]; c++) {
        if (strcasecmp(dest, cols[c]) != 0)
            continue;
        if (m->col[c] >= 0)
            return bb_error_set(err, BB_EINVAL, "two columns give %s: \"%s\" and \"%s\"", cols[c],
                                m->label[c], name);
        m->col[c] = (int)i;
        m->label[c] = strcasecmp(name, cols[c]) == 0 ? bb_strdup(cols[c]) : NULL;
        if (!m->label[c]) {
            size_t n = strlen(name) + strlen(cols[c]) + 4;
            m->label[c] = malloc(n);
            if (m->label[c])
                snprintf(m->label[c], n, "%s (%s)", name, cols[c]);
        }
        return m->label[c] ? 0 : bb_error_set(err, BB_ENOMEM, "out of memory");
    }
    if (m->o.kind == BB_IMPORT_CUSTOMERS && strncasecmp(dest, "id:", 3) == 0 && dest[3]) {
        if (add_extra(&m->ident_col, &m->ident_kind, &m->n_idents, (int)i, dest + 3) != 0)
            return bb_error_set(err, BB_ENOMEM, "out of memory");
        for (char *k = m->ident_kind[m->n_idents - 1]; *k; k++) /* kinds are lower case: "till" */
            if (*k >= 'A' && *k <= 'Z')
                *k = (char)(*k - 'A' + 'a');
        return 0;
    }
    if (m->o.kind == BB_IMPORT_CUSTOMERS && *dest) {
        if (add_extra(&m->attr_col, &m->attr_name, &m->n_attrs, (int)i, dest) != 0)
            return bb_error_set(err, BB_ENOMEM, "out of memory");
        return 0;
    }
    if (*name && (ignored->len && bb_buf_adds(ignored, ", ") != 0))
        return bb_error_set(err, BB_ENOMEM, "out of memory");
    if (*name && bb_buf_adds(ignored, name) != 0)
        return bb_error_set(err, BB_ENOMEM, "out of memory");
    return 0;
}

int bb_import_mapper_new(const bb_import_options *o, const char *const *header, size_t n,
                         bb_import_mapper **out, bb_error *err)
{
    bb_import_mapper *m = calloc(1, sizeof *m);
    char **names = NULL, list[400];
    bb_buf ignored;
    unsigned required = kinds[o->kind].required;
    int rc = 0;
    bb_buf_init(&ignored, 0);
    *out = NULL;
    if (!m || !(names = calloc(n ? n : 1, sizeof *names))) {
        rc = bb_error_set(err, BB_ENOMEM, "out of memory");
        goto done;
    }
    m->o = *o;
    m->width = n;
    bb_buf_init(&m->attrs, 0);
    for (int c = 0; c < BB__MAX_COLS; c++)
        m->col[c] = -1;
    if ((rc = bb_money_code_parse(o->currency ? o->currency : "TRY", m->currency, err)) != 0)
        goto done;
    for (size_t i = 0; i < n; i++)
        if (!(names[i] = trim_dup(header[i]))) {
            rc = bb_error_set(err, BB_ENOMEM, "out of memory");
            goto done;
        }
    header_list((const char *const *)names, n, list, sizeof list);
    for (size_t k = 0; k < o->n_maps; k++) {
        size_t i = 0;
        while (i < n && strcasecmp(names[i], o->maps[k].src) != 0)
            i++;
        if (i == n) {
            rc = bb_error_set(err, BB_EINVAL, "--map %s=%s: the header has no column \"%s\" (it has: %s)",
                              o->maps[k].src, o->maps[k].dest, o->maps[k].src, list);
            goto done;
        }
    }
    for (size_t i = 0; i < n; i++) {
        const char *dest = names[i];
        for (size_t k = 0; k < o->n_maps; k++)
            if (strcasecmp(names[i], o->maps[k].src) == 0)
                dest = strcmp(o->maps[k].dest, "-") == 0 ? "" : o->maps[k].dest;
        if (*dest == '\0' && dest != names[i])
            continue; /* mapped away */
        if ((rc = place(m, i, names[i], dest, &ignored, err)) != 0)
            goto done;
    }
    for (int c = 0; kinds[o->kind].cols[c]; c++)
        if ((required >> c & 1) && m->col[c] < 0) {
            rc = bb_error_set(err, BB_EINVAL,
                              "no %s column (the header has: %s; name one with --map SRC=%s)",
                              kinds[o->kind].cols[c], list, kinds[o->kind].cols[c]);
            goto done;
        }
    if (m->n_idents && !(m->idents = calloc(m->n_idents, sizeof *m->idents))) {
        rc = bb_error_set(err, BB_ENOMEM, "out of memory");
        goto done;
    }
    if (!(m->ignored = bb_buf_take(&ignored)))
        rc = bb_error_set(err, BB_ENOMEM, "out of memory");
done:
    for (size_t i = 0; names && i < n; i++)
        free(names[i]);
    free(names);
    bb_buf_release(&ignored);
    if (rc) {
        bb_import_mapper_free(m);
        return rc;
    }
    *out = m;
    return 0;
}

const char *bb_import_mapper_ignored(const bb_import_mapper *m)
{
    return m->ignored ? m->ignored : "";
}

size_t bb_import_mapper_width(const bb_import_mapper *m)
{
    return m->width;
}
