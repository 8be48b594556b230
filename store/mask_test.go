package store_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"whycall/store"
)

// The test builds valid numbers from the published algorithms rather than
// trusting a list, then checks that MaskNote agrees.

// fnr returns a Norwegian fødselsnummer for the date and individual number
// (dayOffset 40 makes a D-number), or "" when no check digit exists for it.
func fnr(date time.Time, individual, dayOffset int) string {
	d := fmt.Sprintf("%02d%02d%02d%03d", date.Day()+dayOffset, int(date.Month()), date.Year()%100, individual)
	k1 := mod11(d, []int{3, 7, 6, 1, 8, 9, 4, 5, 2})
	if k1 < 0 {
		return ""
	}
	d += fmt.Sprint(k1)
	k2 := mod11(d, []int{5, 4, 3, 2, 7, 6, 5, 4, 3, 2})
	if k2 < 0 {
		return ""
	}
	return d + fmt.Sprint(k2)
}

func mod11(d string, w []int) int {
	sum := 0
	for i, wi := range w {
		sum += wi * int(d[i]-'0')
	}
	k := 11 - sum%11
	switch k {
	case 11:
		return 0
	case 10:
		return -1
	}
	return k
}

// validFnr finds a fødselsnummer for date with an individual number in the
// range of its century.
func validFnr(date time.Time, dayOffset int) string {
	lo := 0
	if date.Year() >= 2000 {
		lo = 500
	}
	for ind := lo; ind < lo+250; ind++ {
		if s := fnr(date, ind, dayOffset); s != "" {
			return s
		}
	}
	panic("no fødselsnummer")
}

// luhnDigit is the digit that makes digits+it pass the Luhn check.
func luhnDigit(digits string) string {
	sum := 0
	for i := range len(digits) {
		v := int(digits[len(digits)-1-i] - '0')
		if i%2 == 0 {
			v *= 2
			if v > 9 {
				v -= 9
			}
		}
		sum += v
	}
	return fmt.Sprint((10 - sum%10) % 10)
}

func pnr(yymmdd, nnn string) string { return yymmdd + nnn + luhnDigit(yymmdd+nnn) }

func card(prefix string, n int) string {
	d := prefix + strings.Repeat("3", n-1-len(prefix))
	return d + luhnDigit(d)
}

// wrongLast changes the check digit.
func wrongLast(s string) string {
	last := s[len(s)-1]
	return s[:len(s)-1] + string('0'+(last-'0'+1)%10)
}

func group(s string, sep string, sizes ...int) string {
	var parts []string
	for _, n := range sizes {
		parts = append(parts, s[:n])
		s = s[n:]
	}
	return strings.Join(parts, sep)
}

