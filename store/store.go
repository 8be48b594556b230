// Package store is the contact database: an SQLite file (modernc, no cgo)
// with embedded numbered migrations, holding contacts, the taxonomy versions
// they were tagged with, and a per-day reason rollup kept exact in the same
// transaction as every change.
//
// Every public method is one transaction. Every change to a contact bumps its
// rev and updated_at; deletes are tombstones so that sync can carry them.
// Times are stored as unix milliseconds UTC and come back in
// Options.Location.
package store

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// Errors callers can test for with errors.Is.
var (
	// ErrNotFound means no contact has the given id.
	ErrNotFound = errors.New("contact not found")
	// ErrDeleted means the contact is a tombstone and cannot be changed.
	ErrDeleted = errors.New("contact is deleted")
	// ErrFinished means the change needs a draft but the contact is finished.
	ErrFinished = errors.New("contact is finished")
	// ErrDraft means the change needs a finished contact but it is a draft.
	ErrDraft = errors.New("contact is a draft")
	// ErrInvalid means the change would leave the contact invalid (unknown
	// channel or outcome, a reason twice, too many reasons, …).
	ErrInvalid = errors.New("invalid contact")
	// ErrUnknownTaxonomy means no taxonomy is stored under the given version.
	ErrUnknownTaxonomy = errors.New("taxonomy version not stored")
	// ErrNotSQLite means the file at the database path is not an SQLite database.
	ErrNotSQLite = errors.New("not an SQLite database")
	// ErrSchemaTooNew means the database was written by a newer whycall.
	ErrSchemaTooNew = errors.New("database schema is newer than this program")
)

// DefaultZone is the time zone whose calendar days the rollup counts by when
// Options.Location is nil.
const DefaultZone = "Europe/Oslo"

// Options configure a Store. The zero value is usable: real clock,
// Europe/Oslo days, synchronous=FULL, refs stored in plain normalised form,
// notes masked.
type Options struct {
	// Now is the clock; nil means time.Now. Taken once per transaction.
	Now func() time.Time
	// Location is the time zone whose calendar days the rollup counts by.
	// nil means Europe/Oslo. Opening with another zone rebuilds the rollup.
	Location *time.Location
	// Collector relaxes durability to synchronous=NORMAL for bulk ingest and
	// leaves automatic checkpoints on; an agent's desk keeps
	// synchronous=FULL so no acknowledged save is lost, and checkpoints only
	// when asked (Checkpoint), so no checkpoint runs inside a save.
	Collector bool
	// Refs turns customer references into what is stored; nil stores the
	// normalised reference as it is.
	Refs *RefHasher
	// KeepNotesRaw turns off masking of national ID and card numbers in notes.
	KeepNotesRaw bool
	// OnUpgrade, when set, is called before an existing database is
	// brought from schema version from to version to, which on a big
	// database can take seconds (migration 0007: about 7 s per million
	// contacts).
	OnUpgrade func(from, to int)
	// ForReading says the store is opened to read (a summary, an export):
	// the statements that saves use, which take about 2 ms to prepare, are
	// prepared by the first write instead of by Open.
	ForReading bool
}

// Store is an open contact database. It is safe for concurrent use.
type Store struct {
	db   *sql.DB
	path string
	opt  Options
	loc  *time.Location

	// wmu serialises this Store's write transactions: SQLite has one writer
	// per file anyway, and waiting here is cheaper than SQLite's busy
	// handler, which sleeps. Other processes are held off by busy_timeout.
	wmu    sync.Mutex
	closed atomic.Bool

	// The statements saves use, prepared once by stmts.
	prepared   sync.Once
	prepareErr error

	stmtGet, stmtInsert, stmtInsertChunk, stmtUpdate, stmtRollupPrune *sql.Stmt
	// stmtRollupAdd[n-1] adds to n rollup rows in one statement.
	stmtRollupAdd [rollupBatch]*sql.Stmt
}

// Draft is what a new contact starts with.
type Draft struct {
	Agent, Team, Site string
	Channel           Channel   // empty means phone
	TaxonomyVersion   string    // required
	StartedAt         time.Time // zero means now
}

// sqliteMagic is the first 16 bytes of every SQLite 3 database file.
var sqliteMagic = []byte("SQLite format 3\x00")

// busyTimeout is how long a transaction waits for another writer (another
// process, or another Store on the same file) before giving up.
const busyTimeout = 5 * time.Second

var processSetup sync.Once

