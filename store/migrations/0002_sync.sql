-- 0002: what a database has ingested from desks (over HTTP or from a folder
-- of batch files), so that a batch delivered again changes nothing.
-- Never edit this file once it has shipped; add 0003_... instead.

-- Every batch ingested, by its id (a UUIDv7 made on the desk).
CREATE TABLE ingested_batches (
    id          TEXT PRIMARY KEY,
    agent       TEXT NOT NULL,
    site        TEXT NOT NULL,
    created_at  INTEGER NOT NULL,   -- when the desk cut the batch (unix ms)
    ingested_at INTEGER NOT NULL,
    contacts    INTEGER NOT NULL,   -- accepted + duplicate + stale
    accepted    INTEGER NOT NULL,   -- revisions newer than what was stored
    duplicate   INTEGER NOT NULL,   -- revisions already stored
    stale       INTEGER NOT NULL,   -- revisions older than the stored one
    source      TEXT NOT NULL       -- 'http', or the file name it came in
) WITHOUT ROWID;

-- Every batch file `whycall ingest` has read, by name, so that the next run
-- reads only new files. A file whose batch was already ingested under
-- another name is recorded too.
CREATE TABLE ingested_files (
    name        TEXT PRIMARY KEY,
    batch_id    TEXT NOT NULL,
    size        INTEGER NOT NULL,
    ingested_at INTEGER NOT NULL
) WITHOUT ROWID;
