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
// the database, one transaction per file, and remembers it. A corrupt or
// foreign file is skipped and reported, and the rest goes on; files still
// being written (hidden temporary names) and folders are passed over in
// silence. Running it again ingests only what is new. The error is for
// what stops the run: a folder that cannot be read, a database that fails.
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
	for _, e := range entries {
		name := e.Name()
		if strings.HasPrefix(name, ".") || e.IsDir() {
			continue
		}
		if done[name] {
			rep.Seen++
			continue
		}
		if err := ctx.Err(); err != nil {
			return rep, err
		}
		if !strings.HasPrefix(name, "whycall-") || !strings.HasSuffix(name, ".json") {
			rep.Skipped = append(rep.Skipped, Skipped{name, "not a whycall batch file (their names are whycall-<agent>-<batch id>.json)"})
			continue
		}
		b, size, why := readBatchFile(filepath.Join(dir, name), now())
		if why != "" {
			rep.Skipped = append(rep.Skipped, Skipped{name, why})
			continue
		}
		res, err := in.Ingest(ctx, IngestBatch(b, name, size))
		if errors.Is(err, store.ErrInvalid) {
			rep.Skipped = append(rep.Skipped, Skipped{name, err.Error()})
			continue
		}
		if err != nil {
			return rep, fmt.Errorf("ingest %s: %w", name, err)
		}
		rep.Ingested++
		if res.DuplicateBatch {
			rep.DuplicateBatches++
		}
		rep.Accepted += res.Accepted
		rep.Duplicate += res.Duplicate
		rep.Stale += res.Stale
	}
	return rep, nil
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