// setupProcess switches two process-wide SQLite settings before the first
// database is opened:
//   - OFD locks, so that a close(2) of the database file anywhere in this
//     process (our own header check included) cannot drop SQLite's locks;
//   - fdatasync instead of fsync for commits, which is what SQLite's own
//     Linux builds use: the same durability at up to half the cost.
//
// Either may be unavailable on this platform; SQLite's defaults then stay.
func setupProcess() {
	processSetup.Do(func() {
		_, _ = sqlite.OFDLocking(true)
		_, _ = sqlite.Fdatasync(true)
	})
}

// Open opens (creating it and its folder if needed) the database at path,
// sets WAL, foreign keys, busy_timeout and synchronous, and runs migrations.
// A file that is not SQLite is left untouched (ErrNotSQLite); a schema newer
// than this program is refused (ErrSchemaTooNew).
func Open(ctx context.Context, path string, opt Options) (*Store, error) {
	s, err := open(ctx, path, opt)
	if err != nil {
		return nil, fmt.Errorf("open store %s: %w", path, err)
	}
	return s, nil
}

func open(ctx context.Context, path string, opt Options) (*Store, error) {
	if path == "" {
		return nil, errors.New("no database path given")
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, err
	}
	loc := opt.Location
	if loc == nil {
		if loc, err = time.LoadLocation(DefaultZone); err != nil {
			return nil, fmt.Errorf("load time zone %s: %w", DefaultZone, err)
		}
	}
	setupProcess()
	if err := prepareFile(abs); err != nil {
		return nil, err
	}

	db, err := sql.Open("sqlite", dsn(abs, opt.Collector))
	if err != nil {
		return nil, err
	}
	db.SetMaxIdleConns(4)
	s := &Store{db: db, path: path, opt: opt, loc: loc}
	if err := s.init(ctx); err != nil {
		db.Close()
		return nil, err
	}
	return s, nil
}

// prepareFile creates the folder and an empty database file (mode 0600: notes
// and refs are personal data) when there is none, and refuses a file that is
// not SQLite or was written by a newer program before the driver touches it.
func prepareFile(path string) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o750); err != nil {
		return fmt.Errorf("create folder (is the place writable?): %w", err)
	}
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600)
	if err == nil {
		// New: make its name durable too, then SQLite takes the empty file.
		defer f.Close()
		return syncDir(filepath.Dir(path))
	}
	if f, err = os.OpenFile(path, os.O_RDWR, 0); err != nil {
		return fmt.Errorf("open file for writing (is the place writable?): %w", err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return err
	}
	if !st.Mode().IsRegular() {
		return fmt.Errorf("%w: not a regular file", ErrNotSQLite)
	}
	if st.Size() == 0 {
		return nil // SQLite makes a new database of an empty file
	}
	var hdr [100]byte
	n, err := io.ReadFull(f, hdr[:])
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) {
		return err
	}
	if n < len(sqliteMagic) || !bytes.Equal(hdr[:len(sqliteMagic)], sqliteMagic) {
		return ErrNotSQLite
	}
	if n == len(hdr) && !plausibleHeader(hdr[:]) {
		return ErrNotSQLite
	}
	if n == len(hdr) {
		// user_version lives at offset 60. A WAL not yet checkpointed may
		// hold a newer one; init checks again through SQLite.
		if v := int(uint32(hdr[60])<<24 | uint32(hdr[61])<<16 | uint32(hdr[62])<<8 | uint32(hdr[63])); v > latestVersion() {
			return schemaTooNew(v)
		}
	}
	return nil
}

// syncDir makes the names in dir durable.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	if err := d.Sync(); err != nil {
		return fmt.Errorf("sync folder %s: %w", dir, err)
	}
	return nil
}

// plausibleHeader checks the header fields SQLite itself insists on: a page
// size that is a power of two from 512 to 65536, and the fixed payload
// fractions 64, 32, 32.
func plausibleHeader(h []byte) bool {
	size := int(h[16])<<8 | int(h[17])
	if size == 1 {
		size = 65536
	}
	return size >= 512 && size <= 65536 && size&(size-1) == 0 &&
		h[21] == 64 && h[22] == 32 && h[23] == 32
}

func schemaTooNew(v int) error {
	return fmt.Errorf("%w: schema version %d, this program knows up to %d; use a newer whycall",
		ErrSchemaTooNew, v, latestVersion())
}

// dsn is the modernc data source name: the path as a file: URI (so that '?'
// or '%' in it cannot be taken for parameters) and the connection pragmas.
func dsn(path string, collector bool) string {
	q := url.Values{}
	q.Add("_pragma", fmt.Sprintf("busy_timeout(%d)", busyTimeout.Milliseconds()))
	q.Add("_pragma", "journal_mode(WAL)")
	q.Add("_pragma", "foreign_keys(1)")
	if collector {
		q.Add("_pragma", "synchronous(NORMAL)")
	} else {
		q.Add("_pragma", "synchronous(FULL)")
		q.Add("_pragma", "wal_autocheckpoint(0)")
	}
	q.Set("_txlock", "immediate")
	u := url.URL{Path: filepath.ToSlash(path)}
	return "file:" + u.EscapedPath() + "?" + q.Encode()
}

