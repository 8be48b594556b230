package batch

import (
	"errors"
	"fmt"
	"strconv"
	"unicode/utf16"
	"unicode/utf8"
)

// parse reads a batch document into w. It is a strict JSON reader made for
// this one document shape, about five times faster than encoding/json's
// reflection on a full batch: field names match exactly, a field twice, an
// unknown field, null where a value belongs and anything after the document
// are errors. Strings decode as encoding/json decodes them (invalid UTF-8
// and lone surrogates become U+FFFD), which the fuzz test checks.
func parse(data []byte, w *wireBatch) error {
	p := parser{data: data}
	p.ws()
	if p.i == len(data) {
		return errors.New("empty document")
	}
	if data[p.i] != '{' {
		return fmt.Errorf("at %s: the document must be a JSON object, got %s", position(data, int64(p.i)), p.got())
	}
	if err := p.batch(w); err != nil {
		return err
	}
	p.ws()
	if p.i != len(data) {
		return fmt.Errorf("unexpected data after the batch at %s", position(data, int64(p.i)))
	}
	return nil
}

// parser is a cursor over the document and the field being read, for error
// messages.
type parser struct {
	data  []byte
	i     int
	sect  string // "", "taxonomies" or "contacts"
	index int
	field string
	buf   []byte // scratch for strings with escapes
	// last values of repeated contact fields, to share one string.
	intern [6]string
	// reasons holds the reason lists of all contacts, which slice it, and
	// reasonIDs the distinct reason ids, so that each is one string.
	reasons   []string
	reasonIDs map[string]string
}

// Field sets of the three objects, as bit masks to find duplicates.
var (
	batchFields    = []string{"format", "id", "agent", "site", "created", "taxonomies", "contacts"}
	taxonomyFields = []string{"version", "id", "revision", "yaml"}
	contactFields  = []string{"id", "rev", "updated_at", "deleted", "agent", "team", "site", "channel",
		"started_at", "ended_at", "reasons", "outcome", "customer_ref", "note", "taxonomy_version"}
)

func (p *parser) batch(w *wireBatch) error {
	var seen uint32
	return p.members(func(k int) error {
		var err error
		switch k {
		case 0:
			w.Format, err = p.str()
		case 1:
			w.ID, err = p.str()
		case 2:
			w.Agent, err = p.str()
		case 3:
			w.Site, err = p.str()
		case 4:
			w.Created, err = p.raw()
		case 5:
			p.sect = "taxonomies"
			err = p.elements(func(i int) error {
				p.index = i
				w.Taxonomies = append(w.Taxonomies, wireTaxonomy{})
				return p.taxonomy(&w.Taxonomies[i])
			})
			p.sect = ""
		case 6:
			p.sect = "contacts"
			if w.Contacts == nil {
				w.Contacts = make([]wireContact, 0, p.estimateContacts())
			}
			err = p.elements(func(i int) error {
				p.index = i
				if len(w.Contacts) == MaxContacts*10 {
					return p.fail("more than %d contacts", MaxContacts*10)
				}
				w.Contacts = append(w.Contacts, wireContact{})
				return p.contact(&w.Contacts[i])
			})
			p.sect = ""
		}
		return err
	}, batchFields, &seen)
}

// estimateContacts guesses the number of contacts from the document size,
// so that the slice grows once or not at all.
func (p *parser) estimateContacts() int {
	return min(MaxContacts, max(1, (len(p.data)-p.i)/300))
}

func (p *parser) taxonomy(t *wireTaxonomy) error {
	var seen uint32
	return p.members(func(k int) error {
		var err error
		switch k {
		case 0:
			t.Version, err = p.str()
		case 1:
			t.ID, err = p.str()
		case 2:
			var n int64
			n, err = p.int()
			t.Revision = int(n)
			if n != int64(t.Revision) {
				err = p.fail("%d does not fit", n)
			}
		case 3:
			t.YAML, err = p.str()
		}
		return err
	}, taxonomyFields, &seen)
}

