-- 0001_init: the first cut of every entity (docs/ARCHITECTURE.md). Times are UTC seconds, money is
-- integer minor units plus an ISO 4217 code, JSON columns hold objects. Large tables carry customer_id
-- so a sharded PostgreSQL can partition them by customer.

CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) WITHOUT ROWID;
INSERT INTO meta (key, value) VALUES ('default_currency', 'TRY');

CREATE TABLE customer (
    id          INTEGER PRIMARY KEY,
    external_id TEXT NOT NULL UNIQUE,
    first_name  TEXT,
    last_name   TEXT,
    email       TEXT,
    phone       TEXT,
    city        TEXT,
    birth_date  TEXT,                          -- YYYY-MM-DD
    gender      TEXT,
    attributes  TEXT NOT NULL DEFAULT '{}',    -- custom attributes, a JSON object
    search_text TEXT NOT NULL DEFAULT '',      -- names, contacts and city folded by Turkish rules
    sort_key    BLOB NOT NULL DEFAULT x'',     -- ICU Turkish collation key of (last name, first name)
    name_key    TEXT,                          -- folded last name + first letter: duplicate blocking
    merged_into INTEGER REFERENCES customer(id),  -- set when folded into another customer
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL
);
CREATE INDEX customer_merged_into ON customer(merged_into) WHERE merged_into IS NOT NULL;
-- email and phone are stored normalised (lowercase; E.164), so equal values are likely duplicates.
CREATE INDEX customer_email ON customer(email) WHERE email IS NOT NULL AND merged_into IS NULL;
CREATE INDEX customer_phone ON customer(phone) WHERE phone IS NOT NULL AND merged_into IS NULL;
CREATE INDEX customer_sort ON customer(sort_key, id) WHERE merged_into IS NULL;
CREATE INDEX customer_name_key ON customer(name_key) WHERE name_key IS NOT NULL AND merged_into IS NULL;

-- Substring search over the folded text (trigram index; the query is folded the same way). The store
-- keeps it in step with customer.search_text itself: a trigger would make every later statement of a
-- bulk load flush the FTS5 index (statement savepoints), which is many times slower.
CREATE VIRTUAL TABLE customer_search USING fts5(
    search_text, content='customer', content_rowid='id', tokenize='trigram');

-- One customer, many identifiers: (kind, normalised value) names exactly one customer.
-- Kinds: id (the external id), email, phone, card, and any system's own ("web", "till", ...).
CREATE TABLE customer_identifier (
    kind        TEXT NOT NULL,
    value       TEXT NOT NULL,
    customer_id INTEGER NOT NULL REFERENCES customer(id),
    source      TEXT,
    created_at  INTEGER NOT NULL,
    PRIMARY KEY (kind, value)
) WITHOUT ROWID;
CREATE INDEX customer_identifier_customer ON customer_identifier(customer_id);

CREATE TABLE customer_merge (
    id                 INTEGER PRIMARY KEY,
    kept_customer_id   INTEGER NOT NULL REFERENCES customer(id),
    merged_customer_id INTEGER NOT NULL REFERENCES customer(id),
    merged_external_id TEXT NOT NULL,
    actor              TEXT NOT NULL,
    merged_at          INTEGER NOT NULL,
    moved              TEXT NOT NULL          -- JSON: what moved (counts and ids)
);

CREATE TABLE product (
    id          INTEGER PRIMARY KEY,
    sku         TEXT NOT NULL UNIQUE,
    name        TEXT,
    category    TEXT,
    price_minor INTEGER,
    cost_minor  INTEGER,
    currency    TEXT NOT NULL DEFAULT 'TRY',
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL
);
CREATE INDEX product_category ON product(category);

CREATE TABLE orders (
    id           INTEGER PRIMARY KEY,
    external_id  TEXT NOT NULL UNIQUE,
    customer_id  INTEGER NOT NULL REFERENCES customer(id),
    ordered_at   INTEGER NOT NULL,
    amount_minor INTEGER NOT NULL,           -- negative for a return or cancellation
    currency     TEXT NOT NULL,
    channel      TEXT,
    margin_minor INTEGER,                    -- known when every line's product has a cost
    from_lines   INTEGER NOT NULL DEFAULT 0, -- 1: amount is the sum of the lines
    created_at   INTEGER NOT NULL,
    updated_at   INTEGER NOT NULL
);
CREATE INDEX orders_customer_time ON orders(customer_id, ordered_at);
CREATE INDEX orders_time ON orders(ordered_at);

