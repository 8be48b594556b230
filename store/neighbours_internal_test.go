package store

import (
	"context"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"testing"
	"time"
)

// TestMigrationFillsNeighbours stores contacts in a database of schema 2,
// then opens it, which runs migration 0003: every contact's neighbours must
// equal a recount.
func TestMigrationFillsNeighbours(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "w.db")
	db, err := sql.Open("sqlite", dsn(path, false))
	if err != nil {
		t.Fatal(err)
	}
	conn, err := db.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if err := migrate(ctx, conn, migrations[:2]); err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(3, 3))
	t0 := time.Date(2026, 5, 4, 9, 0, 0, 0, time.UTC)
	members := 0
	for i := range 400 {
		// Few references and start times, so that they are shared; drafts,
		// tombstones and contacts without a reference among them.
		start := t0.Add(time.Duration(rng.IntN(40)) * time.Minute)
		c := Contact{ID: fmt.Sprintf("c%03d", i), Agent: "ann", Channel: ChannelPhone, StartedAt: start,
			Outcome: OutcomeUnknown, CustomerRef: []string{"", "a", "b", "c", "d"}[rng.IntN(5)],
			TaxonomyVersion: "v", Rev: 1, UpdatedAt: start, Deleted: rng.IntN(6) == 0}
		if rng.IntN(5) > 0 {
			c.EndedAt = start.Add(time.Minute)
		}
		if member(&c) {
			members++
		}
		if _, err := conn.ExecContext(ctx, sqlInsertV2, row(&c)...); err != nil {
			t.Fatal(err)
		}
	}
	conn.Close()
	db.Close()
	var upgrades []string
	s, err := Open(ctx, path, Options{OnUpgrade: func(from, to int) { upgrades = append(upgrades, fmt.Sprint(from, "→", to)) }})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if want := fmt.Sprint(2, "→", latestVersion()); len(upgrades) != 1 || upgrades[0] != want {
		t.Errorf("upgrades announced: %v, want [%s]", upgrades, want)
	}
	if err := s.VerifyNeighbours(ctx); err != nil {
		t.Error(err)
	}
	var linked, rows int
	s.db.QueryRowContext(ctx, `SELECT count(*) FROM contacts AS c WHERE prev_at IS NOT NULL OR EXISTS (SELECT 1 FROM contacts AS p
		WHERE p.member_ref = c.member_ref AND p.started_at > c.started_at)`).Scan(&linked)
	if linked < members/2 {
		t.Errorf("%d of %d members have a neighbour: the test data shares too little", linked, members)
	}
	// Migration 0007 names the previous row where one member holds it.
	s.db.QueryRowContext(ctx, `SELECT count(prev_rowid) FROM contacts`).Scan(&rows)
	if rows == 0 {
		t.Error("no contact names its previous one's row after the migration")
	}
}

func TestOnUpgradeOnlyForAnOlderDatabase(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "w.db")
	called := 0
	opt := Options{OnUpgrade: func(from, to int) { called++ }}
	for range 2 { // a new database, then one that is up to date
		s, err := Open(ctx, path, opt)
		if err != nil {
			t.Fatal(err)
		}
		s.Close()
	}
	if called != 0 {
		t.Errorf("OnUpgrade called %d times", called)
	}
}

// sqlInsertV2 inserts a contact into schema 2, which has no neighbours.
const sqlInsertV2 = `INSERT INTO contacts (id, agent, team, site, channel, started_at, ended_at,
	reasons, primary_reason, outcome, customer_ref, note, taxonomy_version, rev, updated_at, deleted)
	VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`
