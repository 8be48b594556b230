package batch

import (
	"strconv"
	"time"
	"unicode/utf8"

	"whycall/store"
)

// timeLayout is how every time is written: RFC 3339, UTC, milliseconds.
const timeLayout = "2006-01-02T15:04:05.000Z"

// Encode returns b as a whycall.batch/v1 JSON document. The keys come in a
// fixed order and every time is UTC with milliseconds, so the same batch
// always encodes to the same bytes.
func Encode(b *Batch) []byte {
	cs := make([]byte, 0, 400*len(b.Contacts))
	for i := range b.Contacts {
		if i > 0 {
			cs = append(cs, ',')
		}
		cs = appendContact(cs, &b.Contacts[i])
	}
	size := len(cs) + 256
	taxes := make([][]byte, len(b.Taxonomies))
	for i := range b.Taxonomies {
		taxes[i] = appendTaxonomy(nil, &b.Taxonomies[i])
		size += len(taxes[i]) + 1
	}
	return encodeParts(make([]byte, 0, size), b, taxes, cs)
}

// encodeParts appends the document for b to dst, with its taxonomy entries
// and contacts (comma-separated) already encoded.
func encodeParts(dst []byte, b *Batch, taxonomies [][]byte, contacts []byte) []byte {
	dst = append(dst, `{"format":"`+Format+`","id":`...)
	dst = appendString(dst, b.ID)
	dst = append(dst, `,"agent":`...)
	dst = appendString(dst, b.Agent)
	dst = append(dst, `,"site":`...)
	dst = appendString(dst, b.Site)
	dst = append(dst, `,"created":`...)
	dst = appendTime(dst, b.Created)
	dst = append(dst, `,"taxonomies":[`...)
	for i, t := range taxonomies {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = append(dst, t...)
	}
	dst = append(dst, `],"contacts":[`...)
	dst = append(dst, contacts...)
	return append(dst, "]}\n"...)
}

func appendTaxonomy(dst []byte, t *Taxonomy) []byte {
	dst = append(dst, `{"version":`...)
	dst = appendString(dst, t.Version)
	dst = append(dst, `,"id":`...)
	dst = appendString(dst, t.ID)
	dst = append(dst, `,"revision":`...)
	dst = strconv.AppendInt(dst, int64(t.Revision), 10)
	dst = append(dst, `,"yaml":`...)
	dst = appendString(dst, string(t.YAML))
	return append(dst, '}')
}

// appendContact appends c as a JSON object.
func appendContact(dst []byte, c *store.Contact) []byte {
	dst = append(dst, `{"id":`...)
	dst = appendString(dst, c.ID)
	dst = append(dst, `,"rev":`...)
	dst = strconv.AppendInt(dst, c.Rev, 10)
	dst = append(dst, `,"updated_at":`...)
	dst = appendTime(dst, c.UpdatedAt)
	dst = append(dst, `,"deleted":`...)
	dst = strconv.AppendBool(dst, c.Deleted)
	dst = append(dst, `,"agent":`...)
	dst = appendString(dst, c.Agent)
	dst = append(dst, `,"team":`...)
	dst = appendString(dst, c.Team)
	dst = append(dst, `,"site":`...)
	dst = appendString(dst, c.Site)
	dst = append(dst, `,"channel":`...)
	dst = appendString(dst, string(c.Channel))
	dst = append(dst, `,"started_at":`...)
	dst = appendTime(dst, c.StartedAt)
	dst = append(dst, `,"ended_at":`...)
	if c.EndedAt.IsZero() {
		dst = append(dst, "null"...)
	} else {
		dst = appendTime(dst, c.EndedAt)
	}
	dst = append(dst, `,"reasons":[`...)
	for i, r := range c.Reasons {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = appendString(dst, r)
	}
	dst = append(dst, `],"outcome":`...)
	dst = appendString(dst, string(c.Outcome))
	dst = append(dst, `,"customer_ref":`...)
	dst = appendString(dst, c.CustomerRef)
	dst = append(dst, `,"note":`...)
	dst = appendString(dst, c.Note)
	dst = append(dst, `,"taxonomy_version":`...)
	dst = appendString(dst, c.TaxonomyVersion)
	return append(dst, '}')
}

// appendTime appends t in timeLayout, quoted. It is AppendFormat by hand:
// three times per contact made formatting a third of the encoder's time.
func appendTime(dst []byte, t time.Time) []byte {
	t = t.UTC()
	year, month, day := t.Date()
	hour, minute, sec := t.Clock()
	if year < 0 || year > 9999 {
		dst = append(dst, '"')
		dst = t.AppendFormat(dst, timeLayout)
		return append(dst, '"')
	}
	ms := t.Nanosecond() / int(time.Millisecond)
	return append(dst, '"',
		byte('0'+year/1000), byte('0'+year/100%10), byte('0'+year/10%10), byte('0'+year%10), '-',
		byte('0'+int(month)/10), byte('0'+int(month)%10), '-', byte('0'+day/10), byte('0'+day%10), 'T',
		byte('0'+hour/10), byte('0'+hour%10), ':', byte('0'+minute/10), byte('0'+minute%10), ':',
		byte('0'+sec/10), byte('0'+sec%10), '.', byte('0'+ms/100), byte('0'+ms/10%10), byte('0'+ms%10), 'Z', '"')
}

const hexDigits = "0123456789abcdef"

// appendString appends s as a JSON string. Control characters are escaped,
// and invalid UTF-8 becomes U+FFFD, as encoding/json does, so that what is
// written decodes to what a reader keeps.
func appendString(dst []byte, s string) []byte {
	dst = append(dst, '"')
	start := 0
	for i := 0; i < len(s); {
		b := s[i]
		if b < utf8.RuneSelf {
			if b >= 0x20 && b != '"' && b != '\\' {
				i++
				continue
			}
			dst = append(dst, s[start:i]...)
			switch b {
			case '"', '\\':
				dst = append(dst, '\\', b)
			case '\n':
				dst = append(dst, '\\', 'n')
			case '\r':
				dst = append(dst, '\\', 'r')
			case '\t':
				dst = append(dst, '\\', 't')
			default:
				dst = append(dst, '\\', 'u', '0', '0', hexDigits[b>>4], hexDigits[b&0xf])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			dst = append(dst, s[start:i]...)
			dst = append(dst, `\ufffd`...)
			i += size
			start = i
			continue
		}
		// U+2028 and U+2029 are valid JSON but break JavaScript readers.
		if r == '\u2028' || r == '\u2029' {
			dst = append(dst, s[start:i]...)
			dst = append(dst, '\\', 'u', '2', '0', '2', hexDigits[r&0xf])
			i += size
			start = i
			continue
		}
		i += size
	}
	dst = append(dst, s[start:]...)
	return append(dst, '"')
}
