package store

import "strings"

// What MaskNote puts in place of a number it masks.
const (
	// MaskFnr replaces a Norwegian fødselsnummer or D-number.
	MaskFnr = "[fnr]"
	// MaskPnr replaces a Swedish personnummer or samordningsnummer.
	MaskPnr = "[pnr]"
	// MaskCard replaces a payment card number.
	MaskCard = "[card]"
)

// MaskNote masks national ID and payment card numbers in s, checking their
// check digits and dates so that order and phone numbers are left alone:
//
//   - Norwegian fødselsnummer, D-number (day+40), H-number (month+40) and
//     synthetic test numbers (month+80): 11 digits, or 6 and 5 split by one
//     space or dash; both mod-11 check digits and the date (its century
//     taken from the individual number) must be right → [fnr].
//   - Swedish personnummer and samordningsnummer (day+60): YYMMDD-NNNN,
//     YYMMDD+NNNN, YYMMDDNNNN, YYYYMMDDNNNN, YYYYMMDD-NNNN; Luhn over the
//     10-digit form and a real date → [pnr].
//   - Payment cards: 13–19 digits, run together or in groups split by single
//     spaces or single dashes (first group of 4, then groups of 4–6, the last
//     1–6), Luhn valid → [card].
//
// A number must not touch other digits: a match inside a longer run of
// digits is not masked. It costs no allocation when nothing is found.
func MaskNote(s string) string {
	var b strings.Builder
	copied := 0
	for i := 0; i < len(s); {
		if !isDigit(s[i]) {
			i++
			continue
		}
		end, mask := matchNumber(s, i)
		if mask == "" {
			for i < len(s) && isDigit(s[i]) {
				i++
			}
			continue
		}
		if b.Len() == 0 {
			b.Grow(len(s))
		}
		b.WriteString(s[copied:i])
		b.WriteString(mask)
		copied, i = end, end
	}
	if copied == 0 {
		return s
	}
	b.WriteString(s[copied:])
	return b.String()
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// maxCardDigits is the longest card number, and so the most digits a match
// can span.
const maxCardDigits = 19

// minDigits is the fewest digits a maskable number has (a 10-digit
// personnummer); maxGroups the most groups a card number is written in.
const (
	minDigits = 10
	maxGroups = 6
)

// numGroup is one run of digits in s.
type numGroup struct{ start, end int }

func (g numGroup) len() int { return g.end - g.start }

// matchNumber looks for a maskable number starting with the digit run at
// s[i] (which no digit precedes) and returns where it ends and its mask, or
// "" for none. It prefers the longest match.
func matchNumber(s string, i int) (end int, mask string) {
	if chainDigits(s, i) < minDigits {
		return 0, "" // dates, amounts, phone numbers: the common case
	}
	var (
		groups [maxGroups]numGroup
		n      int
		total  int
	)
	for j := i; n < len(groups); {
		k := j
		for k < len(s) && isDigit(s[k]) {
			k++
		}
		total += k - j
		if total > maxCardDigits {
			break
		}
		groups[n] = numGroup{j, k}
		n++
		// One separator, then digits, continue the number.
		if k+1 >= len(s) || !isSep(s[k]) || !isDigit(s[k+1]) {
			break
		}
		j = k + 1
	}
	if n == 0 {
		return 0, "" // one run longer than any number we mask
	}
	gs := groups[:n]
	var digits [maxCardDigits]byte

	// Cards first: the longest run of groups that makes a card number.
	for m := n; m >= 1; m-- {
		if nd, ok := cardShape(s, gs[:m]); ok {
			collect(s, gs[:m], digits[:0])
			if luhn(digits[:nd]) {
				return gs[m-1].end, MaskCard
			}
		}
	}
	// Then national IDs split in two.
	if n >= 2 {
		a, b, sep := gs[0], gs[1], s[gs[0].end]
		collect(s, gs[:2], digits[:0])
		switch {
		case a.len() == 6 && b.len() == 5 && (sep == ' ' || sep == '-'):
			if fnrValid(digits[:11]) {
				return b.end, MaskFnr
			}
		case a.len() == 6 && b.len() == 4 && (sep == '-' || sep == '+'):
			if pnrValid(digits[:10], 0) {
				return b.end, MaskPnr
			}
		case a.len() == 8 && b.len() == 4 && (sep == '-' || sep == '+'):
			if century := int(digits[0])*10 + int(digits[1]); pnrValid(digits[2:12], century) {
				return b.end, MaskPnr
			}
		}
	}
	// Then national IDs written as one run.
	g := gs[0]
	collect(s, gs[:1], digits[:0])
	switch g.len() {
	case 11:
		if fnrValid(digits[:11]) {
			return g.end, MaskFnr
		}
	case 10:
		if pnrValid(digits[:10], 0) {
			return g.end, MaskPnr
		}
	case 12:
		if century := int(digits[0])*10 + int(digits[1]); pnrValid(digits[2:12], century) {
			return g.end, MaskPnr
		}
	}
	return 0, ""
}

// chainDigits counts the digits of the groups starting at s[i], up to one
// more than a match can hold.
func chainDigits(s string, i int) int {
	total := 0
	for i < len(s) && total <= maxCardDigits {
		if isDigit(s[i]) {
			total++
			i++
			continue
		}
		if i+1 >= len(s) || !isSep(s[i]) || !isDigit(s[i+1]) {
			break
		}
		i++
	}
	return total
}

func isSep(c byte) bool { return c == ' ' || c == '-' || c == '+' }

// cardShape reports whether the groups are laid out like a card number and
// how many digits they hold.
func cardShape(s string, gs []numGroup) (int, bool) {
	nd := 0
	for k, g := range gs {
		nd += g.len()
		if k > 0 {
			sep := s[gs[k-1].end]
			if sep != s[gs[0].end] || (sep != ' ' && sep != '-') {
				return 0, false
			}
		}
		switch {
		case len(gs) == 1:
		case k == 0 && g.len() != 4:
			return 0, false
		case k > 0 && k < len(gs)-1 && (g.len() < 4 || g.len() > 6):
			return 0, false
		case k == len(gs)-1 && g.len() > 6:
			return 0, false
		}
	}
	return nd, nd >= 13 && nd <= maxCardDigits
}

// collect appends the digit values of the groups to dst.
func collect(s string, gs []numGroup, dst []byte) []byte {
	for _, g := range gs {
		for k := g.start; k < g.end; k++ {
			dst = append(dst, s[k]-'0')
		}
	}
	return dst
}

// luhn reports whether the digit values pass the Luhn check.
func luhn(d []byte) bool {
	sum := 0
	for k := range d {
		v := int(d[len(d)-1-k])
		if k%2 == 1 {
			v *= 2
			if v > 9 {
				v -= 9
			}
		}
		sum += v
	}
	return sum%10 == 0
}

// fnrValid checks an 11-digit Norwegian fødselsnummer or D-number: date,
// century from the individual number, and both mod-11 check digits.
func fnrValid(d []byte) bool {
	w1 := [9]int{3, 7, 6, 1, 8, 9, 4, 5, 2}
	w2 := [10]int{5, 4, 3, 2, 7, 6, 5, 4, 3, 2}
	k1, k2 := 0, 0
	for i, w := range w1 {
		k1 += w * int(d[i])
	}
	for i, w := range w2 {
		k2 += w * int(d[i])
	}
	if !mod11Check(k1, d[9]) {
		return false
	}
	if !mod11Check(k2, d[10]) {
		return false
	}
	day := int(d[0])*10 + int(d[1])
	month := int(d[2])*10 + int(d[3])
	yy := int(d[4])*10 + int(d[5])
	ind := int(d[6])*100 + int(d[7])*10 + int(d[8])
	if day > 40 {
		day -= 40 // D-number
	}
	switch {
	case month > 80:
		month -= 80 // synthetic test person
	case month > 40:
		month -= 40 // H-number
	}
	var year int
	switch {
	case ind <= 499:
		year = 1900 + yy
	case ind <= 749 && yy >= 54:
		year = 1800 + yy
	case ind >= 500 && yy <= 39:
		year = 2000 + yy
	case ind >= 900 && yy >= 40:
		year = 1900 + yy
	default:
		return false
	}
	return validDate(year, month, day)
}

// mod11Check reports whether check is the mod-11 check digit of a weighted
// sum (11 - sum mod 11, where 11 means 0 and 10 means no valid number).
func mod11Check(sum int, check byte) bool {
	k := 11 - sum%11
	if k == 11 {
		k = 0
	}
	return k != 10 && k == int(check)
}

// pnrValid checks the 10-digit form YYMMDDNNNC of a Swedish personnummer or
// samordningsnummer: Luhn and the date. century is the first two digits of
// the year when the number was written with them, else 0 (any century).
func pnrValid(d []byte, century int) bool {
	if !luhn(d) {
		return false
	}
	yy := int(d[0])*10 + int(d[1])
	month := int(d[2])*10 + int(d[3])
	day := int(d[4])*10 + int(d[5])
	if day > 60 {
		day -= 60 // samordningsnummer
	}
	if century == 0 {
		return validDate(2000, month, day) // a leap year: 29 February may be real
	}
	if century < 18 || century > 20 {
		return false
	}
	return validDate(century*100+yy, month, day)
}

// validDate reports whether day is a day of month in year.
func validDate(year, month, day int) bool {
	if month < 1 || month > 12 || day < 1 {
		return false
	}
	days := [13]int{0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31}[month]
	if month == 2 && year%4 == 0 && (year%100 != 0 || year%400 == 0) {
		days = 29
	}
	return day <= days
}
