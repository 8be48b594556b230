package taxonomy_test

import (
	"fmt"
	"slices"
	"sync"
	"testing"
	"unicode/utf8"

	"whycall/taxonomy"
	"whycall/taxonomy/taxtest"
)

func ids(ms []taxonomy.Match) []string {
	out := make([]string, len(ms))
	for i, m := range ms {
		out[i] = m.Reason.ID
	}
	return out
}

func TestSearchFindsTheReasonInEveryLanguage(t *testing.T) {
	d := taxonomy.Default()
	cases := []struct {
		query  string
		locale taxonomy.Locale
		first  string
		text   string // the text shown for the first result
	}{
		{"forsinket", "nb", "delivery_late", "Forsinket levering"},
		{"forsenad", "sv", "delivery_late", "Försenad leverans"},
		{"försenad", "sv", "delivery_late", "Försenad leverans"},
		{"FORSINKET", "nb", "delivery_late", "Forsinket levering"},
		{"late", "en", "delivery_late", "Late delivery"},
		{"late", "nb", "delivery_late", "Late delivery"},
		{"faktura feil", "nb", "invoice_wrong", "Feil på faktura"},
		{"feil faktura", "nb", "invoice_wrong", "Feil på faktura"},
		{"fel faktura", "sv", "invoice_wrong", "Fel på faktura"},
		{"wrong invoice", "en", "invoice_wrong", "Wrong invoice"},
		{"flytt", "sv", "moving", "Flytt"},
		{"angrerett", "nb", "return_withdrawal", "Retur / angrerett"},
		{"angerratt", "sv", "return_withdrawal", "Retur / ångerrätt"},
		{"hvor er", "nb", "delivery_status", "Hvor er varen min?"},
		{"var ar min vara", "sv", "delivery_status", "Var är min vara?"},
		{"where is my", "en", "delivery_status", "Where is my order?"},
		{"nede", "nb", "service_outage", "Driftsavbrudd – tjenesten er nede"},
		{"invoice_wrong", "nb", "invoice_wrong", "invoice_wrong"},
	}
	for _, tc := range cases {
		t.Run(fmt.Sprintf("%q in %s finds %s", tc.query, tc.locale, tc.first), func(t *testing.T) {
			ms := d.Search(tc.query, tc.locale, 5)
			if len(ms) == 0 {
				t.Fatal("no results")
			}
			if ms[0].Reason.ID != tc.first || ms[0].Text != tc.text {
				t.Errorf("first result %s %q, want %s %q; all: %v", ms[0].Reason.ID, ms[0].Text, tc.first, tc.text, ids(ms))
			}
		})
	}
}

func TestLevFindsDeliveryLate(t *testing.T) {
	ms := taxonomy.Default().Search("lev", "nb", 0)
	if !slices.Contains(ids(ms), "delivery_late") {
		t.Fatalf("Search(lev) = %v, want delivery_late among them", ids(ms))
	}
	// Four labels have a word starting "lev": they tie and keep file order,
	// ahead of cancel_leave, whose id has l-e…v scattered.
	want := []string{"delivery_late", "delivery_damaged", "delivery_other", "praise_delivery"}
	if got := ids(ms)[:4]; !slices.Equal(got, want) {
		t.Errorf("top four = %v, want %v", got, want)
	}
	if i := slices.Index(ids(ms), "cancel_leave"); i >= 0 && i < 4 {
		t.Errorf("a scattered match ranks %d", i)
	}
}

