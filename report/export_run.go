package report

import (
	"context"
	"fmt"
	"io"

	"whycall/store"
	"whycall/taxonomy"
)

// ExportJob is one export from a database: what to read and how to write it.
type ExportJob struct {
	Query   store.ExportQuery
	Options ExportOptions
	// Lang is the language of reason labels; Taxonomy is the one in use now,
	// the fallback for versions the database does not hold (nil if none).
	Lang     string
	Taxonomy *taxonomy.Taxonomy
	// Progress, if set, is called after each batch of rows with the number
	// of contacts written so far and the start (unix ms) of the last one read.
	Progress func(rows, lastStart int64)
}

// Run streams the contacts the job selects from src to w and returns how
// many it wrote. Memory stays flat whatever the number of contacts.
func (j ExportJob) Run(ctx context.Context, src *store.ExportReader, w io.Writer) (int64, error) {
	yaml, err := src.TaxonomyYAMLs(ctx)
	if err != nil {
		return 0, err
	}
	opt := j.Options
	q := j.Query
	e := NewExporter(w, opt, NewLabels(j.Lang, j.Taxonomy, yaml))
	q.History = e.repeats.windowDuration()
	err = src.Contacts(ctx, q, func(b *store.ExportBatch) error {
		if err := e.WriteBatch(b); err != nil {
			return err
		}
		if j.Progress != nil && len(b.Rows) > 0 {
			j.Progress(e.Rows(), b.Rows[len(b.Rows)-1].StartedAt)
		}
		return nil
	})
	if err != nil {
		return e.Rows(), err
	}
	if err := e.Flush(); err != nil {
		return e.Rows(), err
	}
	if err := ctx.Err(); err != nil {
		return e.Rows(), fmt.Errorf("export: %w", err)
	}
	return e.Rows(), nil
}
