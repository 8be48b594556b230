-- 0004: the customer_ref index holds members only (finished, not deleted
-- contacts with a reference; see 0003), the only rows ever searched by
-- reference, keyed by a virtual column that is the reference of a member and
-- NULL on any other contact. A search for a reference's members then reads
-- the index alone: its entries are the members, with their start times and
-- rowids, and no table row has to be read to tell a member from a draft or a
-- tombstone.
-- Never edit this file once it has shipped; add 0005_... instead.

ALTER TABLE contacts ADD COLUMN member_ref TEXT GENERATED ALWAYS AS
    (CASE WHEN customer_ref <> '' AND ended_at IS NOT NULL AND deleted = 0 THEN customer_ref END) VIRTUAL;

DROP INDEX contacts_ref;
CREATE INDEX contacts_ref ON contacts (member_ref, started_at) WHERE member_ref IS NOT NULL;