func TestSearchRanking(t *testing.T) {
	d := taxonomy.Default()
	before := func(t *testing.T, ms []taxonomy.Match, a, b string) {
		t.Helper()
		got := ids(ms)
		ia, ib := slices.Index(got, a), slices.Index(got, b)
		if ia < 0 || ib < 0 || ia > ib {
			t.Errorf("want %s before %s in %v", a, b, got)
		}
	}
	t.Run("a prefix beats a word start further in", func(t *testing.T) {
		ms := d.Search("pris", "nb", 0)
		before(t, ms, "price_value", "price_billing_other") // "Pris for høy…" vs "Annet om pris/faktura"
		before(t, ms, "price_change", "price_billing_other")
	})
	t.Run("a word start beats the middle of a word, even in another locale", func(t *testing.T) {
		// nb "Ros: kundeservice" has it mid-word; en "Praise: customer
		// service" at a word start, which outweighs the nb preference.
		ms := d.Search("service", "nb", 0)
		i := slices.Index(ids(ms), "praise_service")
		if i < 0 || ms[i].Text != "Praise: customer service" || ms[i].Locale != "en" {
			t.Errorf("praise_service matched as %+v", ms[i])
		}
	})
	t.Run("contiguous beats scattered", func(t *testing.T) {
		ms := d.Search("kamp", "nb", 0) // "Kampanje eller tilbud uklart" vs k…a…m…p spread out
		if len(ms) == 0 || ms[0].Reason.ID != "campaign_offer" {
			t.Fatalf("Search(kamp) = %v", ids(ms))
		}
		for _, m := range ms[1:] {
			if m.Score >= ms[0].Score {
				t.Errorf("%s (%q) scores %d, as high as the contiguous match's %d", m.Reason.ID, m.Text, m.Score, ms[0].Score)
			}
		}
	})
	t.Run("the chosen locale's label wins a tie", func(t *testing.T) {
		for l, want := range map[taxonomy.Locale]string{"nb": "Feil på faktura", "sv": "Fel på faktura"} {
			ms := d.Search("faktura", l, 0)
			i := slices.Index(ids(ms), "invoice_wrong")
			if i < 0 || ms[i].Text != want || ms[i].Locale != l {
				t.Errorf("in %s invoice_wrong matched as %+v, want %q", l, ms[i], want)
			}
		}
	})
	t.Run("equal scores keep file order", func(t *testing.T) {
		order := make(map[*taxonomy.Reason]int)
		for i, r := range d.Reasons() {
			order[r] = i
		}
		for _, q := range []string{"a", "e", "lev", "fak", "annet", "ros", "k"} {
			ms := d.Search(q, "nb", 0)
			for i := 1; i < len(ms); i++ {
				if ms[i].Score > ms[i-1].Score {
					t.Errorf("%q: not sorted by score at %d", q, i)
				}
				if ms[i].Score == ms[i-1].Score && order[ms[i].Reason] < order[ms[i-1].Reason] {
					t.Errorf("%q: tie between %s and %s out of file order", q, ms[i-1].Reason.ID, ms[i].Reason.ID)
				}
			}
		}
	})
}

func TestSearchFoldsDiacritics(t *testing.T) {
	tax := mustLoad(t, small) // nb label "Skadet vare (knust glass/væske)"
	const label = "Skadet vare (knust glass/væske)"
	ae := utf8.RuneCountInString("Skadet vare (knust glass/v")
	for _, q := range []string{"væske", "vaeske", "vaske", "VÆSKE"} {
		ms := tax.Search(q, "nb", 1)
		if len(ms) != 1 || ms[0].Reason.ID != "delivery_damaged" || ms[0].Text != label {
			t.Errorf("Search(%q) = %v", q, ms)
			continue
		}
		want := []int{ae - 1, ae, ae + 1, ae + 2, ae + 3}
		if !slices.Equal(ms[0].Positions, want) {
			t.Errorf("Search(%q) positions %v, want %v (æ once)", q, ms[0].Positions, want)
		}
	}
}

// Letters outside Latin share one bit of the character masks, so a query of
// one such letter must still be compared, not taken from the masks.
func TestSearchMatchesOtherScriptsExactly(t *testing.T) {
	tax := mustLoad(t, apply(t, small, edit{`"praise"`, `en: "Praise"`, `en: "Praise Ωmega"`}))
	if ms := tax.Search("ж", "en", 0); len(ms) != 0 {
		t.Errorf("Search(ж) = %v, want nothing", ids(ms))
	}
	ms := tax.Search("Ω", "en", 0)
	if len(ms) != 1 || ms[0].Reason.ID != "praise" || !slices.Equal(ms[0].Positions, []int{7}) {
		t.Errorf("Search(Ω) = %+v, want praise at rune 7", ms)
	}
}

func TestSearchPositionsPointAtTheMatchedCharacters(t *testing.T) {
	d := taxonomy.Default()
	ms := d.Search("forsenad", "sv", 1)
	if got, want := ms[0].Positions, []int{0, 1, 2, 3, 4, 5, 6, 7}; !slices.Equal(got, want) {
		t.Errorf("positions in %q = %v, want %v", ms[0].Text, got, want)
	}
	ms = d.Search("feil faktura", "nb", 1) // "Feil på faktura"
	if got, want := ms[0].Positions, []int{0, 1, 2, 3, 8, 9, 10, 11, 12, 13, 14}; !slices.Equal(got, want) {
		t.Errorf("positions in %q = %v, want %v", ms[0].Text, got, want)
	}
	for _, q := range []string{"a", "lev", "fk", "kunde service", "øæå", "x y z", "ee", "delivery_late"} {
		for _, l := range []taxonomy.Locale{"nb", "sv", "en"} {
			for _, m := range d.Search(q, l, 0) {
				n := utf8.RuneCountInString(m.Text)
				if len(m.Positions) == 0 {
					t.Errorf("%q: %s has no positions", q, m.Reason.ID)
				}
				for i, p := range m.Positions {
					if p < 0 || p >= n || i > 0 && p <= m.Positions[i-1] {
						t.Errorf("%q: positions %v out of order or range in %q", q, m.Positions, m.Text)
						break
					}
				}
			}
		}
	}
}

