package batch

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"whycall/store"
)

// DirIngester is what IngestDir stores batches with; *store.Ingester is
// one.
type DirIngester interface {
	Ingester
	// IngestAll stores batches as Ingest does each, in one transaction,
	// and says per batch what became of it (see store.Ingester.IngestAll).
	IngestAll(ctx context.Context, bs []*store.IngestBatch) ([]store.IngestResult, []error)
	IngestedFiles(ctx context.Context) (map[string]bool, error)
}

// DirReport says what IngestDir did.
type DirReport struct {
	// Seen is how many batch files were already ingested by an earlier run.
	Seen int
	// Ingested is how many new files were read into the database (their
	// batch was new or, for DuplicateBatches of them, known already).
	Ingested, DuplicateBatches int
	// Accepted, Duplicate and Stale count the contact revisions in them.
	Accepted, Duplicate, Stale int
	// Skipped lists files that were not ingested, with why: corrupt
	// batches, files of another program, unreadable files. They are
	// reported again on the next run.
	Skipped []Skipped
}

// Skipped is a file IngestDir did not ingest.
type Skipped struct {
	File string
	Why  string
}

// IngestDir reads every batch file in dir that was not ingested before into
// the database and remembers it. A corrupt or foreign file is skipped and
// reported, and the rest goes on; files still being written (hidden
// temporary names) and folders are passed over in silence. Running it again
// ingests only what is new. The error is for what stops the run: a folder
// that cannot be read, a database that fails.
//
// Files are read and decoded ahead, beside the database's work, and stored
// several at a time in one transaction (up to groupFiles files or
// groupContacts contacts, as many as are decoded when the database is
// free): each file is all stored or not at all, and a run stopped half way
// leaves whole files stored and the rest for the next run.
func IngestDir(ctx context.Context, in DirIngester, dir string, now func() time.Time) (DirReport, error) {
	var rep DirReport
	if now == nil {
		now = time.Now
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return rep, fmt.Errorf("read ingest folder: %w", err)
	}
	done, err := in.IngestedFiles(ctx)
	if err != nil {
		return rep, err
	}
	sort.Slice(entries, func(i, j int) bool { return entries[i].Name() < entries[j].Name() })
	var names []string
	for _, e := range entries {
		name := e.Name()
		switch {
		case strings.HasPrefix(name, ".") || e.IsDir():
		case done[name]:
			rep.Seen++
		case !strings.HasPrefix(name, "whycall-") || !strings.HasSuffix(name, ".json"):
			rep.Skipped = append(rep.Skipped, Skipped{name, "not a whycall batch file (their names are whycall-<agent>-<batch id>.json)"})
		default:
			names = append(names, name)
		}
	}

	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	files := make(chan dirFile, readAhead)
	go func() {
		defer close(files)
		for _, name := range names {
			if ctx.Err() != nil {
				return
			}
			f := dirFile{name: name}
			var b *Batch
			b, f.size, f.why = readBatchFile(filepath.Join(dir, name), now())
			if b != nil {
				f.batch = IngestBatch(b, name, f.size)
			}
			select {
			case files <- f:
			case <-ctx.Done():
				return
			}
		}
	}()

	var group []dirFile
	var batches []*store.IngestBatch
	for f := range files {
		if err := ctx.Err(); err != nil {
			return rep, err
		}
		// This file and those decoded by now, up to a group.
		group = append(group[:0], f)
		contacts := f.contacts()
	more:
		for len(group) < groupFiles && contacts < groupContacts {
			select {
			case f, ok := <-files:
				if !ok {
					break more
				}
				group = append(group, f)
				contacts += f.contacts()
			default:
				break more
			}
		}
		batches = batches[:0]
		for _, f := range group {
			if f.batch != nil {
				batches = append(batches, f.batch)
			}
		}
		var res []store.IngestResult
		var errs []error
		if len(batches) > 0 {
			res, errs = in.IngestAll(ctx, batches)
		}
		k := 0
		for _, f := range group {
			if f.batch == nil {
				rep.Skipped = append(rep.Skipped, Skipped{f.name, f.why})
				continue
			}
			r, err := res[k], errs[k]
			k++
			if errors.Is(err, store.ErrInvalid) {
				rep.Skipped = append(rep.Skipped, Skipped{f.name, err.Error()})
				continue
			}
			if err != nil {
				return rep, fmt.Errorf("ingest %s: %w", f.name, err)
			}
			rep.Ingested++
			if r.DuplicateBatch {
				rep.DuplicateBatches++
			}
			rep.Accepted += r.Accepted
			rep.Duplicate += r.Duplicate
			rep.Stale += r.Stale
		}
	}
	return rep, ctx.Err()
}

// How IngestDir groups files: at most groupFiles files or groupContacts
// contacts (at least one file) in a transaction, with up to readAhead files
// decoded and waiting.
const (
	groupFiles    = 64
	groupContacts = 64 * MaxContacts
	readAhead     = groupFiles
)

// dirFile is a batch file read for IngestDir: its batch, or why not.
type dirFile struct {
	name  string
	size  int64
	batch *store.IngestBatch
	why   string
}

func (f dirFile) contacts() int {
	if f.batch == nil {
		return 0
	}
	return len(f.batch.Contacts)
}

// readBatchFile reads and decodes a batch file, or says why it cannot.
func readBatchFile(path string, now time.Time) (*Batch, int64, string) {
	f, err := os.Open(path)
	if err != nil {
		return nil, 0, "cannot be read: " + err.Error()
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, 0, "cannot be read: " + err.Error()
	}
	if !st.Mode().IsRegular() {
		return nil, 0, "not a regular file"
	}
	if st.Size() > MaxDocumentBytes {
		return nil, 0, fmt.Sprintf("%d bytes, larger than any batch (%d)", st.Size(), MaxDocumentBytes)
	}
	data, err := io.ReadAll(io.LimitReader(f, MaxDocumentBytes+1))
	if err != nil {
		return nil, 0, "cannot be read: " + err.Error()
	}
	b, err := Decode(data, now)
	if err != nil {
		return nil, 0, err.Error()
	}
	return b, int64(len(data)), ""
}

// String describes a report in one line, for people.
func (r DirReport) String() string {
	s := fmt.Sprintf("ingested %d new batch file(s): %d contact revision(s) new or changed, %d already there, %d older than what is there",
		r.Ingested, r.Accepted, r.Duplicate, r.Stale)
	if r.DuplicateBatches > 0 {
		s += fmt.Sprintf("; %d file(s) held a batch ingested before", r.DuplicateBatches)
	}
	if r.Seen > 0 {
		s += fmt.Sprintf("; %d file(s) ingested by earlier runs", r.Seen)
	}
	s += fmt.Sprintf("; %d file(s) skipped", len(r.Skipped))
	return s
}
