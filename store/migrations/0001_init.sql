-- 0001: contacts, taxonomy versions and the per-day reason rollup.
-- Never edit this file once it has shipped; add 0002_... instead.
-- Times are unix milliseconds, UTC, everywhere.

CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) WITHOUT ROWID;

-- Every taxonomy a contact was tagged with, by content hash, so old contacts
-- keep their labels after a reason is renamed or retired.
CREATE TABLE taxonomies (
    version     TEXT PRIMARY KEY,   -- content hash (taxonomy.Version)
    taxonomy_id TEXT NOT NULL,
    revision    INTEGER NOT NULL,   -- taxonomy.version from the YAML
    yaml        BLOB NOT NULL,
    added_at    INTEGER NOT NULL
) WITHOUT ROWID;

CREATE TABLE contacts (
    id               TEXT NOT NULL UNIQUE,          -- UUIDv7, made on the agent's desk
    agent            TEXT NOT NULL,
    team             TEXT NOT NULL DEFAULT '',
    site             TEXT NOT NULL DEFAULT '',
    channel          TEXT NOT NULL,
    started_at       INTEGER NOT NULL,
    ended_at         INTEGER,                       -- NULL while a draft
    reasons          TEXT NOT NULL DEFAULT '',      -- reason ids in order, joined by '|'
    primary_reason   TEXT NOT NULL DEFAULT '',      -- first of reasons, '' if none
    outcome          TEXT NOT NULL DEFAULT 'unknown',
    customer_ref     TEXT NOT NULL DEFAULT '',      -- normalised, HMAC by default
    note             TEXT NOT NULL DEFAULT '',      -- IDs and card numbers masked
    taxonomy_version TEXT NOT NULL,
    rev              INTEGER NOT NULL,
    updated_at       INTEGER NOT NULL,
    deleted          INTEGER NOT NULL DEFAULT 0,    -- tombstone
    synced_rev       INTEGER NOT NULL DEFAULT 0     -- highest rev a sync target acknowledged
);

CREATE INDEX contacts_started ON contacts (started_at);
CREATE INDEX contacts_drafts ON contacts (agent, started_at) WHERE ended_at IS NULL AND deleted = 0;
CREATE INDEX contacts_ref ON contacts (customer_ref, started_at) WHERE customer_ref <> '';
CREATE INDEX contacts_pending ON contacts (id) WHERE rev > synced_rev;

-- Per (local day, team, reason) counts of finished, not deleted contacts,
-- kept exact in the same transaction as every change to a contact. The day is
-- the calendar day in the time zone recorded in meta('rollup_tz').
CREATE TABLE reason_days (
    day          TEXT NOT NULL,    -- YYYY-MM-DD, local
    team         TEXT NOT NULL,
    reason_id    TEXT NOT NULL,    -- '' for a contact with no reason (uncoded)
    primary_n    INTEGER NOT NULL DEFAULT 0,   -- contacts with this primary reason
    secondary_n  INTEGER NOT NULL DEFAULT 0,   -- contacts mentioning it as a secondary reason
    handle_n     INTEGER NOT NULL DEFAULT 0,   -- primary contacts with a usable handle time (0 < h <= 4 h)
    handle_ms    INTEGER NOT NULL DEFAULT 0,   -- sum of those handle times
    resolved_n   INTEGER NOT NULL DEFAULT 0,   -- outcome counts of primary contacts
    unresolved_n INTEGER NOT NULL DEFAULT 0,
    follow_up_n  INTEGER NOT NULL DEFAULT 0,
    escalated_n  INTEGER NOT NULL DEFAULT 0,
    unknown_n    INTEGER NOT NULL DEFAULT 0,
    ref_n        INTEGER NOT NULL DEFAULT 0,   -- primary contacts with a customer ref
    PRIMARY KEY (day, team, reason_id)
) WITHOUT ROWID;
