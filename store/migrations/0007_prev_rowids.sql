-- 0007: a member's previous member by rowid as well as by start, so that
-- the summary reads the previous contact's row directly instead of
-- searching the customer_ref index for it. prev_rowid is the rowid of the
-- member at prev_at; NULL when prev_at is NULL, when several members
-- share that start, or when the store did not know it (a previous member
-- inserted in the same transaction). It is a hint: a reader checks that
-- the row it names is a member of the same reference starting at prev_at,
-- and searches the index when it is not (rowids can change, e.g. in a
-- VACUUM). The store keeps it with prev_at (see store/neighbours.go).
-- Never edit this file once it has shipped; add 0008_... instead.

ALTER TABLE contacts ADD COLUMN prev_rowid INTEGER;

UPDATE contacts SET prev_rowid = (SELECT CASE WHEN count(*) = 1 THEN max(p.rowid) END
    FROM contacts AS p WHERE p.member_ref = contacts.customer_ref AND p.started_at = contacts.prev_at)
WHERE prev_at IS NOT NULL;
