-- 0003: each contact's neighbours by customer reference, so that the
-- summary finds repeat contacts (and the measured FCR's later contacts)
-- with the day's own rows instead of one index search per contact.
-- Never edit this file once it has shipped; add 0004_... instead.
--
-- A "member" is a finished, not deleted contact with a customer reference.
-- For a member, prev_at is the start of the latest other member with the
-- same reference that started strictly before it, next_at the start of the
-- earliest one that started strictly after it (NULL when there is none).
-- Both are NULL on every contact that is not a member. The store keeps them
-- exact in the same transaction as every change (see store/neighbours.go).

ALTER TABLE contacts ADD COLUMN prev_at INTEGER;
ALTER TABLE contacts ADD COLUMN next_at INTEGER;

-- Integer start times: RANGE ... 1 PRECEDING is every start before this one.
UPDATE contacts SET prev_at = w.prev_at, next_at = w.next_at
FROM (SELECT rowid AS rid,
        max(started_at) OVER (PARTITION BY customer_ref ORDER BY started_at
            RANGE BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS prev_at,
        min(started_at) OVER (PARTITION BY customer_ref ORDER BY started_at
            RANGE BETWEEN 1 FOLLOWING AND UNBOUNDED FOLLOWING) AS next_at
    FROM contacts
    WHERE customer_ref <> '' AND ended_at IS NOT NULL AND deleted = 0) AS w
WHERE contacts.rowid = w.rid AND (w.prev_at IS NOT NULL OR w.next_at IS NOT NULL);
