package report

import (
	"bytes"
	"encoding/binary"

	"whycall/internal/jsonstr"
)

// formulaStart marks the first bytes that make a spreadsheet read a cell as
// a formula (OWASP's list: = + - @ TAB CR).
var formulaStart = [256]bool{'=': true, '+': true, '-': true, '@': true, '\t': true, '\r': true}

// cell appends v as one CSV cell: quoted when it holds the delimiter, a
// quote or a line break, and, unless the guard is off, prefixed with a
// single quote when a spreadsheet would run it as a formula.
func (e *Exporter) cell(b, v []byte) []byte {
	guard := e.guard && len(v) > 0 && formulaStart[v[0]] && !plainNumber(v)
	if !e.needsQuotes(v) {
		if guard {
			b = append(b, '\'')
		}
		return append(b, v...)
	}
	b = append(b, '"')
	if guard {
		b = append(b, '\'')
	}
	for {
		i := bytes.IndexByte(v, '"')
		if i < 0 {
			break
		}
		b = append(b, v[:i+1]...)
		b = append(b, '"')
		v = v[i+1:]
	}
	b = append(b, v...)
	return append(b, '"')
}

// needsQuotes reports whether v holds the delimiter, a double quote, CR or
// LF. It looks at eight bytes at a time: a byte of x is zero exactly where
// v has the byte c in x = word ^ (c × 0x0101…01), and
// (x − 0x01…01) &^ x & 0x80…80 is non-zero when some byte of x is zero.
func (e *Exporter) needsQuotes(v []byte) bool {
	const lo, hi = 0x0101010101010101, 0x8080808080808080
	d := uint64(e.delim) * lo
	for len(v) >= 8 {
		w := binary.LittleEndian.Uint64(v)
		a, b, c, n := w^d, w^('"'*lo), w^('\r'*lo), w^('\n'*lo)
		if ((a-lo)&^a|(b-lo)&^b|(c-lo)&^c|(n-lo)&^n)&hi != 0 {
			return true
		}
		v = v[8:]
	}
	for _, c := range v {
		if e.special[c] {
			return true
		}
	}
	return false
}

// plainNumber reports whether v is a signed decimal number such as -5,
// +47 or -3,5: a spreadsheet reads it as a number, never as a formula, so
// the guard leaves it alone instead of turning it into text.
func plainNumber(v []byte) bool {
	i := 0
	if i < len(v) && (v[i] == '+' || v[i] == '-') {
		i++
	}
	digits := 0
	for i < len(v) && v[i] >= '0' && v[i] <= '9' {
		i++
		digits++
	}
	if digits == 0 {
		return false
	}
	if i < len(v) && (v[i] == '.' || v[i] == ',') {
		i++
		frac := 0
		for i < len(v) && v[i] >= '0' && v[i] <= '9' {
			i++
			frac++
		}
		if frac == 0 {
			return false
		}
	}
	return i == len(v)
}

// appendJSONList appends "a|b" as the JSON array ["a","b"].
func appendJSONList(b, joined []byte) []byte {
	b = append(b, '[')
	for first := true; len(joined) > 0; first = false {
		var item []byte
		item, joined = splitPrimary(joined)
		if !first {
			b = append(b, ',')
		}
		b = jsonstr.Append(b, item)
	}
	return append(b, ']')
}
