// Package jsonstr appends strings as JSON string literals without
// reflection or allocation, for the hand-written encoders on hot paths
// (the export's JSONL rows, sync batches). What it writes decodes with
// encoding/json to what encoding/json would keep of the input.
package jsonstr

import (
	"encoding/binary"
	"unicode/utf8"
	"unsafe"
)

// Append appends v as a JSON string: quotes, backslashes and control
// characters are escaped, invalid UTF-8 becomes U+FFFD as encoding/json
// does, and U+2028 and U+2029 are escaped so that the text is also safe to
// paste into JavaScript.
func Append(b, v []byte) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(v); {
		for i+8 <= len(v) && plain8(binary.LittleEndian.Uint64(v[i:])) {
			i += 8
		}
		if i == len(v) {
			break
		}
		c := v[i]
		if c < utf8.RuneSelf {
			if safe[c] {
				i++
				continue
			}
			b = append(b, v[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xF])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRune(v[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, v[start:i]...)
			b = append(b, `\ufffd`...)
			i++
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			b = append(b, v[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hexDigits[r&0xF])
			i += size
			start = i
			continue
		}
		i += size
	}
	b = append(b, v[start:]...)
	return append(b, '"')
}

// AppendString is Append for a string, without copying it.
func AppendString(b []byte, s string) []byte {
	// Append only reads v, so a view of the string's bytes is safe.
	return Append(b, unsafe.Slice(unsafe.StringData(s), len(s)))
}

const hexDigits = "0123456789abcdef"

// safe marks the ASCII bytes that go into a JSON string as they are.
var safe = func() (t [utf8.RuneSelf]bool) {
	for c := 0x20; c < utf8.RuneSelf; c++ {
		t[c] = c != '"' && c != '\\'
	}
	return t
}()

// plain8 reports whether all eight bytes of w go into a JSON string as they
// are: ASCII, not a control character, not '"' or '\\'. (For bytes below
// 0x80, (w − n×0x01…01) &^ w & 0x80…80 is non-zero when some byte is less
// than n.)
func plain8(w uint64) bool {
	const lo, hi = 0x0101010101010101, 0x8080808080808080
	q, s := w^('"'*lo), w^('\\'*lo)
	return (w|(w-0x20*lo)&^w|(q-lo)&^q|(s-lo)&^s)&hi == 0
}