func (p *parser) contact(c *wireContact) error {
	var seen uint32
	return p.members(func(k int) error {
		var err error
		switch k {
		case 0:
			c.ID, err = p.str()
		case 1:
			c.Rev, err = p.int()
		case 2:
			c.UpdatedAt, err = p.raw()
		case 3:
			c.Deleted, err = p.bool()
		case 4:
			c.Agent, err = p.internStr(0)
		case 5:
			c.Team, err = p.internStr(1)
		case 6:
			c.Site, err = p.internStr(2)
		case 7:
			c.Channel, err = p.internStr(3)
		case 8:
			c.StartedAt, err = p.raw()
		case 9:
			if p.null() {
				c.EndedAt, c.HasEnded = nil, false
				return nil
			}
			c.EndedAt, err = p.raw()
			c.HasEnded = err == nil
		case 10:
			start := len(p.reasons)
			err = p.elements(func(i int) error {
				if i == 64 {
					return p.fail("more than 64 reasons")
				}
				r, err := p.reason()
				p.reasons = append(p.reasons, r)
				return err
			})
			if n := len(p.reasons); n > start {
				c.Reasons = p.reasons[start:n:n]
			} else {
				c.Reasons = nil
			}
		case 11:
			c.Outcome, err = p.internStr(4)
		case 12:
			c.CustomerRef, err = p.str()
		case 13:
			c.Note, err = p.str()
		case 14:
			c.TaxonomyVersion, err = p.internStr(5)
		}
		return err
	}, contactFields, &seen)
}

// members reads an object whose field names are fields, calling fn with the
// index of each field. A field twice or an unknown field is an error.
func (p *parser) members(fn func(k int) error, fields []string, seen *uint32) error {
	if err := p.open('{', "an object"); err != nil {
		return err
	}
	outer := p.field
	defer func() { p.field = outer }()
	for first := true; ; first = false {
		more, err := p.next('}', first)
		if err != nil || !more {
			return err
		}
		p.field = outer
		start := p.i
		key, err := p.key()
		if err != nil {
			return err
		}
		k := -1
		for j, f := range fields {
			if f == string(key) {
				k = j
				break
			}
		}
		if k < 0 {
			p.i = start
			return p.fail("unknown field %q", clip(string(key)))
		}
		p.field = fields[k]
		if *seen&(1<<k) != 0 {
			p.i = start
			return p.fail("the field is given twice")
		}
		*seen |= 1 << k
		p.ws()
		if p.i == len(p.data) || p.data[p.i] != ':' {
			return p.syntax("expected ':' after the field name")
		}
		p.i++
		p.ws()
		if err := fn(k); err != nil {
			return err
		}
	}
}

// elements reads an array, calling fn with the index of each element.
func (p *parser) elements(fn func(i int) error) error {
	if err := p.open('[', "an array"); err != nil {
		return err
	}
	for i := 0; ; i++ {
		more, err := p.next(']', i == 0)
		if err != nil || !more {
			return err
		}
		if err := fn(i); err != nil {
			return err
		}
	}
}

// open consumes the opening byte of an object or array.
func (p *parser) open(c byte, want string) error {
	p.ws()
	if p.i == len(p.data) || p.data[p.i] != c {
		return p.wrongType(want)
	}
	p.i++
	return nil
}

// next consumes the ',' before the next member or element and reports
// whether there is one, or consumes the closing byte and reports false.
func (p *parser) next(close byte, first bool) (bool, error) {
	p.ws()
	if p.i == len(p.data) {
		return false, p.syntax("the document ends early")
	}
	switch c := p.data[p.i]; {
	case c == close:
		p.i++
		return false, nil
	case first:
		return true, nil
	case c == ',':
		p.i++
		p.ws()
		if p.i < len(p.data) && p.data[p.i] == close {
			return false, p.syntax("a comma before " + string(close))
		}
		return true, nil
	}
	return false, p.syntax(fmt.Sprintf("expected ',' or '%c', got %s", close, p.got()))
}

func (p *parser) key() ([]byte, error) {
	if p.i == len(p.data) || p.data[p.i] != '"' {
		return nil, p.syntax("expected a field name in double quotes, got " + p.got())
	}
	return p.raw()
}

func (p *parser) ws() {
	for p.i < len(p.data) {
		switch p.data[p.i] {
		case ' ', '\t', '\n', '\r':
			p.i++
		default:
			return
		}
	}
}

// null consumes a null literal if one is next.
func (p *parser) null() bool {
	if len(p.data)-p.i >= 4 && string(p.data[p.i:p.i+4]) == "null" {
		p.i += 4
		return true
	}
	return false
}