-- The largest table, loaded in bulk: it carries as little as it can. Its primary key finds an order's
-- lines (and through orders_customer_time a customer's). customer_id (a copy of the order's) and
-- product_id are written by the store from ids it has just looked up, so they are not declared foreign
-- keys: each declared key costs a lookup per line, and an index on product_id would double the cost of
-- loading lines (measured: 0.57 s per million lines without it, 1.70 s with). Work that needs lines by
-- product (baskets, cost changes) reads them in one pass.
CREATE TABLE order_line (
    order_id         INTEGER NOT NULL REFERENCES orders(id) ON DELETE CASCADE,
    line_no          INTEGER NOT NULL,
    customer_id      INTEGER NOT NULL,        -- the order's customer
    product_id       INTEGER NOT NULL,        -- product(id)
    quantity         REAL NOT NULL,           -- negative for a return
    unit_price_minor INTEGER NOT NULL,
    PRIMARY KEY (order_id, line_no)
) WITHOUT ROWID;

CREATE TABLE interaction (
    id           INTEGER PRIMARY KEY,
    customer_id  INTEGER NOT NULL REFERENCES customer(id),
    occurred_at  INTEGER NOT NULL,
    channel      TEXT NOT NULL,
    direction    TEXT NOT NULL CHECK (direction IN ('in', 'out')),
    kind         TEXT NOT NULL,
    subject      TEXT,
    body         TEXT,
    sentiment    REAL,                       -- -1 .. 1 when known
    campaign_id  INTEGER,
    content_hash BLOB NOT NULL,              -- deduplication on content: SHA-256 (16 bytes) of the fields
    created_at   INTEGER NOT NULL,
    UNIQUE (customer_id, content_hash)
);
CREATE INDEX interaction_customer_time ON interaction(customer_id, occurred_at);

-- Consent is a log: the latest row per (customer, channel) is the current state.
CREATE TABLE consent (
    id             INTEGER PRIMARY KEY,
    customer_id    INTEGER NOT NULL REFERENCES customer(id),
    channel        TEXT NOT NULL CHECK (channel IN ('email', 'sms', 'call', 'push', 'whatsapp')),
    status         TEXT NOT NULL CHECK (status IN ('granted', 'revoked')),
    source         TEXT NOT NULL DEFAULT '',
    recorded_at    INTEGER NOT NULL,
    recipient_type TEXT NOT NULL DEFAULT 'BIREYSEL',  -- IYS: BIREYSEL (individual) or TACIR (merchant)
    iys_status     TEXT,                              -- IYS sync state: pending, synced, failed
    iys_synced_at  INTEGER,
    created_at     INTEGER NOT NULL,
    UNIQUE (customer_id, channel, recorded_at, status, source)
);
CREATE INDEX consent_customer_channel ON consent(customer_id, channel, recorded_at);

CREATE TABLE survey_response (
    id           INTEGER PRIMARY KEY,
    customer_id  INTEGER NOT NULL REFERENCES customer(id),
    survey       TEXT NOT NULL,
    score        INTEGER NOT NULL,
    comment      TEXT,
    responded_at INTEGER NOT NULL,
    followed_up_at INTEGER,
    content_hash BLOB NOT NULL,
    created_at   INTEGER NOT NULL,
    UNIQUE (customer_id, content_hash)
);
CREATE INDEX survey_response_customer_time ON survey_response(customer_id, responded_at);
CREATE INDEX survey_response_survey_time ON survey_response(survey, responded_at);

CREATE TABLE segment (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL UNIQUE,
    kind        TEXT NOT NULL CHECK (kind IN ('rule', 'rfm', 'cluster', 'static')),
    rule        TEXT,
    description TEXT,
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL
);

CREATE TABLE segment_member (
    segment_id  INTEGER NOT NULL REFERENCES segment(id) ON DELETE CASCADE,
    customer_id INTEGER NOT NULL REFERENCES customer(id),
    added_at    INTEGER NOT NULL,
    PRIMARY KEY (segment_id, customer_id)
) WITHOUT ROWID;
CREATE INDEX segment_member_customer ON segment_member(customer_id);

CREATE TABLE model_run (
    id          INTEGER PRIMARY KEY,
    model       TEXT NOT NULL,            -- bgnbd, pnbd, gammagamma, rfm, ...
    params      TEXT NOT NULL DEFAULT '{}',  -- JSON
    fit         TEXT NOT NULL DEFAULT '{}',  -- JSON: log-likelihood, standard errors, convergence
    as_of       INTEGER NOT NULL,
    window_from INTEGER,
    window_to   INTEGER,
    customers   INTEGER NOT NULL DEFAULT 0,
    status      TEXT NOT NULL DEFAULT 'running' CHECK (status IN ('running', 'done', 'failed')),
    is_current  INTEGER NOT NULL DEFAULT 0,
    started_at  INTEGER NOT NULL,
    finished_at INTEGER
);
CREATE INDEX model_run_model ON model_run(model, started_at);

