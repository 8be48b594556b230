package jsonstr

import (
	"encoding/binary"
	"encoding/json"
	"testing"
)

// decodesAsEncodingJSON checks that what Append writes for s is valid JSON
// that decodes to what encoding/json keeps of s.
func decodesAsEncodingJSON(t *testing.T, s string) {
	t.Helper()
	out := AppendString(nil, s)
	var got, want string
	if err := json.Unmarshal(out, &got); err != nil {
		t.Fatalf("%q: wrote %s, not JSON: %v", s, out, err)
	}
	ref, _ := json.Marshal(s)
	if err := json.Unmarshal(ref, &want); err != nil {
		t.Fatal(err)
	}
	if got != want {
		t.Errorf("%q: decoded as %q, encoding/json gives %q", s, got, want)
	}
	if b := Append([]byte("x"), []byte(s)); string(b) != "x"+string(out) {
		t.Errorf("%q: Append after a prefix wrote %s, AppendString %s", s, b[1:], out)
	}
}

func TestAppendWritesStringsAsEncodingJSONReadsThem(t *testing.T) {
	for _, s := range []string{
		"", "plain", "æøå ÆØÅ äö", "\x00\x1f\x7f", "bad \xff utf8 \xc3", "\u2028\u2029", `"\`,
		"emoji 🙂", "<>&", "eight ok then \n", "a note that is longer than eight bytes \"quoted\" \t tab",
	} {
		decodesAsEncodingJSON(t, s)
	}
}

func FuzzAppend(f *testing.F) {
	for _, s := range []string{"", "plain text", "æøå\n\"q\"", "\xff\xfe", "\u2028", "12345678\x01"} {
		f.Add(s)
	}
	f.Fuzz(decodesAsEncodingJSON)
}

func TestPlain8AgreesWithBytewise(t *testing.T) {
	for c := range 256 {
		for pos := range 8 {
			w := []byte("aaaaaaaa")
			w[pos] = byte(c)
			want := c < 0x80 && safe[c]
			if got := plain8(binary.LittleEndian.Uint64(w)); got != want {
				t.Errorf("plain8 with %#x at %d = %v, want %v", c, pos, got, want)
			}
		}
	}
}

func BenchmarkAppendString(b *testing.B) {
	note := "Kunden ringte om en forsinket pakke; ordre 12345678 – «når kommer den?»\nRinger igjen i morgen."
	buf := make([]byte, 0, 256)
	b.SetBytes(int64(len(note)))
	for b.Loop() {
		buf = AppendString(buf[:0], note)
	}
}