func TestAnEmptyQueryListsTheOfferedReasonsInOrder(t *testing.T) {
	tax := mustLoad(t, small)
	for _, q := range []string{"", "   ", " / "} {
		ms := tax.Search(q, "sv", 0)
		if got, want := ids(ms), idsOf(tax.Offered()); !slices.Equal(got, want) {
			t.Errorf("Search(%q) = %v, want %v", q, got, want)
		}
		if ms[0].Text != "Försenad leverans" || ms[0].Locale != "sv" || ms[0].Positions != nil {
			t.Errorf("Search(%q)[0] = %+v, want the sv label without positions", q, ms[0])
		}
	}
	if ms := tax.Search("", "nb", 2); len(ms) != 2 {
		t.Errorf("limit 2 gave %d", len(ms))
	}
	if ms := tax.Search("", "de", 1); ms[0].Text != "Forsinket levering" || ms[0].Locale != "nb" {
		t.Errorf("an undeclared locale shows %+v, want the default locale", ms[0])
	}
}

func idsOf(rs []*taxonomy.Reason) []string {
	out := make([]string, len(rs))
	for i, r := range rs {
		out[i] = r.ID
	}
	return out
}

func TestSearchLimitsAndMisses(t *testing.T) {
	d := taxonomy.Default()
	if ms := d.Search("e", "nb", 3); len(ms) != 3 {
		t.Errorf("limit 3 gave %d results", len(ms))
	}
	if all := d.Search("e", "nb", 0); len(all) < 40 {
		t.Errorf("limit 0 gave only %d results", len(all))
	}
	for _, q := range []string{"zzzz", "qqq", "forsinket zzz", "ж"} {
		if ms := d.Search(q, "nb", 10); len(ms) != 0 {
			t.Errorf("Search(%q) = %v, want nothing", q, ids(ms))
		}
	}
}

func TestALimitedSearchIsTheHeadOfTheFullRanking(t *testing.T) {
	queries := []string{"a", "l", "e", "x", "ø", "lev", "fak", "forsinket", "faktura feil", "late invoice",
		"r01", "ros", "kunde", "annet om", "o o", "ab", "ing", "ae", "pris", "r0448"}
	for _, tax := range []*taxonomy.Taxonomy{taxonomy.Default(), taxtest.MustGenerate(t, 700)} {
		for _, q := range queries {
			for _, l := range []taxonomy.Locale{"nb", "sv", "en"} {
				full := tax.Search(q, l, 0)
				for _, limit := range []int{1, 3, 10} {
					got := tax.Search(q, l, limit)
					want := full[:min(limit, len(full))]
					if !equalMatches(got, want) {
						t.Errorf("%s: Search(%q, %s, %d) = %v, want %v", tax.ID, q, l, limit, ids(got), ids(want))
					}
				}
			}
		}
	}
}

func equalMatches(a, b []taxonomy.Match) bool {
	return slices.EqualFunc(a, b, func(x, y taxonomy.Match) bool {
		return x.Reason == y.Reason && x.Score == y.Score && x.Text == y.Text && slices.Equal(x.Positions, y.Positions)
	})
}

func TestSearchIsSafeForConcurrentUse(t *testing.T) {
	tax := taxtest.MustGenerate(t, 300)
	queries := []string{"forsinket", "faktura feil", "late invoice", "ø", "a", "r0042"}
	want := make([][]string, len(queries))
	for i, q := range queries {
		want[i] = ids(tax.Search(q, "nb", 10))
	}
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Go(func() {
			for n := range 50 {
				i := (g + n) % len(queries)
				if got := ids(tax.Search(queries[i], "nb", 10)); !slices.Equal(got, want[i]) {
					t.Errorf("concurrent Search(%q) = %v, want %v", queries[i], got, want[i])
					return
				}
			}
		})
	}
	wg.Wait()
}

var benchQueries = []string{"l", "lev", "forsinket", "faktura feil", "zzz"}

func BenchmarkSearch(b *testing.B) {
	for _, tc := range []struct {
		name string
		tax  *taxonomy.Taxonomy
	}{
		{"default", taxonomy.Default()},
		{"2000", taxtest.MustGenerate(b, 2000)},
	} {
		for _, q := range benchQueries {
			b.Run(fmt.Sprintf("%s/%s", tc.name, q), func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					tc.tax.Search(q, "nb", 10)
				}
			})
		}
	}
}

func BenchmarkLoad(b *testing.B) {
	for _, tc := range []struct {
		name string
		src  []byte
	}{
		{"default", taxonomy.DefaultYAML()},
		{"2000", taxtest.Generate(2000)},
	} {
		b.Run(tc.name, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(tc.src)))
			for b.Loop() {
				if _, err := taxonomy.Load("bench.yaml", tc.src); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
