package taxonomy_test

import (
	"errors"
	"regexp"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"whycall/taxonomy"
	"whycall/taxonomy/taxtest"
)

// FuzzLoad feeds Load the default, the small fixture, every broken variant
// of the validation table and some hostile YAML. Load must never panic; an
// error must be well-formed Problems; a taxonomy it returns must satisfy
// every rule (checked here independently of the validator) and answer
// lookups and searches consistently.
func FuzzLoad(f *testing.F) {
	def := taxonomy.DefaultYAML()
	f.Add(def)
	f.Add([]byte(small))
	f.Add(taxtest.Generate(40))
	for _, tc := range validationCases {
		f.Add([]byte(apply(f, small, tc.edits...)))
	}
	for _, cut := range []int{1, 100, 3000, len(def) / 2, len(def) - 7} {
		f.Add(def[:cut])
	}
	for _, s := range []string{
		"",
		"---\n...\n",
		"schema_version: 1\n",
		"a: &a [*a, *a]\nb: *a\n",
		"categories: &c [{id: x, reasons: *c}]\n",
		strings.Repeat("[", 5000),
		"\xef\xbb\xbfschema_version: 1\n",
		"schema_version: 1\x00\n",
		"schema_version: !!binary aGVsbG8=\n",
		"? [a, b]\n: c\n",
		"schema_version: 99999999999999999999999\n",
		"locales: [nb]\ndefault_locale: nb\ncategories: [{id: a, hotkey: \"1\", labels: {nb: A}, reasons: [{id: a}]}]\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		tax, err := taxonomy.Load("fuzz.yaml", data)
		if err != nil {
			checkProblems(t, tax, err)
			return
		}
		checkValid(t, tax)
		again, err := taxonomy.Load("again.yaml", tax.Source)
		if err != nil || again.Version != tax.Version {
			t.Fatalf("reloading an accepted source: %v (version %s vs %s)", err, again.Version, tax.Version)
		}
		q := string(data[:min(len(data), 12)])
		checkSearch(t, tax, q)
	})
}

func checkProblems(t *testing.T, tax *taxonomy.Taxonomy, err error) {
	t.Helper()
	if tax != nil {
		t.Fatal("Load returned a taxonomy and an error")
	}
	var ps taxonomy.Problems
	if !errors.As(err, &ps) || len(ps) == 0 {
		t.Fatalf("Load error %T %v is not a non-empty Problems", err, err)
	}
	for i, p := range ps {
		if p.File != "fuzz.yaml" || p.Line < 0 || p.Msg == "" {
			t.Fatalf("malformed problem %+v", p)
		}
		if i > 0 && p.Line < ps[i-1].Line {
			t.Fatalf("problems out of line order: %d after %d", p.Line, ps[i-1].Line)
		}
	}
	if err.Error() == "" {
		t.Fatal("empty error text")
	}
}

var fuzzID = regexp.MustCompile(`^[a-z][a-z0-9]*(_[a-z0-9]+)*$`)

