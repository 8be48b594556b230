package report

import (
	"bytes"
	"os"
	"testing"
	"time"

	"whycall/taxonomy"
)

// loadTestTaxonomy loads a taxonomy from testdata.
func loadTestTaxonomy(t *testing.T, name string) *taxonomy.Taxonomy {
	t.Helper()
	data, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	tax, err := taxonomy.Load(name, data)
	if err != nil {
		t.Fatalf("load %s: %v", name, err)
	}
	return tax
}

func TestLabelsFollowEachContactsTaxonomyVersion(t *testing.T) {
	v1 := loadTestTaxonomy(t, "export-taxonomy-v1.yaml")
	v2 := loadTestTaxonomy(t, "export-taxonomy-v2.yaml")
	stored := map[string][]byte{v1.Version: v1.Source, v2.Version: v2.Source}
	at := time.Date(2025, 3, 10, 9, 0, 0, 0, oslo)
	row := func(version, reason string) map[string]string {
		r := testRow("a", at, "")
		r.TaxonomyVersion, r.Reasons = []byte(version), []byte(reason)
		var out bytes.Buffer
		e := NewExporter(&out, ExportOptions{}, NewLabels("nb", v2, stored))
		if err := e.Write(&r); err != nil {
			t.Fatal(err)
		}
		if err := e.Flush(); err != nil {
			t.Fatal(err)
		}
		return readCSV(t, out.Bytes(), ',', ShapeContact)[0]
	}
	for _, tc := range []struct {
		name, version, reason        string
		label, category, owner, kind string
	}{
		{"a contact tagged with v1 keeps the old label", v1.Version, "invoice_wrong", "Faktura feil", "Pris og faktura", "Fakturering", "Irritasjon"},
		{"a contact tagged with v2 has the new label", v2.Version, "invoice_wrong", "Feil i faktura", "Pris og faktura", "Fakturering", "Irritasjon"},
		{"a version not stored falls back to the current taxonomy", "unknown", "praise_invoice", "Ros for fakturaen", "Pris og faktura", "Fakturering", "Verdi"},
		{"a reason the version lacks falls back to the current taxonomy", v1.Version, "praise_invoice", "Ros for fakturaen", "Pris og faktura", "Fakturering", "Verdi"},
		{"a reason no taxonomy knows shows its id", v1.Version, "gone_reason", "gone_reason", "", "", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := row(tc.version, tc.reason)
			if got["primary_label"] != tc.label || got["category"] != tc.category || got["owner"] != tc.owner || got["kind"] != tc.kind {
				t.Errorf("label, category, owner, kind = %q %q %q %q, want %q %q %q %q",
					got["primary_label"], got["category"], got["owner"], got["kind"], tc.label, tc.category, tc.owner, tc.kind)
			}
		})
	}
	t.Run("labels come in the configured language", func(t *testing.T) {
		for lang, want := range map[string]string{"nb": "Feil i faktura", "sv": "Fel i faktura", "en": "Wrong invoice"} {
			l := NewLabels(lang, v2, stored)
			if got := string(l.reason([]byte(v2.Version), []byte("invoice_wrong")).label); got != want {
				t.Errorf("%s: %q, want %q", lang, got, want)
			}
		}
	})
}
