package store

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// The read side of the team lead's summary. Multi-day figures read the
// reason_days rollup (a few hundred rows for a month); figures that need the
// contacts themselves read one day's contacts through the started_at index
// and find same-customer contacts through the customer_ref index.

// ReasonDay is one row of the daily rollup: the counts of one reason on one
// local day, for one team or summed over all teams. Reason "" counts finished
// contacts with no reason at all.
type ReasonDay struct {
	Day       string // YYYY-MM-DD in the rollup's time zone
	Reason    string
	Primary   int // contacts with this primary reason
	Secondary int // contacts mentioning it as a secondary reason
	HandleN   int // primary contacts with a usable handle time
	HandleMs  int64
	// Outcome counts of the primary contacts.
	Resolved, Unresolved, FollowUp, Escalated, Unknown int
	Ref                                                int // primary contacts with a customer ref
}

// rollupSQL returns the rollup query for one team, or summed over all teams
// when all is set.
func rollupSQL(all bool) string {
	if all {
		return `SELECT day, reason_id, sum(primary_n), sum(secondary_n), sum(handle_n), sum(handle_ms),
			sum(resolved_n), sum(unresolved_n), sum(follow_up_n), sum(escalated_n), sum(unknown_n), sum(ref_n)
			FROM reason_days WHERE day >= ? AND day <= ? GROUP BY day, reason_id ORDER BY day, reason_id`
	}
	return `SELECT day, reason_id, primary_n, secondary_n, handle_n, handle_ms,
		resolved_n, unresolved_n, follow_up_n, escalated_n, unknown_n, ref_n
		FROM reason_days WHERE day >= ? AND day <= ? AND team = ? ORDER BY day, reason_id`
}

// ReasonDays returns the rollup rows of the days from through to (YYYY-MM-DD,
// both included) in day and reason order, for team, or summed over all
// teams when team is "".
func (s *Store) ReasonDays(ctx context.Context, from, to, team string) ([]ReasonDay, error) {
	args := []any{from, to}
	if team != "" {
		args = append(args, team)
	}
	rows, err := s.db.QueryContext(ctx, rollupSQL(team == ""), args...)
	if err != nil {
		return nil, fmt.Errorf("read rollup %s–%s: %w", from, to, driverError(err))
	}
	defer rows.Close()
	var out []ReasonDay
	var day, reason sql.RawBytes
	var lastDay string
	reasons := map[string]string{}
	for rows.Next() {
		var r ReasonDay
		if err := rows.Scan(&day, &reason, &r.Primary, &r.Secondary, &r.HandleN, &r.HandleMs,
			&r.Resolved, &r.Unresolved, &r.FollowUp, &r.Escalated, &r.Unknown, &r.Ref); err != nil {
			return nil, fmt.Errorf("read rollup %s–%s: %w", from, to, err)
		}
		if string(day) != lastDay {
			lastDay = string(day)
		}
		r.Day = lastDay
		r.Reason = intern(reasons, reason)
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read rollup %s–%s: %w", from, to, driverError(err))
	}
	return out, nil
}

// ReasonsUsed returns the reasons tagged (as primary or secondary) on any day
// from through to, for team or all teams when team is "".
func (s *Store) ReasonsUsed(ctx context.Context, from, to, team string) ([]string, error) {
	q := `SELECT DISTINCT reason_id FROM reason_days WHERE day >= ? AND day <= ?`
	args := []any{from, to}
	if team != "" {
		q += ` AND team = ?`
		args = append(args, team)
	}
	rows, err := s.db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("list reasons used %s–%s: %w", from, to, driverError(err))
	}
	defer rows.Close()
	var ids []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, fmt.Errorf("list reasons used %s–%s: %w", from, to, err)
		}
		ids = append(ids, id)
	}
	return ids, driverError(rows.Err())
}

// DataDays returns the first and last day with finished contacts, for team or
// all teams when team is "". Both are "" for an empty database or an
// unknown team.
func (s *Store) DataDays(ctx context.Context, team string) (first, last string, err error) {
	q := `SELECT coalesce(min(day), ''), coalesce(max(day), '') FROM reason_days`
	var args []any
	if team != "" {
		q += ` WHERE team = ?`
		args = append(args, team)
	}
	if err := s.db.QueryRowContext(ctx, q, args...).Scan(&first, &last); err != nil {
		return "", "", fmt.Errorf("find days with data: %w", driverError(err))
	}
	return first, last, nil
}

