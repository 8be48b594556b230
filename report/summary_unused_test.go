package report

import (
	"slices"
	"testing"
)

// TestUnusedReasonsLongAgo: a reason used only before the days whose rollup
// rows the summary reads (the 28-day baseline and a week) still counts as
// used within the unused-reason window.
func TestUnusedReasonsLongAgo(t *testing.T) {
	f := newFixture(t)
	f.add(
		contact{at: at(handDay.Add(-95), 10, 0), reasons: []string{"invoice_wrong"}},
		contact{at: at(handDay.Add(-60), 10, 0), reasons: []string{"delivery_status"}},
		contact{at: at(handDay, 10, 0), reasons: []string{"purchase_advice"}},
	)
	f.save()
	unused := func(days int) []string {
		t.Helper()
		o := handOptions()
		o.UnusedDays = days
		o.Taxonomy = f.v2
		var ids []string
		for _, u := range f.summarize(handDay, o).Health.Unused {
			ids = append(ids, u.ID)
		}
		return ids
	}
	tests := []struct {
		name       string
		days       int
		unused     []string
		stillInUse []string
	}{
		{"a reason used 60 days ago is in use over 90 days", 90, []string{"invoice_wrong"}, []string{"delivery_status", "purchase_advice"}},
		{"a reason used 60 days ago is unused over 50 days", 50, []string{"invoice_wrong", "delivery_status"}, []string{"purchase_advice"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := unused(tt.days)
			for _, id := range tt.unused {
				if !slices.Contains(got, id) {
					t.Errorf("%s not among the unused %v", id, got)
				}
			}
			for _, id := range tt.stillInUse {
				if slices.Contains(got, id) {
					t.Errorf("%s among the unused %v", id, got)
				}
			}
		})
	}
}
