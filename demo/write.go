package demo

import (
	"context"
	"database/sql"
	"fmt"

	"whycall/store"
)

// Sink is where generated contacts go; *store.Store is one.
type Sink interface {
	PutMany(ctx context.Context, cs []store.Contact) error
}

// BatchSize is the most contacts Write puts in one transaction. Big
// transactions write each page of the (random-ordered) customer-ref index
// once for many contacts; at 1M contacts 50,000 took 7 % less CPU than
// 10,000. Smaller data sets use batches of a twentieth, at least
// minBatch, so a progress bar still moves.
const BatchSize = 50_000

const minBatch = 2_000

// batchSize is the transaction size for total contacts.
func batchSize(total int) int { return max(minBatch, min(BatchSize, total/20)) }

// Write makes every contact g has left and puts them into sink in batches of
// up to BatchSize, making the next days while a batch is written. progress, when
// not nil, is called after each batch with the number of contacts written
// so far.
func Write(ctx context.Context, g *Generator, sink Sink, progress func(done int)) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	days := make(chan []store.Contact, 4)
	go func() {
		defer close(days)
		for {
			cs, ok := g.Next()
			if !ok {
				return
			}
			select {
			case days <- cs:
			case <-ctx.Done():
				return
			}
		}
	}()
	done := 0
	size := batchSize(g.Total())
	batch := make([]store.Contact, 0, size)
	flush := func() error {
		if len(batch) == 0 {
			return nil
		}
		if err := sink.PutMany(ctx, batch); err != nil {
			return fmt.Errorf("write demo contacts: %w", err)
		}
		done += len(batch)
		batch = batch[:0]
		if progress != nil {
			progress(done)
		}
		return nil
	}
	for cs := range days {
		for len(cs) > 0 {
			n := min(len(cs), size-len(batch))
			batch = append(batch, cs[:n]...)
			cs = cs[n:]
			if len(batch) == size {
				if err := flush(); err != nil {
					return err
				}
			}
		}
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	return flush()
}

// Fill stores the generator's taxonomy and then every contact it makes in s.
// The contacts are ordinary finished contacts: the store keeps its rollup
// exact and sync will carry them like any other.
func Fill(ctx context.Context, s *store.Store, g *Generator, progress func(done int)) error {
	t := g.opt.Taxonomy
	if err := s.SaveTaxonomy(ctx, t.Version, t.ID, t.Revision, t.Source); err != nil {
		return fmt.Errorf("store demo taxonomy: %w", err)
	}
	return Write(ctx, g, s, progress)
}

// Census counts the contacts in a database by whether their agent is a demo
// agent (name starting with AgentPrefix) or real, tombstones included.
func Census(ctx context.Context, db *sql.DB) (demo, real int64, err error) {
	err = db.QueryRowContext(ctx,
		`SELECT coalesce(sum(substr(agent, 1, ?) = ?), 0), count(*) FROM contacts`,
		len(AgentPrefix), AgentPrefix).Scan(&demo, &real)
	if err != nil {
		return 0, 0, fmt.Errorf("count contacts by agent: %w", err)
	}
	return demo, real - demo, nil
}
