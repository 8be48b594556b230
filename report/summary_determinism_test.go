package report

import (
	"bytes"
	"encoding/json"
	"testing"
	"time"
)

// TestSummaryIsDeterministic: the same data gives the same summary to the
// last bit, however Go orders its maps (float sums depend on their order).
func TestSummaryIsDeterministic(t *testing.T) {
	f := newFixture(t)
	reasons := []string{"delivery_status", "delivery_late", "invoice_wrong", "purchase_advice", "billing_other", "sales_other"}
	for i := range 60 {
		// Handle times in odd milliseconds, so that minutes are inexact.
		f.add(contact{at: at(handDay, 8, i), reasons: []string{reasons[i%len(reasons)]},
			handle: time.Duration(61_337+7_919*i) * time.Millisecond})
	}
	f.save()
	var first []byte
	for i := range 20 {
		b, err := json.Marshal(f.summarize(handDay, handOptions()))
		if err != nil {
			t.Fatal(err)
		}
		if i == 0 {
			first = b
		} else if !bytes.Equal(b, first) {
			t.Fatalf("summary %d differs from the first:\n%s\n%s", i, b, first)
		}
	}
}