func (p *parser) bool() (bool, error) {
	switch {
	case len(p.data)-p.i >= 4 && string(p.data[p.i:p.i+4]) == "true":
		p.i += 4
		return true, nil
	case len(p.data)-p.i >= 5 && string(p.data[p.i:p.i+5]) == "false":
		p.i += 5
		return false, nil
	}
	return false, p.wrongType("true or false")
}

// int reads an integer: a JSON number without fraction or exponent.
func (p *parser) int() (int64, error) {
	start := p.i
	j := p.i
	if j < len(p.data) && p.data[j] == '-' {
		j++
	}
	digits := j
	for j < len(p.data) && '0' <= p.data[j] && p.data[j] <= '9' {
		j++
	}
	if j == digits {
		return 0, p.wrongType("an integer")
	}
	if j < len(p.data) && (p.data[j] == '.' || p.data[j] == 'e' || p.data[j] == 'E') {
		return 0, p.fail("want an integer, got a number with a fraction or exponent")
	}
	if p.data[digits] == '0' && j-digits > 1 {
		return 0, p.syntax("a number with a leading zero")
	}
	n, err := strconv.ParseInt(string(p.data[start:j]), 10, 64)
	if err != nil {
		return 0, p.fail("%s does not fit in 64 bits", p.data[start:j])
	}
	p.i = j
	return n, nil
}

// internStr reads a string that is usually the same as in the previous
// contact and then shares its memory.
func (p *parser) internStr(slot int) (string, error) {
	if p.i < len(p.data) && p.data[p.i] == '"' {
		last := p.intern[slot]
		end := p.i + 1 + len(last)
		if end < len(p.data) && p.data[end] == '"' && string(p.data[p.i+1:end]) == last &&
			!needsDecoding(last) {
			p.i = end + 1
			return last, nil
		}
	}
	s, err := p.str()
	p.intern[slot] = s
	return s, err
}

// needsDecoding reports whether s, as raw bytes between quotes, would decode
// to something else.
func needsDecoding(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c == '\\' || c < 0x20 || c >= utf8.RuneSelf {
			return true
		}
	}
	return false
}

// maxReasonIDs bounds the reason ids shared between contacts.
const maxReasonIDs = 512

// reason reads a reason id, sharing one string for each distinct id.
func (p *parser) reason() (string, error) {
	b, err := p.raw()
	if err != nil {
		return "", err
	}
	if r, ok := p.reasonIDs[string(b)]; ok {
		return r, nil
	}
	r := string(b)
	if p.reasonIDs == nil {
		p.reasonIDs = make(map[string]string)
	}
	if len(p.reasonIDs) < maxReasonIDs {
		p.reasonIDs[r] = r
	}
	return r, nil
}

// raw reads a JSON string as bytes, which point into the document when
// the string has no escapes.
func (p *parser) raw() ([]byte, error) {
	if p.i == len(p.data) || p.data[p.i] != '"' {
		return nil, p.wrongType("a string")
	}
	start := p.i + 1
	for j := start; j < len(p.data); j++ {
		switch c := p.data[j]; {
		case c == '"':
			p.i = j + 1
			return p.data[start:j:j], nil
		case c == '\\' || c < 0x20 || c >= utf8.RuneSelf:
			s, err := p.str()
			return []byte(s), err
		}
	}
	p.i = len(p.data)
	return nil, p.syntax("the document ends inside a string")
}

// str reads a JSON string.
func (p *parser) str() (string, error) {
	if p.i == len(p.data) || p.data[p.i] != '"' {
		return "", p.wrongType("a string")
	}
	start := p.i + 1
	high := false
	for j := start; j < len(p.data); j++ {
		switch c := p.data[j]; {
		case c == '"':
			if !high || utf8.Valid(p.data[start:j]) {
				p.i = j + 1
				return string(p.data[start:j]), nil
			}
			return p.strSlow(start)
		case c == '\\' || c < 0x20:
			return p.strSlow(start)
		case c >= utf8.RuneSelf:
			high = true
		}
	}
	p.i = len(p.data)
	return "", p.syntax("the document ends inside a string")
}

