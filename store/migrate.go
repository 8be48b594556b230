package store

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strconv"
	"strings"
)

//go:embed migrations/*.sql
var migrationFS embed.FS

// migration is one numbered SQL file; its number is the user_version the
// database has once it ran.
type migration struct {
	version int
	name    string
	sql     string
}

// migrations are the embedded migrations in order, read once.
var migrations = mustLoadMigrations()

func mustLoadMigrations() []migration {
	ms, err := loadMigrations(migrationFS)
	if err != nil {
		// The files are compiled in: a bad name is a programming error
		// that every test run catches.
		panic(err)
	}
	return ms
}

// loadMigrations reads migrations/NNNN_name.sql files, numbered 1, 2, 3, …
// without gaps.
func loadMigrations(fsys fs.FS) ([]migration, error) {
	names, err := fs.Glob(fsys, "migrations/*.sql")
	if err != nil {
		return nil, err
	}
	var ms []migration
	for _, name := range names {
		base := path.Base(name)
		num, _, ok := strings.Cut(base, "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil || len(num) != 4 {
			return nil, fmt.Errorf("migration %s: name must be NNNN_name.sql", name)
		}
		b, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, err
		}
		ms = append(ms, migration{version: v, name: base, sql: string(b)})
	}
	sort.Slice(ms, func(i, j int) bool { return ms[i].version < ms[j].version })
	for i, m := range ms {
		if m.version != i+1 {
			return nil, fmt.Errorf("migration %s: expected number %04d", m.name, i+1)
		}
	}
	return ms, nil
}

// latestVersion is the schema version this program writes.
func latestVersion() int { return len(migrations) }

// SchemaVersion is the schema version (PRAGMA user_version) this program
// creates and understands.
func SchemaVersion() int { return latestVersion() }

// migrate brings the database up to latestVersion, one transaction per
// migration. Each transaction re-reads user_version after taking the write
// lock, so two processes opening a new file at once migrate it once. A
// database from a newer program is refused before anything is written.
func migrate(ctx context.Context, conn *sql.Conn, ms []migration) error {
	for {
		v, err := userVersion(ctx, conn)
		if err != nil {
			return err
		}
		if v > len(ms) {
			return schemaTooNew(v)
		}
		if v == len(ms) {
			return nil
		}
		if err := runMigration(ctx, conn, ms[v]); err != nil {
			return err
		}
	}
}

func userVersion(ctx context.Context, q interface {
	QueryRowContext(context.Context, string, ...any) *sql.Row
}) (int, error) {
	var v int
	if err := q.QueryRowContext(ctx, "PRAGMA user_version").Scan(&v); err != nil {
		return 0, fmt.Errorf("read schema version: %w", driverError(err))
	}
	return v, nil
}

func runMigration(ctx context.Context, conn *sql.Conn, m migration) error {
	tx, err := conn.BeginTx(ctx, nil) // BEGIN IMMEDIATE: holds the write lock
	if err != nil {
		return fmt.Errorf("migrate %s: %w", m.name, driverError(err))
	}
	defer tx.Rollback()
	v, err := userVersion(ctx, tx)
	if err != nil {
		return err
	}
	if v >= m.version {
		return nil // another process got there first
	}
	if _, err := tx.ExecContext(ctx, m.sql); err != nil {
		return fmt.Errorf("migrate %s: %w", m.name, driverError(err))
	}
	if _, err := tx.ExecContext(ctx, fmt.Sprintf("PRAGMA user_version = %d", m.version)); err != nil {
		return fmt.Errorf("migrate %s: %w", m.name, driverError(err))
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("migrate %s: %w", m.name, driverError(err))
	}
	return nil
}
