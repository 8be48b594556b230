package taxonomy_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"whycall/taxonomy"
)

func mustLoad(t testing.TB, doc string) *taxonomy.Taxonomy {
	t.Helper()
	tax, err := taxonomy.Load("taxonomy.yaml", []byte(doc))
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	return tax
}

func TestTheDefaultLoadsClean(t *testing.T) {
	if _, err := taxonomy.Load(taxonomy.DefaultFile, taxonomy.DefaultYAML()); err != nil {
		t.Fatalf("the embedded default has problems:\n%v", err)
	}
	d := taxonomy.Default()
	if d != taxonomy.Default() {
		t.Error("Default returns a new taxonomy on every call; it should load once")
	}
	want := taxonomy.Stats{Categories: 9, Reasons: 50, Offered: 50, CatchAlls: 9}
	if got := d.Stats(); got != want {
		t.Errorf("Stats() = %+v, want %+v", got, want)
	}
	if d.ID != "default_nordic_retail_utility" || d.Revision != 1 || d.DefaultLocale != "nb" {
		t.Errorf("header: id %q revision %d default locale %q", d.ID, d.Revision, d.DefaultLocale)
	}
	if !slices.Equal(d.Locales, []taxonomy.Locale{"nb", "sv", "en"}) {
		t.Errorf("Locales = %v", d.Locales)
	}
	if !slices.Equal(d.Owners.Keys, []string{"product", "operations", "logistics", "sales", "marketing", "billing", "customer_service", "partner"}) {
		t.Errorf("Owners.Keys = %v, want file order", d.Owners.Keys)
	}
	if got := d.Owners.Label("customer_service", "sv", d.DefaultLocale); got != "Kundservice" {
		t.Errorf("owner label in sv = %q", got)
	}
}

func TestDefaultYAMLIsACopy(t *testing.T) {
	a := taxonomy.DefaultYAML()
	a[0] = '!'
	if b := taxonomy.DefaultYAML(); b[0] == '!' {
		t.Error("DefaultYAML returns the embedded bytes themselves; a caller can change them")
	}
	if !bytes.Equal(taxonomy.DefaultYAML(), taxonomy.Default().Source) {
		t.Error("Default().Source differs from DefaultYAML()")
	}
}

func TestVersionIsTheContentHash(t *testing.T) {
	src := []byte(small)
	a, b := mustLoad(t, small), mustLoad(t, small)
	sum := sha256.Sum256(src)
	if want := hex.EncodeToString(sum[:])[:16]; a.Version != want {
		t.Errorf("Version = %q, want the first 16 hex digits of SHA-256, %q", a.Version, want)
	}
	if a.Version != b.Version {
		t.Errorf("the same bytes loaded twice give versions %q and %q", a.Version, b.Version)
	}
	if !bytes.Equal(a.Source, src) {
		t.Error("Source is not the loaded bytes")
	}
	// Any change to the bytes is a new version, even a comment: stored
	// contacts refer to the exact file they were tagged with.
	c := mustLoad(t, small+"# a comment\n")
	if c.Version == a.Version {
		t.Error("a changed file kept its version")
	}
}

func TestLoadKeepsItsOwnCopyOfTheSource(t *testing.T) {
	src := []byte(small)
	tax, err := taxonomy.Load("taxonomy.yaml", src)
	if err != nil {
		t.Fatal(err)
	}
	src[0] = '#'
	if tax.Source[0] == '#' {
		t.Error("Source shares the caller's slice")
	}
}

// TestTheDefaultVersionIsPinned fails when default.yaml changes: that is a new
// taxonomy version for every desk, so it must be a deliberate edit (bump
// taxonomy.version in the file, then update this constant).
func TestTheDefaultVersionIsPinned(t *testing.T) {
	const want = "65524e9b5e4c94e4"
	if got := taxonomy.Default().Version; got != want {
		t.Errorf("default taxonomy version = %s, want %s; if default.yaml was changed on purpose, bump its taxonomy.version and update this test", got, want)
	}
}

func TestLoadFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "team.yaml")
	if err := os.WriteFile(path, []byte(small), 0o644); err != nil {
		t.Fatal(err)
	}
	tax, err := taxonomy.LoadFile(path)
	if err != nil {
		t.Fatalf("LoadFile: %v", err)
	}
	if tax.Version != mustLoad(t, small).Version {
		t.Error("LoadFile and Load disagree on the version")
	}
	_, err = taxonomy.LoadFile(filepath.Join(t.TempDir(), "missing.yaml"))
	if !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("LoadFile of a missing file: %v, want a not-exist error", err)
	}
}

