package taxonomy

import (
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

func TestFold(t *testing.T) {
	cases := []struct{ in, want string }{
		{"Forsinket levering", "forsinket levering"},
		{"Försenad leverans", "forsenad leverans"},
		{"Ærlig, søt og blå", "aerlig  sot og bla"},
		{"ÆØÅ ÄÖ", "aeoa ao"},
		{"Straße", "strasse"},
		{"å decomposed: a\u030a", "a decomposed  a"},
		{"Łódź, Čeština, Œuvre", "lodz  cestina  oeuvre"},
		{"ÉCOLE ÿ", "ecole y"},
		{"delivery_late", "delivery late"},
		{"Si opp / avslutte – nå!", "si opp   avslutte   na "},
		{"A1 b2", "a1 b2"},
		{"Ωμέγα", "ωμέγα"}, // not Latin: lower-cased only
	}
	for _, tc := range cases {
		if got := fold(tc.in); got != tc.want {
			t.Errorf("fold(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestEveryTableEntryFoldsToASCIILetters(t *testing.T) {
	for _, f := range strings.Fields(latinFolds) {
		r, n := utf8.DecodeRuneInString(f)
		a, b := foldRune(r)
		want := f[n:]
		got := string(a)
		if b != 0 {
			got += string(b)
		}
		if got != want || strings.Trim(got, "abcdefghijklmnopqrstuvwxyz") != "" {
			t.Errorf("%q folds to %q, want ASCII letters %q", r, got, want)
		}
		if up := unicode.ToUpper(r); up != r {
			if a2, b2 := foldRune(up); a2 != a || b2 != b {
				t.Errorf("capital %q folds unlike %q", up, r)
			}
		}
	}
}

func TestMaskBitsAreDistinct(t *testing.T) {
	seen := make(map[uint64]rune)
	for _, r := range "abcdefghijklmnopqrstuvwxyz0123456789" {
		bit := maskBit(r)
		if prev, dup := seen[bit]; dup || bit == 0 {
			t.Errorf("%q and %q share mask bit %x", prev, r, bit)
		}
		seen[bit] = r
	}
	if maskBit(sep) != 0 || maskBit('ж') != maskBit('ω') {
		t.Error("sep must have no bit; other runes share one")
	}
}
