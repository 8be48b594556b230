-- 0005: a member's next_at (see 0003) moves out of the contacts row into a
-- narrow table of its own. A new contact from a customer who called before
-- sets next_at on that earlier contact; in the wide contacts table that
-- rewrote a whole page of notes and reasons for each such contact, which was
-- most of what a bulk ingest wrote. Here about a hundred links share a page.
-- A member with no later member has no row. Keyed by contact id, which,
-- unlike the rowid of contacts, survives VACUUM.
-- Never edit this file once it has shipped; add 0006_... instead.

CREATE TABLE contact_next (
    id      TEXT PRIMARY KEY,   -- contacts.id
    next_at INTEGER NOT NULL    -- start of the earliest later member of the same reference
) WITHOUT ROWID;

INSERT INTO contact_next (id, next_at) SELECT id, next_at FROM contacts WHERE next_at IS NOT NULL;

ALTER TABLE contacts DROP COLUMN next_at;

-- A contact that stops being a member (a draft again, deleted, or without a
-- reference) has no next member; its row goes, whichever statement changed it.
-- (Its prev_at is cleared by the statement itself, see sqlUpdate.)
CREATE TRIGGER contact_next_leaves AFTER UPDATE OF customer_ref, ended_at, deleted ON contacts
WHEN NOT (new.customer_ref <> '' AND new.ended_at IS NOT NULL AND new.deleted = 0)
BEGIN
    DELETE FROM contact_next WHERE id = new.id;
END;
