package batch

import (
	"fmt"
	"os"
	"testing"
	"time"

	"whycall/store"
)

// testNow is the readers' clock in tests.
var testNow = time.Date(2026, 3, 2, 12, 0, 0, 0, time.UTC)

// testTaxonomy is the small taxonomy in testdata, as a batch carries it.
func testTaxonomy(tb testing.TB) Taxonomy {
	tb.Helper()
	y, err := os.ReadFile("testdata/taxonomy.yaml")
	if err != nil {
		tb.Fatal(err)
	}
	return Taxonomy{Version: TaxonomyVersion(y), ID: "example", Revision: 3, YAML: y}
}

// testID makes the n-th contact id of a desk: a canonical UUIDv7 whose
// order follows n.
func testID(desk, n int) string {
	ms := testNow.Add(-time.Hour).UnixMilli() + int64(n)
	return fmt.Sprintf("%08x-%04x-7%03x-8%03x-%012x", uint32(ms>>16), uint16(ms), desk&0xfff, n>>12&0xfff, n&0xfff|desk<<24)
}

// testContact is the n-th finished contact of a desk, at rev 3.
func testContact(tax Taxonomy, desk, n int) store.Contact {
	start := testNow.Add(-time.Duration(n%600) * time.Minute).Truncate(time.Millisecond)
	reasons := [][]string{{"late_delivery"}, {"invoice_unclear", "late_delivery"}, {"delivery_other"}, nil}[n%4]
	c := store.Contact{
		ID: testID(desk, n), Agent: fmt.Sprintf("agent%d", desk), Team: "kundeservice-oslo", Site: "oslo",
		Channel: store.Channels[n%len(store.Channels)], StartedAt: start,
		EndedAt: start.Add(time.Duration(30+n%600) * time.Second), Reasons: reasons,
		Outcome: store.Outcomes[n%len(store.Outcomes)], TaxonomyVersion: tax.Version,
		Rev: 3, UpdatedAt: start.Add(11 * time.Minute),
	}
	if n%3 == 0 {
		c.CustomerRef = fmt.Sprintf("h1:%064x", n)
	}
	if reasons != nil && reasons[0] == "delivery_other" {
		c.Note = "Kunden ønsket å hente pakken selv – «ring tilbake»"
	}
	return c
}

// testBatch is a batch of n contacts from one desk.
func testBatch(tb testing.TB, desk, first, n int) *Batch {
	tax := testTaxonomy(tb)
	b := &Batch{
		ID:    testID(1000+desk, first),
		Agent: fmt.Sprintf("agent%d", desk), Site: "oslo",
		Created: testNow.Add(-time.Minute), Taxonomies: []Taxonomy{tax},
	}
	for i := first; i < first+n; i++ {
		b.Contacts = append(b.Contacts, testContact(tax, desk, i))
	}
	return b
}
