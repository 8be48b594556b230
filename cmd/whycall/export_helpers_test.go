package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"zombiezen.com/go/sqlite"
	"zombiezen.com/go/sqlite/sqlitex"

	"whycall/store"
)

// writeContactsDB writes contacts to a new database file in a temporary
// folder and returns its path.
func writeContactsDB(tb testing.TB, cs []store.Contact, taxonomies map[string][]byte) string {
	tb.Helper()
	path := filepath.Join(tb.TempDir(), "whycall.db")
	conn, err := sqlite.OpenConn(path)
	if err != nil {
		tb.Fatal(err)
	}
	defer conn.Close()
	ddl, err := os.ReadFile("../../store/migrations/0001_init.sql")
	if err != nil {
		tb.Fatal(err)
	}
	if err := sqlitex.ExecuteScript(conn, string(ddl), nil); err != nil {
		tb.Fatal(err)
	}
	for v, y := range taxonomies {
		if err := sqlitex.Execute(conn, `INSERT INTO taxonomies (version, taxonomy_id, revision, yaml, added_at) VALUES (?, 't', 1, ?, 0)`,
			&sqlitex.ExecOptions{Args: []any{v, y}}); err != nil {
			tb.Fatal(err)
		}
	}
	end, err := sqlitex.ImmediateTransaction(conn)
	if err != nil {
		tb.Fatal(err)
	}
	stmt := conn.Prep(`INSERT INTO contacts (id, agent, team, site, channel, started_at, ended_at, reasons, primary_reason, outcome, customer_ref, note, taxonomy_version, rev, updated_at, deleted)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
	for i := range cs {
		c := &cs[i]
		stmt.BindText(1, c.ID)
		stmt.BindText(2, c.Agent)
		stmt.BindText(3, c.Team)
		stmt.BindText(4, c.Site)
		stmt.BindText(5, string(c.Channel))
		stmt.BindInt64(6, c.StartedAt.UnixMilli())
		if c.EndedAt.IsZero() {
			stmt.BindNull(7)
		} else {
			stmt.BindInt64(7, c.EndedAt.UnixMilli())
		}
		stmt.BindText(8, strings.Join(c.Reasons, "|"))
		stmt.BindText(9, c.Primary())
		stmt.BindText(10, string(c.Outcome))
		stmt.BindText(11, c.CustomerRef)
		stmt.BindText(12, c.Note)
		stmt.BindText(13, c.TaxonomyVersion)
		stmt.BindInt64(14, max(c.Rev, 1))
		stmt.BindInt64(15, c.StartedAt.UnixMilli())
		stmt.BindBool(16, c.Deleted)
		if _, err := stmt.Step(); err != nil {
			tb.Fatal(err)
		}
		if err := stmt.Reset(); err != nil {
			tb.Fatal(err)
		}
	}
	var txErr error
	end(&txErr)
	if txErr != nil {
		tb.Fatal(txErr)
	}
	return path
}