func TestMaskNote(t *testing.T) {
	born := time.Date(1985, 7, 14, 0, 0, 0, 0, time.UTC)
	f := validFnr(born, 0)
	d := validFnr(born, 40)
	f2000 := validFnr(time.Date(2004, 2, 29, 0, 0, 0, 0, time.UTC), 0)
	p := pnr("850714", "238")
	sam := pnr("850774", "238") // samordningsnummer: day + 60
	visa := card("4", 16)
	tests := []struct {
		name, in, want string
	}{
		{"a fødselsnummer", "fnr " + f + " ringte", "fnr [fnr] ringte"},
		{"a D-number", "d-nr " + d, "d-nr [fnr]"},
		{"a fødselsnummer from a leap day of this century", f2000 + ".", "[fnr]."},
		{"a fødselsnummer split after the date", "kunde " + group(f, " ", 6, 5) + " ok", "kunde [fnr] ok"},
		{"a fødselsnummer glued to a word", "fnr:" + f, "fnr:[fnr]"},
		{"a personnummer with a dash", "pnr " + group(p, "-", 6, 4), "pnr [pnr]"},
		{"a personnummer with a plus", group(p, "+", 6, 4), "[pnr]"},
		{"a personnummer of ten digits", p, "[pnr]"},
		{"a personnummer of twelve digits", "19" + p, "[pnr]"},
		{"a personnummer of twelve digits with a dash", group("19"+p, "-", 8, 4), "[pnr]"},
		{"a samordningsnummer", group(sam, "-", 6, 4), "[pnr]"},
		{"Skatteverket's test person Tolvan", "19121212-1212 och 121212-1212", "[pnr] och [pnr]"},
		{"Skatteverket's example samordningsnummer", "701063-2391", "[pnr]"},
		{"a Visa test card", "kort 4111 1111 1111 1111 utløper", "kort [card] utløper"},
		{"a card with dashes", "5555-5555-5555-4444", "[card]"},
		{"an Amex card in 4-6-5 groups", "3782 822463 10005", "[card]"},
		{"a Diners card in 4-6-4 groups", "3056 930902 5904", "[card]"},
		{"a card run together", "4012888888881881", "[card]"},
		{"a 19-digit card", card("6", 19), "[card]"},
		{"a 13-digit card", card("4", 13), "[card]"},
		{"a generated card", group(visa, " ", 4, 4, 4, 4), "[card]"},
		{"a card followed by more digits", "4111 1111 1111 1111 77", "[card] 77"},
		{"several numbers in Norwegian text", "Kunden (fnr " + f + ") betalte med 4111-1111-1111-1111, ønsker svar",
			"Kunden (fnr [fnr]) betalte med [card], ønsker svar"},

		{"a fødselsnummer with a wrong check digit", "fnr " + wrongLast(f), "fnr " + wrongLast(f)},
		{"a fødselsnummer with an impossible date", fnrBadDate(), fnrBadDate()},
		{"a personnummer with a wrong check digit", group(wrongLast(p), "-", 6, 4), group(wrongLast(p), "-", 6, 4)},
		{"a personnummer in the 13th month", pnr("851314", "238"), pnr("851314", "238")},
		{"a personnummer with a century that cannot be", "17" + p, "17" + p},
		{"a card with a wrong check digit", "4111 1111 1111 1112", "4111 1111 1111 1112"},
		{"a Luhn-valid run grouped like no card", "41 11 11 11 11 11 11 11", "41 11 11 11 11 11 11 11"},
		{"a card with mixed separators", "4111 1111-1111 1111", "4111 1111-1111 1111"},
		{"a fødselsnummer inside a longer number", "04" + f, "04" + f},
		{"an order number", "ordre 12345678901 sendt", "ordre 12345678901 sendt"},
		{"an order number with a dash", "ordre SO-2024-118934 sendt", "ordre SO-2024-118934 sendt"},
		{"a Norwegian mobile number", "ring +47 915 55 123", "ring +47 915 55 123"},
		{"a Norwegian landline", "tlf 22 33 44 55", "tlf 22 33 44 55"},
		{"a Swedish mobile number with a wrong check digit", "070-123 45 67", "070-123 45 67"},
		{"an amount and a date", "betalte 1 299,00 kr 14.07.2025", "betalte 1 299,00 kr 14.07.2025"},
		{"a run of digits longer than any card", "000000707000000000000", "000000707000000000000"},
		{"no digits at all", "vil si opp abonnementet", "vil si opp abonnementet"},
		{"the empty note", "", ""},
	}
	for _, tt := range tests {
		t.Run("handles "+tt.name, func(t *testing.T) {
			if got := store.MaskNote(tt.in); got != tt.want {
				t.Errorf("MaskNote(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

// fnrBadDate is 31 April with valid check digits.
func fnrBadDate() string {
	for ind := range 500 {
		d := fmt.Sprintf("310485%03d", ind)
		k1 := mod11(d, []int{3, 7, 6, 1, 8, 9, 4, 5, 2})
		if k1 < 0 {
			continue
		}
		k2 := mod11(d+fmt.Sprint(k1), []int{5, 4, 3, 2, 7, 6, 5, 4, 3, 2})
		if k2 >= 0 {
			return d + fmt.Sprint(k1) + fmt.Sprint(k2)
		}
	}
	panic("none")
}

func TestMaskNoteFindsEveryValidFnrOfAYear(t *testing.T) {
	// Every date of 1990 and 2010 with every individual number that has
	// check digits: no valid fødselsnummer may slip through.
	n := 0
	for _, year := range []int{1990, 2010} {
		for d := time.Date(year, 1, 1, 0, 0, 0, 0, time.UTC); d.Year() == year; d = d.AddDate(0, 0, 1) {
			lo := 0
			if year >= 2000 {
				lo = 500
			}
			for ind := lo; ind < lo+500; ind += 7 {
				s := fnr(d, ind, 0)
				if s == "" {
					continue
				}
				n++
				if got := store.MaskNote(s); got != store.MaskFnr {
					t.Fatalf("MaskNote(%s) = %q, want %s", s, got, store.MaskFnr)
				}
				if w := wrongLast(s); store.MaskNote(w) != w {
					t.Fatalf("MaskNote(%s) changed it", w)
				}
			}
		}
	}
	if n < 10000 {
		t.Errorf("only %d numbers tried", n)
	}
}

func FuzzMaskNote(f *testing.F) {
	for _, s := range []string{"fnr 13097248022", "4111 1111 1111 1111", "121212-1212", "a1 2-3+4 5"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		m := store.MaskNote(s)
		if again := store.MaskNote(m); again != m {
			t.Errorf("masking twice changed %q to %q", m, again)
		}
		if len(m) > len(s)+len("[card]") && !strings.Contains(m, "[") {
			t.Errorf("MaskNote(%q) grew to %q", s, m)
		}
	})
}

var sink string

// BenchmarkMaskNote measures a typical note with digits but nothing to mask.
func BenchmarkMaskNote(b *testing.B) {
	notes := map[string]string{
		"nothing found": "Kunden ringte om faktura 2024-118 fra 14.07, vil endre adresse. Ring tilbake på 915 55 123 etter kl 14.",
		"one card":      "Kunden betalte med 4111 1111 1111 1111 og vil ha pengene tilbake, ordre 88123.",
	}
	for name, note := range notes {
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(note)))
			for b.Loop() {
				sink = store.MaskNote(note)
			}
		})
	}
}