func TestLookups(t *testing.T) {
	d := taxonomy.Default()
	t.Run("hotkeys 3 then s find delivery_status", func(t *testing.T) {
		r, ok := d.ByHotkeys("3", "s")
		if !ok || r.ID != "delivery_status" || r.Category != "delivery" {
			t.Fatalf("ByHotkeys(3, s) = %v, %v", r, ok)
		}
	})
	t.Run("an unknown hotkey path finds nothing", func(t *testing.T) {
		for _, p := range [][2]string{{"3", "z"}, {"0", "s"}, {"", ""}, {"3", "S"}} {
			if r, ok := d.ByHotkeys(p[0], p[1]); ok {
				t.Errorf("ByHotkeys(%q, %q) = %s", p[0], p[1], r.ID)
			}
		}
	})
	t.Run("a category is found by hotkey and by id", func(t *testing.T) {
		c, ok := d.CategoryByHotkey("6")
		if !ok || c.ID != "price_billing" {
			t.Fatalf("CategoryByHotkey(6) = %v, %v", c, ok)
		}
		if c2, ok := d.Category("price_billing"); !ok || c2 != c {
			t.Errorf("Category(price_billing) = %v, %v", c2, ok)
		}
		if _, ok := d.Category("delivery_late"); ok {
			t.Error("Category finds a reason id")
		}
		if got := c.Label("sv"); got != "Pris och faktura" {
			t.Errorf("Label(sv) = %q", got)
		}
	})
	t.Run("every reason is found by id and listed in file order", func(t *testing.T) {
		rs := d.Reasons()
		if len(rs) != 50 || rs[0].ID != "purchase_advice" || rs[49].ID != "feedback_other" {
			t.Fatalf("Reasons(): %d, first %s, last %s", len(rs), rs[0].ID, rs[len(rs)-1].ID)
		}
		for _, r := range rs {
			if got, ok := d.Reason(r.ID); !ok || got != r {
				t.Errorf("Reason(%s) = %v, %v", r.ID, got, ok)
			}
		}
		if _, ok := d.Reason("delivery"); ok {
			t.Error("Reason finds a category id")
		}
	})
	t.Run("each category has its catch-all", func(t *testing.T) {
		for _, c := range d.Categories {
			ca, ok := d.CatchAll(c.ID)
			if !ok || ca.Hotkey != "x" || !d.IsCatchAll(ca.ID) {
				t.Errorf("CatchAll(%s) = %v, %v", c.ID, ca, ok)
			}
		}
		if d.IsCatchAll("delivery_late") || d.IsCatchAll("nope") {
			t.Error("IsCatchAll is true for a reason that is not a catch-all")
		}
		if _, ok := d.CatchAll("nope"); ok {
			t.Error("CatchAll of an unknown category")
		}
	})
	t.Run("labels fall back to the id for unknown reasons", func(t *testing.T) {
		if got := d.ReasonLabel("delivery_late", "sv"); got != "Försenad leverans" {
			t.Errorf("ReasonLabel(sv) = %q", got)
		}
		if got := d.ReasonLabel("delivery_late", "de"); got != "Forsinket levering" {
			t.Errorf("ReasonLabel in an undeclared locale = %q, want the default locale's", got)
		}
		if got := d.ReasonLabel("retired_long_ago", "nb"); got != "retired_long_ago" {
			t.Errorf("ReasonLabel of an unknown id = %q", got)
		}
	})
	t.Run("title and locales", func(t *testing.T) {
		if got := d.Title("en"); got != "Default contact reasons (retail/utility)" {
			t.Errorf("Title(en) = %q", got)
		}
		if !d.HasLocale("sv") || d.HasLocale("de") {
			t.Error("HasLocale is wrong")
		}
	})
	t.Run("preventable treatments", func(t *testing.T) {
		late, _ := d.Reason("delivery_late")
		praise, _ := d.Reason("praise_service")
		other, _ := d.Reason("delivery_other")
		if !late.Preventable() || praise.Preventable() || other.Preventable() {
			t.Error("Preventable: want eliminate yes, leverage no, catch-all no")
		}
	})
}

func TestDeprecatedReasonsResolveButAreNotOffered(t *testing.T) {
	tax := mustLoad(t, small)
	old, ok := tax.Reason("delivery_slow_old")
	if !ok || !old.Deprecated {
		t.Fatalf("Reason(delivery_slow_old) = %v, %v; want the deprecated reason", old, ok)
	}
	if got := tax.ReasonLabel("delivery_slow_old", "en"); got != "Slow delivery" {
		t.Errorf("ReasonLabel of a deprecated reason = %q", got)
	}
	c, _ := tax.Category("delivery")
	if slices.Contains(c.Offered(), old) || slices.Contains(tax.Offered(), old) {
		t.Error("a deprecated reason is offered")
	}
	if !slices.Contains(c.Reasons, old) || !slices.Contains(tax.Reasons(), old) {
		t.Error("a deprecated reason is missing from the full lists")
	}
	// Its hotkey s was given to delivery_status: the path leads there.
	if r, ok := tax.ByHotkeys("3", "s"); !ok || r.ID != "delivery_status" {
		t.Errorf("ByHotkeys(3, s) = %v, %v; want delivery_status", r, ok)
	}
	for _, q := range []string{"slow", "treg", "delivery_slow_old"} {
		for _, m := range tax.Search(q, "en", 0) {
			if m.Reason == old {
				t.Errorf("Search(%q) offers the deprecated reason", q)
			}
		}
	}
	want := taxonomy.Stats{Categories: 2, Reasons: 7, Offered: 6, Deprecated: 1, CatchAlls: 1, NoHotkey: 1}
	if got := tax.Stats(); got != want {
		t.Errorf("Stats() = %+v, want %+v", got, want)
	}
}

func TestAReasonWithoutAHotkeyIsFoundBySearchOnly(t *testing.T) {
	tax := mustLoad(t, small)
	r, ok := tax.Reason("search_only")
	if !ok || r.Hotkey != "" {
		t.Fatalf("Reason(search_only) = %v, %v", r, ok)
	}
	c, _ := tax.Category("feedback")
	if _, ok := c.ReasonByHotkey(""); ok {
		t.Error("the empty hotkey finds a reason")
	}
	if ms := tax.Search("search only", "en", 1); len(ms) != 1 || ms[0].Reason != r {
		t.Errorf("Search(search only) = %v", ms)
	}
}