// checkValid checks every rule of schema_version 1 on a loaded taxonomy.
func checkValid(t *testing.T, tax *taxonomy.Taxonomy) {
	t.Helper()
	fail := func(format string, args ...any) { t.Helper(); t.Fatalf(format, args...) }
	if tax.SchemaVersion != 1 || tax.Revision < 1 || !fuzzID.MatchString(tax.ID) {
		fail("header: schema %d revision %d id %q", tax.SchemaVersion, tax.Revision, tax.ID)
	}
	if len(tax.Locales) == 0 || !slices.Contains(tax.Locales, tax.DefaultLocale) {
		fail("default locale %q not in %v", tax.DefaultLocale, tax.Locales)
	}
	text := func(what string, tx taxonomy.Text, limit int) {
		t.Helper()
		if len(tx) != len(tax.Locales) {
			fail("%s has locales %v, want %v", what, tx, tax.Locales)
		}
		for _, l := range tax.Locales {
			s := tx[l]
			if strings.TrimSpace(s) == "" || limit > 0 && utf8.RuneCountInString(s) > limit {
				fail("%s in %s is %q", what, l, s)
			}
		}
	}
	vocabs := []struct {
		name  string
		v     taxonomy.Vocab
		fixed []string
	}{
		{"owners", tax.Owners, nil},
		{"stages", tax.Stages, nil},
		{"kinds", tax.Kinds, []string{"irritant", "value"}},
		{"treatments", tax.Treatments, []string{"eliminate", "simplify", "automate", "leverage"}},
	}
	for _, v := range vocabs {
		if len(v.v.Keys) == 0 || v.fixed != nil && !sameSet(v.v.Keys, v.fixed) {
			fail("vocab.%s = %v", v.name, v.v.Keys)
		}
		for _, k := range v.v.Keys {
			text("vocab."+v.name+"."+k, v.v.Labels[k], taxonomy.MaxLabelRunes)
		}
	}
	if len(tax.Categories) == 0 {
		fail("no categories")
	}
	ids := make(map[string]bool)
	claim := func(id string) {
		t.Helper()
		if !fuzzID.MatchString(id) || ids[id] {
			fail("id %q is malformed or used twice", id)
		}
		ids[id] = true
	}
	catKeys := make(map[string]bool)
	offered := 0
	for _, c := range tax.Categories {
		claim(c.ID)
		if !validHotkey(c.Hotkey) || catKeys[c.Hotkey] {
			fail("category %s hotkey %q", c.ID, c.Hotkey)
		}
		catKeys[c.Hotkey] = true
		text("category "+c.ID, c.Labels, taxonomy.MaxLabelRunes)
		if got, ok := tax.CategoryByHotkey(c.Hotkey); !ok || got != c {
			fail("CategoryByHotkey(%s)", c.Hotkey)
		}
		if got, ok := tax.Category(c.ID); !ok || got != c {
			fail("Category(%s)", c.ID)
		}
		if len(c.Offered()) == 0 {
			fail("category %s offers nothing", c.ID)
		}
		keys := make(map[string]bool)
		catchAlls := 0
		for _, r := range c.Reasons {
			claim(r.ID)
			if r.Category != c.ID {
				fail("reason %s says category %s", r.ID, r.Category)
			}
			if got, ok := tax.Reason(r.ID); !ok || got != r {
				fail("Reason(%s)", r.ID)
			}
			text("reason "+r.ID, r.Labels, taxonomy.MaxLabelRunes)
			text("description of "+r.ID, r.Description, 0)
			if !tax.Owners.Has(r.Owner) || !tax.Stages.Has(r.Stage) || !tax.Kinds.Has(string(r.Kind)) {
				fail("reason %s: owner %q stage %q kind %q", r.ID, r.Owner, r.Stage, r.Kind)
			}
			if r.Hotkey != "" && !validHotkey(r.Hotkey) {
				fail("reason %s hotkey %q", r.ID, r.Hotkey)
			}
			switch {
			case r.CatchAll && (r.Treatment != "" || r.Hotkey != "x"):
				fail("catch-all %s: treatment %q hotkey %q", r.ID, r.Treatment, r.Hotkey)
			case !r.CatchAll && r.Hotkey == "x":
				fail("reason %s has hotkey x", r.ID)
			case !r.CatchAll && r.Treatment != "" && !tax.Treatments.Has(string(r.Treatment)):
				fail("reason %s treatment %q", r.ID, r.Treatment)
			case !r.CatchAll && (r.Kind == taxonomy.KindValue) != (r.Treatment == taxonomy.TreatLeverage):
				fail("reason %s: kind %s with treatment %q", r.ID, r.Kind, r.Treatment)
			}
			if r.Deprecated {
				if slices.Contains(c.Offered(), r) {
					fail("deprecated %s is offered", r.ID)
				}
				continue
			}
			offered++
			if !slices.Contains(c.Offered(), r) {
				fail("%s is not offered", r.ID)
			}
			if r.CatchAll {
				catchAlls++
				if ca, ok := tax.CatchAll(c.ID); !ok || ca != r {
					fail("CatchAll(%s)", c.ID)
				}
			}
			if r.Hotkey != "" {
				if keys[r.Hotkey] {
					fail("hotkey %s twice in %s", r.Hotkey, c.ID)
				}
				keys[r.Hotkey] = true
				if got, ok := tax.ByHotkeys(c.Hotkey, r.Hotkey); !ok || got != r {
					fail("ByHotkeys(%s, %s)", c.Hotkey, r.Hotkey)
				}
			}
		}
		if catchAlls > 1 {
			fail("category %s has %d catch-alls", c.ID, catchAlls)
		}
	}
	if offered != len(tax.Offered()) || len(tax.Reasons())+len(tax.Categories) != len(ids) {
		fail("Offered() %d, Reasons() %d; counted %d offered, %d ids", len(tax.Offered()), len(tax.Reasons()), offered, len(ids))
	}
}

func sameSet(a, b []string) bool {
	a, b = slices.Clone(a), slices.Clone(b)
	slices.Sort(a)
	slices.Sort(b)
	return slices.Equal(a, b)
}

func validHotkey(k string) bool {
	return len(k) == 1 && (k[0] >= '0' && k[0] <= '9' || k[0] >= 'a' && k[0] <= 'z')
}

// checkSearch runs q in every locale and checks that the results are offered
// reasons, in score order, with positions inside their text.
func checkSearch(t *testing.T, tax *taxonomy.Taxonomy, q string) {
	t.Helper()
	for _, l := range append(slices.Clone(tax.Locales), "zz") {
		full := tax.Search(q, l, 0)
		for i, m := range full {
			if m.Reason.Deprecated || i > 0 && m.Score > full[i-1].Score {
				t.Fatalf("Search(%q, %s)[%d] = %s score %d", q, l, i, m.Reason.ID, m.Score)
			}
			n := utf8.RuneCountInString(m.Text)
			for j, p := range m.Positions {
				if p < 0 || p >= n || j > 0 && p <= m.Positions[j-1] {
					t.Fatalf("Search(%q, %s): positions %v in %q", q, l, m.Positions, m.Text)
				}
			}
		}
		if top := tax.Search(q, l, 3); !equalMatches(top, full[:min(3, len(full))]) {
			t.Fatalf("Search(%q, %s, 3) is not the head of the full ranking", q, l)
		}
	}
}

// FuzzSearch searches the default and a generated taxonomy for arbitrary
// queries: no panic, sane results.
func FuzzSearch(f *testing.F) {
	for _, q := range []string{"", "forsinket", "faktura feil", "ÆØÅ", "a\u030a", "x_y", "\xff\xfe", "   ", "r0042", strings.Repeat("ab", 100)} {
		f.Add(q)
	}
	def, gen := taxonomy.Default(), taxtest.MustGenerate(f, 300)
	f.Fuzz(func(t *testing.T, q string) {
		checkSearch(t, def, q)
		checkSearch(t, gen, q)
	})
}
