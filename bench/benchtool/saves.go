package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"math"
	"slices"
	"time"

	"whycall/store"
)

// saves measures durable saves of one change, the way the capture screen
// makes them: on an agent's database (WAL, synchronous=FULL, no checkpoint
// on the save path), each change one transaction. It times n changes to
// drafts, cycling through the kinds an agent makes (reason, outcome,
// channel, note, finish and start the next), and prints the percentiles.
//
// Prints: p50_ms p99_ms p999_ms max_ms n.
func saves(args []string) error {
	fs := flag.NewFlagSet("saves", flag.ContinueOnError)
	n := fs.Int("n", 3000, "number of saves to time")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return errors.New("want the database file")
	}
	ctx := context.Background()
	s, err := store.Open(ctx, fs.Arg(0), store.Options{})
	if err != nil {
		return err
	}
	defer s.Close()

	reasons := []string{"delivery_status", "delivery_late", "invoice_unclear", "product_defect"}
	lat := make([]float64, 0, *n)
	var c store.Contact
	timed := func(op func() (store.Contact, error)) error {
		start := time.Now()
		got, err := op()
		lat = append(lat, float64(time.Since(start).Nanoseconds())/1e6)
		c = got
		return err
	}
	newDraft := func() (store.Contact, error) {
		return s.StartDraft(ctx, store.Draft{Agent: "bench-agent", Team: "bench", TaxonomyVersion: "bench"})
	}
	if c, err = newDraft(); err != nil {
		return err
	}
	for i := 0; len(lat) < *n; i++ {
		var err error
		switch i % 6 {
		case 0:
			err = timed(func() (store.Contact, error) { return s.AddReason(ctx, c.ID, reasons[i/6%len(reasons)]) })
		case 1:
			err = timed(func() (store.Contact, error) { return s.SetOutcome(ctx, c.ID, store.OutcomeResolved) })
		case 2:
			err = timed(func() (store.Contact, error) { return s.SetChannel(ctx, c.ID, store.ChannelChat) })
		case 3:
			err = timed(func() (store.Contact, error) { return s.SetNote(ctx, c.ID, "ringer tilbake i morgen") })
		case 4:
			err = timed(func() (store.Contact, error) { return s.Finish(ctx, c.ID, time.Time{}) })
		case 5:
			err = timed(newDraft)
		}
		if err != nil {
			return fmt.Errorf("save %d: %w", len(lat), err)
		}
	}
	slices.Sort(lat)
	fmt.Printf("%.3f\t%.3f\t%.3f\t%.3f\t%d\n", percentile(lat, 0.50), percentile(lat, 0.99),
		percentile(lat, 0.999), lat[len(lat)-1], len(lat))
	return nil
}

// percentile is the nearest-rank percentile p (0–1) of sorted values.
func percentile(sorted []float64, p float64) float64 {
	i := int(math.Ceil(p*float64(len(sorted)))) - 1
	return sorted[max(0, min(i, len(sorted)-1))]
}