// init verifies the connection settings, migrates, prepares the hot-path
// statements and makes sure the rollup counts days in s.loc.
func (s *Store) init(ctx context.Context) error {
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return driverError(err)
	}
	defer conn.Close()
	var mode string
	if err := conn.QueryRowContext(ctx, "PRAGMA journal_mode").Scan(&mode); err != nil {
		return driverError(err)
	}
	if !strings.EqualFold(mode, "wal") {
		return fmt.Errorf("journal_mode is %q, want wal (is the file on a network share?)", mode)
	}
	if s.opt.OnUpgrade != nil {
		if v, err := userVersion(ctx, conn); err == nil && v > 0 && v < latestVersion() {
			s.opt.OnUpgrade(v, latestVersion())
		}
	}
	if err := migrate(ctx, conn, migrations); err != nil {
		return err
	}
	// Bounded statistics refresh, so plans stay good without start-up time
	// growing with the size of the database.
	if _, err := conn.ExecContext(ctx, "PRAGMA analysis_limit=400; PRAGMA optimize=0x10002"); err != nil {
		return fmt.Errorf("optimize: %w", driverError(err))
	}
	conn.Close()
	if !s.opt.ForReading {
		if err := s.stmts(); err != nil {
			return err
		}
	}
	return s.checkRollupZone(ctx)
}

// Close checkpoints the WAL and closes the database. Closing again does
// nothing.
func (s *Store) Close() error {
	if s.closed.Swap(true) {
		return nil
	}
	ctx := context.Background()
	var errs []error
	if _, err := s.db.ExecContext(ctx, "PRAGMA wal_checkpoint(PASSIVE)"); err != nil {
		errs = append(errs, fmt.Errorf("checkpoint: %w", err))
	}
	if _, err := s.db.ExecContext(ctx, "PRAGMA optimize"); err != nil {
		errs = append(errs, fmt.Errorf("optimize: %w", err))
	}
	stmts := append([]*sql.Stmt{s.stmtGet, s.stmtInsert, s.stmtInsertChunk, s.stmtUpdate, s.stmtRollupPrune}, s.stmtRollupAdd[:]...)
	for _, st := range stmts {
		if st != nil {
			st.Close()
		}
	}
	if err := s.db.Close(); err != nil {
		errs = append(errs, err)
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("close store %s: %w", s.path, err)
	}
	return nil
}

// Checkpoint copies what the WAL holds into the database file without
// waiting for readers or writers (a PASSIVE checkpoint). An agent's database
// never checkpoints on its own, so that no save pays for one; the capture
// screen calls this when the agent is idle.
func (s *Store) Checkpoint(ctx context.Context) error {
	if _, err := s.db.ExecContext(ctx, "PRAGMA wal_checkpoint(PASSIVE)"); err != nil {
		return fmt.Errorf("checkpoint %s: %w", s.path, driverError(err))
	}
	return nil
}

// Path returns the database file's path.
func (s *Store) Path() string { return s.path }

// Location returns the time zone whose calendar days the rollup counts by;
// times read from the store are in it.
func (s *Store) Location() *time.Location { return s.loc }

// DB returns the underlying database for read-only queries (reports, export).
// Changes to contacts must go through the Store's methods, which keep rev and
// the rollup right.
func (s *Store) DB() *sql.DB { return s.db }

// now reads the clock once, at the millisecond precision stored.
func (s *Store) now() time.Time {
	t := time.Now()
	if s.opt.Now != nil {
		t = s.opt.Now()
	}
	return fromMillis(t.UnixMilli(), s.loc)
}

func fromMillis(ms int64, loc *time.Location) time.Time {
	return time.UnixMilli(ms).In(loc)
}

// driverError maps SQLite result codes to this package's errors and adds a
// hint where the user can do something about it.
func driverError(err error) error {
	var se *sqlite.Error
	if !errors.As(err, &se) {
		return err
	}
	switch se.Code() & 0xff {
	case sqlite3.SQLITE_NOTADB:
		return fmt.Errorf("%w: %v", ErrNotSQLite, err)
	case sqlite3.SQLITE_CANTOPEN, sqlite3.SQLITE_READONLY, sqlite3.SQLITE_PERM:
		return fmt.Errorf("%v (is the place writable?)", err)
	case sqlite3.SQLITE_BUSY:
		return fmt.Errorf("%v (another program held the database for more than %v)", err, busyTimeout)
	}
	return err
}
