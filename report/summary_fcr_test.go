package report

import (
	"slices"
	"strings"
	"testing"
)

// TestMeasuredFCRSameCategory: with Options.FCRSameCategory only a later
// contact in the same category counts as "not resolved".
func TestMeasuredFCRSameCategory(t *testing.T) {
	f := newFixture(t)
	cohort := handDay.Add(-7)
	f.add(
		contact{at: at(cohort, 10, 0), reasons: []string{"delivery_status"}, ref: "r1"},
		contact{at: at(cohort, 10, 5), reasons: []string{"delivery_late"}, ref: "r2"},
		contact{at: at(cohort, 10, 10), reasons: []string{"invoice_wrong"}, ref: "r3"},
		contact{at: at(cohort, 10, 15), reasons: []string{"purchase_advice"}, ref: "r4"},
		contact{at: at(cohort, 10, 20), reasons: []string{"invoice_wrong"}, ref: "r5"},
		contact{at: at(cohort, 10, 25), reasons: []string{"delivery_status"}, ref: "r6"},
		// r1 comes back about billing: another category.
		contact{at: at(cohort.Add(2), 9, 0), reasons: []string{"invoice_wrong"}, ref: "r1"},
		// r2 and r3 come back in their own category.
		contact{at: at(cohort.Add(3), 9, 0), reasons: []string{"delivery_status"}, ref: "r2"},
		contact{at: at(cohort.Add(5), 9, 0), reasons: []string{"invoice_wrong"}, ref: "r3"},
		contact{at: at(handDay, 9, 0), reasons: []string{"purchase_advice"}},
	)
	f.save()
	o := handOptions()
	o.FCRMinContacts = 1
	t.Run("any later contact counts by default", func(t *testing.T) {
		s := f.summarize(handDay, o)
		if s.FCR.CohortSize != 6 || s.FCR.CohortResolved != 3 {
			t.Errorf("cohort %d, resolved %d; want 6 and 3", s.FCR.CohortSize, s.FCR.CohortResolved)
		}
	})
	t.Run("only a later contact in the same category counts when asked", func(t *testing.T) {
		o.FCRSameCategory = true
		s := f.summarize(handDay, o)
		if s.FCR.CohortSize != 6 || s.FCR.CohortResolved != 4 || !approx(*s.FCRMeasured, 4.0/6) {
			t.Errorf("cohort %d, resolved %d; want 6 and 4", s.FCR.CohortSize, s.FCR.CohortResolved)
		}
		i := slices.IndexFunc(s.FCR.Lowest, func(r ReasonFCR) bool { return r.ID == "delivery_status" })
		if i < 0 || s.FCR.Lowest[i].Contacts != 2 || s.FCR.Lowest[i].FCR != 1 {
			t.Errorf("lowest %+v: want delivery_status with 2 contacts, both resolved", s.FCR.Lowest)
		}
		if ph := NewPhrases(s); !strings.Contains(ph.FCR, "67\u00a0% (kun samme kategori)") {
			t.Errorf("the FCR line %q does not say the measured FCR counts the same category only", ph.FCR)
		}
	})
}