// strSlow decodes a string with escapes, control characters or invalid
// UTF-8 in it, starting after the opening quote.
func (p *parser) strSlow(start int) (string, error) {
	b := p.buf[:0]
	j := start
	for j < len(p.data) {
		c := p.data[j]
		switch {
		case c == '"':
			p.i = j + 1
			p.buf = b
			return string(b), nil
		case c < 0x20:
			p.i = j
			return "", p.syntax(fmt.Sprintf("a control character (%#02x) in a string must be escaped", c))
		case c == '\\':
			if j+1 == len(p.data) {
				p.i = j
				return "", p.syntax("the document ends inside a string")
			}
			e := p.data[j+1]
			switch e {
			case '"', '\\', '/':
				b = append(b, e)
			case 'b':
				b = append(b, '\b')
			case 'f':
				b = append(b, '\f')
			case 'n':
				b = append(b, '\n')
			case 'r':
				b = append(b, '\r')
			case 't':
				b = append(b, '\t')
			case 'u':
				r, ok := hex4(p.data[j+2:])
				if !ok {
					p.i = j
					return "", p.syntax(`\u must be followed by four hex digits`)
				}
				j += 6
				if utf16.IsSurrogate(r) {
					if r2, ok := hex4(p.data[min(j+2, len(p.data)):]); ok && p.data[j] == '\\' && p.data[j+1] == 'u' {
						if d := utf16.DecodeRune(r, r2); d != utf8.RuneError {
							b = utf8.AppendRune(b, d)
							j += 6
							continue
						}
					}
					r = utf8.RuneError
				}
				b = utf8.AppendRune(b, r)
				continue
			default:
				p.i = j
				return "", p.syntax(fmt.Sprintf("invalid escape \\%c in a string", e))
			}
			j += 2
		case c < utf8.RuneSelf:
			b = append(b, c)
			j++
		default:
			r, size := utf8.DecodeRune(p.data[j:])
			if r == utf8.RuneError && size == 1 {
				b = utf8.AppendRune(b, utf8.RuneError)
			} else {
				b = append(b, p.data[j:j+size]...)
			}
			j += size
		}
	}
	p.i = len(p.data)
	return "", p.syntax("the document ends inside a string")
}

// hex4 reads four hex digits.
func hex4(b []byte) (rune, bool) {
	if len(b) < 4 {
		return 0, false
	}
	var r rune
	for _, c := range b[:4] {
		switch {
		case '0' <= c && c <= '9':
			c -= '0'
		case 'a' <= c && c <= 'f':
			c = c - 'a' + 10
		case 'A' <= c && c <= 'F':
			c = c - 'A' + 10
		default:
			return 0, false
		}
		r = r<<4 | rune(c)
	}
	return r, true
}

// got describes the value at the cursor, for messages.
func (p *parser) got() string {
	if p.i >= len(p.data) {
		return "the end of the document"
	}
	switch c := p.data[p.i]; {
	case c == '"':
		return "a string"
	case c == '{':
		return "an object"
	case c == '[':
		return "an array"
	case c == 't' || c == 'f':
		return "true or false"
	case c == 'n':
		return "null"
	case c == '-' || '0' <= c && c <= '9':
		return "a number"
	case c < 0x20 || c >= utf8.RuneSelf:
		return fmt.Sprintf("the byte %#02x", c)
	default:
		return fmt.Sprintf("%q", string(rune(c)))
	}
}

// path names the field at the cursor, e.g. contacts[3].rev.
func (p *parser) path() string {
	s := ""
	if p.sect != "" {
		s = fmt.Sprintf("%s[%d]", p.sect, p.index)
	}
	if p.field != "" {
		if s != "" {
			s += "."
		}
		s += p.field
	}
	return s
}

func (p *parser) fail(format string, args ...any) error {
	where := p.path()
	if where != "" {
		where += " "
	}
	return fmt.Errorf("%sat %s: %s", where, position(p.data, int64(p.i)), fmt.Sprintf(format, args...))
}

func (p *parser) syntax(msg string) error {
	return fmt.Errorf("malformed JSON at %s: %s", position(p.data, int64(p.i)), msg)
}

func (p *parser) wrongType(want string) error {
	if p.i < len(p.data) {
		switch c := p.data[p.i]; {
		case c == '"', c == '{', c == '[', c == 't', c == 'f', c == 'n', c == '-', '0' <= c && c <= '9':
			return p.fail("want %s, got %s", want, p.got())
		}
	}
	return p.syntax(fmt.Sprintf("expected %s, got %s", want, p.got()))
}