// Teams lists the teams that have finished contacts, in order.
func (s *Store) Teams(ctx context.Context) ([]string, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT DISTINCT team FROM reason_days ORDER BY team`)
	if err != nil {
		return nil, fmt.Errorf("list teams: %w", driverError(err))
	}
	defer rows.Close()
	var teams []string
	for rows.Next() {
		var t string
		if err := rows.Scan(&t); err != nil {
			return nil, fmt.Errorf("list teams: %w", err)
		}
		teams = append(teams, t)
	}
	return teams, driverError(rows.Err())
}

// ContactQuery selects finished, not deleted contacts for the summary.
type ContactQuery struct {
	// From and To bound the start time: From ≤ started_at < To.
	From, To time.Time
	// Team selects one team; "" means all teams.
	Team string
	// WithRef keeps only contacts with a customer reference.
	WithRef bool
	// Agents fills SummaryContact.Agent (per-agent figures only).
	Agents bool
	// Before, when positive, fills SummaryContact.Before with the
	// same-reference contacts started in [t − Before, t).
	Before time.Duration
	// After, when positive, fills SummaryContact.After with the
	// same-reference contacts started in (t, t + After].
	After time.Duration
}

// SummaryContact is what the summary reads of one contact. Times are unix
// milliseconds (UTC), as stored; strings that repeat (team, reasons,
// outcome, taxonomy version) are shared between contacts, so treat them as
// read-only.
type SummaryContact struct {
	StartedAt, EndedAt int64
	Team               string
	Agent              string // only when ContactQuery.Agents is set
	Reasons            []string
	Outcome            Outcome
	HasRef             bool
	Note               string
	TaxonomyVersion    string
	// Before holds the finished same-reference contacts in the look-back
	// window, newest first; After those in the look-ahead window, oldest
	// first. Only contacts with a reference have any.
	Before, After []Neighbour
}

// Primary returns the primary reason, or "" for an uncoded contact.
func (c *SummaryContact) Primary() string {
	if len(c.Reasons) == 0 {
		return ""
	}
	return c.Reasons[0]
}

// Neighbour is another finished contact from the same customer reference.
type Neighbour struct {
	StartedAt, EndedAt int64 // unix ms
	Primary            string
	// SameAgent reports whether the same agent handled both contacts.
	SameAgent bool
}

// neighbourSQL is a correlated subquery listing the same-reference contacts
// around c as "started,ended,sameagent,primary;...". The literal
// "p.customer_ref <> ”" lets SQLite use the partial index contacts_ref.
func neighbourSQL(cond string) string {
	return `(SELECT group_concat(p.started_at || ',' || p.ended_at || ',' || (p.agent = c.agent) || ',' || p.primary_reason, ';')
		FROM contacts p WHERE p.customer_ref <> '' AND p.customer_ref = c.customer_ref AND ` + cond + `
		AND p.ended_at IS NOT NULL AND p.deleted = 0)`
}

// contactsSQL builds the query for q. The "+" before c.customer_ref keeps
// SQLite from reading the whole customer_ref index instead of the day's
// slice of the started_at index.
func contactsSQL(q ContactQuery) (string, []any) {
	var b strings.Builder
	b.WriteString(`SELECT c.started_at, c.ended_at, c.team, c.reasons, c.outcome, c.customer_ref <> '', c.note, c.taxonomy_version`)
	if q.Agents {
		b.WriteString(`, c.agent`)
	}
	var args []any
	if q.Before > 0 {
		b.WriteString(", " + neighbourSQL(`p.started_at >= c.started_at - ? AND p.started_at < c.started_at`))
		args = append(args, q.Before.Milliseconds())
	}
	if q.After > 0 {
		b.WriteString(", " + neighbourSQL(`p.started_at > c.started_at AND p.started_at <= c.started_at + ?`))
		args = append(args, q.After.Milliseconds())
	}
	b.WriteString(` FROM contacts c WHERE c.started_at >= ? AND c.started_at < ? AND c.ended_at IS NOT NULL AND c.deleted = 0`)
	args = append(args, q.From.UnixMilli(), q.To.UnixMilli())
	if q.Team != "" {
		b.WriteString(` AND c.team = ?`)
		args = append(args, q.Team)
	}
	if q.WithRef {
		b.WriteString(` AND +c.customer_ref <> ''`)
	}
	return b.String(), args
}

// SummaryContacts returns the finished, not deleted contacts that q selects,
// in no particular order.
func (s *Store) SummaryContacts(ctx context.Context, q ContactQuery) ([]SummaryContact, error) {
	query, args := contactsSQL(q)
	rows, err := s.db.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("read contacts %s–%s: %w", q.From.Format(time.DateTime), q.To.Format(time.DateTime), driverError(err))
	}
	defer rows.Close()
	var (
		out                                []SummaryContact
		team, reasons, outcome, note, vers sql.RawBytes
		agent, before, after               sql.RawBytes
		strs                               = map[string]string{}
		split                              = map[string][]string{}
	)
	dest := []any{nil, nil, &team, &reasons, &outcome, nil, &note, &vers}
	if q.Agents {
		dest = append(dest, &agent)
	}
	if q.Before > 0 {
		dest = append(dest, &before)
	}
	if q.After > 0 {
		dest = append(dest, &after)
	}
	for rows.Next() {
		var c SummaryContact
		dest[0], dest[1], dest[5] = &c.StartedAt, &c.EndedAt, &c.HasRef
		if err := rows.Scan(dest...); err != nil {
			return nil, fmt.Errorf("read contacts: %w", err)
		}
		c.Team = intern(strs, team)
		c.Outcome = Outcome(intern(strs, outcome))
		c.TaxonomyVersion = intern(strs, vers)
		if len(note) > 0 {
			c.Note = string(note)
		}
		if q.Agents {
			c.Agent = intern(strs, agent)
		}
		rs, ok := split[string(reasons)]
		if !ok {
			if len(reasons) > 0 {
				rs = strings.Split(string(reasons), "|")
			}
			split[string(reasons)] = rs
		}
		c.Reasons = rs
		if c.Before, err = parseNeighbours(before, strs, true); err != nil {
			return nil, fmt.Errorf("read contacts: %w", err)
		}
		if c.After, err = parseNeighbours(after, strs, false); err != nil {
			return nil, fmt.Errorf("read contacts: %w", err)
		}
		out = append(out, c)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read contacts: %w", driverError(err))
	}
	return out, nil
}

// parseNeighbours reads neighbourSQL's list, sorted newest first (desc) or
// oldest first.
func parseNeighbours(b []byte, strs map[string]string, desc bool) ([]Neighbour, error) {
	if len(b) == 0 {
		return nil, nil
	}
	var ns []Neighbour
	for len(b) > 0 {
		item := b
		if i := bytes.IndexByte(b, ';'); i >= 0 {
			item, b = b[:i], b[i+1:]
		} else {
			b = nil
		}
		f := bytes.SplitN(item, []byte{','}, 4)
		if len(f) != 4 {
			return nil, fmt.Errorf("bad neighbour %q", item)
		}
		start, err1 := strconv.ParseInt(string(f[0]), 10, 64)
		end, err2 := strconv.ParseInt(string(f[1]), 10, 64)
		if err1 != nil || err2 != nil {
			return nil, fmt.Errorf("bad neighbour %q", item)
		}
		ns = append(ns, Neighbour{StartedAt: start, EndedAt: end, SameAgent: string(f[2]) == "1", Primary: intern(strs, f[3])})
	}
	// Insertion sort: a customer has a handful of contacts in a window.
	for i := 1; i < len(ns); i++ {
		for j := i; j > 0 && (ns[j].StartedAt > ns[j-1].StartedAt) == desc && ns[j].StartedAt != ns[j-1].StartedAt; j-- {
			ns[j], ns[j-1] = ns[j-1], ns[j]
		}
	}
	return ns, nil
}

// intern returns b as a string shared with earlier equal ones.
func intern(m map[string]string, b []byte) string {
	if s, ok := m[string(b)]; ok {
		return s
	}
	s := string(b)
	m[s] = s
	return s
}

// SummaryPlans returns SQLite's query plan (EXPLAIN QUERY PLAN, one string
// per step) of every query the summary runs, by a short name, so tests and
// benchmarks can check that each one uses an index.
func (s *Store) SummaryPlans(ctx context.Context) (map[string][]string, error) {
	from := time.Date(2026, 1, 14, 0, 0, 0, 0, time.UTC)
	day := ContactQuery{From: from, To: from.Add(24 * time.Hour)}
	queries := map[string]struct {
		sql  string
		args []any
	}{
		"rollup one team":  {rollupSQL(false), []any{"2026-01-01", "2026-01-14", "t"}},
		"rollup all teams": {rollupSQL(true), []any{"2026-01-01", "2026-01-14"}},
	}
	add := func(name string, q ContactQuery) {
		sql, args := contactsSQL(q)
		queries[name] = struct {
			sql  string
			args []any
		}{sql, args}
	}
	add("day contacts", day)
	withBefore := day
	withBefore.Before, withBefore.Agents, withBefore.Team = 7*24*time.Hour, true, "t"
	add("day contacts with earlier same-ref contacts", withBefore)
	cohort := day
	cohort.After, cohort.WithRef = 7*24*time.Hour, true
	add("cohort contacts with later same-ref contacts", cohort)
	plans := make(map[string][]string, len(queries))
	for name, q := range queries {
		rows, err := s.db.QueryContext(ctx, "EXPLAIN QUERY PLAN "+q.sql, q.args...)
		if err != nil {
			return nil, fmt.Errorf("explain %s: %w", name, driverError(err))
		}
		for rows.Next() {
			var id, parent, unused int
			var detail string
			if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
				rows.Close()
				return nil, fmt.Errorf("explain %s: %w", name, err)
			}
			plans[name] = append(plans[name], detail)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, fmt.Errorf("explain %s: %w", name, driverError(err))
		}
	}
	return plans, nil
}