-- The current scores of each customer (the run that made them is named).
CREATE TABLE customer_score (
    customer_id        INTEGER PRIMARY KEY REFERENCES customer(id),
    run_id             INTEGER REFERENCES model_run(id),
    recency_days       INTEGER,
    frequency          INTEGER,
    monetary_minor     INTEGER,
    r_score            INTEGER,
    f_score            INTEGER,
    m_score            INTEGER,
    rfm_segment        TEXT,
    x                  REAL,
    t_x                REAL,
    t_cal              REAL,
    p_alive            REAL,
    expected_purchases REAL,
    expected_value     REAL,
    clv_minor          INTEGER,
    churn_risk         TEXT CHECK (churn_risk IN ('low', 'medium', 'high')),
    tier               TEXT,
    cluster            INTEGER,
    updated_at         INTEGER NOT NULL
);
CREATE INDEX customer_score_segment ON customer_score(rfm_segment);
CREATE INDEX customer_score_clv ON customer_score(clv_minor);

CREATE TABLE offer (
    id           INTEGER PRIMARY KEY,
    code         TEXT NOT NULL UNIQUE,
    name         TEXT NOT NULL,
    description  TEXT,
    product_id   INTEGER REFERENCES product(id),
    category     TEXT,
    discount_pct REAL,
    valid_from   INTEGER,
    valid_to     INTEGER,
    created_at   INTEGER NOT NULL
);

CREATE TABLE campaign (
    id            INTEGER PRIMARY KEY,
    name          TEXT NOT NULL UNIQUE,
    channel       TEXT NOT NULL,
    segment_id    INTEGER REFERENCES segment(id),
    offer_id      INTEGER REFERENCES offer(id),
    template      TEXT,
    control_share REAL NOT NULL DEFAULT 0.1,
    status        TEXT NOT NULL DEFAULT 'draft',
    created_at    INTEGER NOT NULL,
    started_at    INTEGER,
    finished_at   INTEGER
);

CREATE TABLE campaign_member (
    campaign_id      INTEGER NOT NULL REFERENCES campaign(id) ON DELETE CASCADE,
    customer_id      INTEGER NOT NULL REFERENCES customer(id),
    arm              TEXT NOT NULL CHECK (arm IN ('treatment', 'control')),
    rendered         TEXT,
    sent_at          INTEGER,
    delivered_at     INTEGER,
    responded_at     INTEGER,
    converted_at     INTEGER,
    conversion_minor INTEGER,
    PRIMARY KEY (campaign_id, customer_id)
) WITHOUT ROWID;
CREATE INDEX campaign_member_customer ON campaign_member(customer_id);

CREATE TABLE loyalty_account (
    customer_id INTEGER PRIMARY KEY REFERENCES customer(id),
    points      INTEGER NOT NULL DEFAULT 0,
    tier        TEXT,
    joined_at   INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL
);

CREATE TABLE loyalty_entry (
    id          INTEGER PRIMARY KEY,
    customer_id INTEGER NOT NULL REFERENCES customer(id),
    kind        TEXT NOT NULL CHECK (kind IN ('earn', 'redeem', 'expire', 'adjust')),
    points      INTEGER NOT NULL,
    order_id    INTEGER REFERENCES orders(id),
    reason      TEXT,
    occurred_at INTEGER NOT NULL,
    expires_at  INTEGER
);
CREATE INDEX loyalty_entry_customer_time ON loyalty_entry(customer_id, occurred_at);

CREATE TABLE app_user (
    id            INTEGER PRIMARY KEY,
    name          TEXT NOT NULL UNIQUE,
    role          TEXT NOT NULL CHECK (role IN ('admin', 'marketer', 'analyst', 'ingest')),
    password_hash TEXT NOT NULL,           -- argon2id encoded
    disabled      INTEGER NOT NULL DEFAULT 0,
    created_at    INTEGER NOT NULL
);

CREATE TABLE api_token (
    id           INTEGER PRIMARY KEY,
    name         TEXT NOT NULL,
    role         TEXT NOT NULL CHECK (role IN ('admin', 'marketer', 'analyst', 'ingest')),
    token_hash   BLOB NOT NULL UNIQUE,     -- SHA-256 of the token; the token itself is never stored
    user_id      INTEGER REFERENCES app_user(id),
    created_at   INTEGER NOT NULL,
    last_used_at INTEGER,
    revoked_at   INTEGER
);

CREATE TABLE audit_log (
    id     INTEGER PRIMARY KEY,
    at     INTEGER NOT NULL,
    actor  TEXT NOT NULL,
    action TEXT NOT NULL,
    target TEXT,
    detail TEXT                            -- JSON
);
CREATE INDEX audit_log_at ON audit_log(at);

-- Events accepted by the API, so one re-sent with the same event_id is not applied twice.
CREATE TABLE event_seen (
    event_id    TEXT PRIMARY KEY,
    type        TEXT NOT NULL,
    received_at INTEGER NOT NULL
) WITHOUT ROWID;
