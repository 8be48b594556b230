// Package report turns stored contacts into something people read or take
// elsewhere: the team lead's summary and its renderers, and the CSV/JSONL
// export for ops.
package report

import (
	"fmt"
	"io"
	"strconv"
	"time"

	"whycall/internal/jsonstr"
	"whycall/store"
)

// Format is the file format of an export.
type Format string

// Export formats.
const (
	FormatCSV   Format = "csv"
	FormatJSONL Format = "jsonl"
)

// ParseFormat checks an export format named by the user.
func ParseFormat(s string) (Format, error) {
	switch f := Format(s); f {
	case FormatCSV, FormatJSONL:
		return f, nil
	}
	return "", fmt.Errorf("unknown format %q: use csv or jsonl", s)
}

// Shape is what one exported row stands for.
type Shape string

// Export shapes.
const (
	// ShapeContact is one row per contact.
	ShapeContact Shape = "contact"
	// ShapeReason is one row per (contact, reason), for pivot tables.
	ShapeReason Shape = "reason"
)

// ParseShape checks an export shape named by the user.
func ParseShape(s string) (Shape, error) {
	switch sh := Shape(s); sh {
	case ShapeContact, ShapeReason:
		return sh, nil
	}
	return "", fmt.Errorf("unknown shape %q: use contact or reason", s)
}

// ParseDelimiter checks a CSV delimiter given by the user: one ASCII
// character that is not a quote or a line break. "tab" and `\t` mean a tab.
func ParseDelimiter(s string) (byte, error) {
	if s == "tab" || s == `\t` {
		return '\t', nil
	}
	if len(s) != 1 || s[0] >= 0x80 {
		return 0, fmt.Errorf("delimiter %q must be a single ASCII character, e.g. , or ; or tab", s)
	}
	switch c := s[0]; c {
	case '"', '\r', '\n':
		return 0, fmt.Errorf("delimiter %q cannot be a double quote or a line break", s)
	}
	return s[0], nil
}

// ExportOptions say how an export is written.
type ExportOptions struct {
	Format Format // "" means CSV
	Shape  Shape  // "" means one row per contact
	// Delimiter separates CSV cells; 0 means ','.
	Delimiter byte
	// CRLF ends CSV lines with CR LF instead of LF.
	CRLF bool
	// BOM starts a CSV file with the UTF-8 byte order mark, so that Excel
	// reads it as UTF-8.
	BOM bool
	// Raw turns the CSV formula guard off. JSONL is never guarded.
	Raw bool
	// Location is the time zone of the start and end times; nil means UTC.
	Location *time.Location
	// RepeatWindow is how far back another contact with the same customer
	// reference makes a contact a repeat one; 0 means 7 days.
	RepeatWindow time.Duration
}

// Excel returns o set up for Nordic Excel: BOM, ';' and CRLF.
func (o ExportOptions) Excel() ExportOptions {
	o.BOM, o.Delimiter, o.CRLF = true, ';', true
	return o
}

// field is one kind of exported value.
type field uint8

const (
	fID field = iota
	fStart
	fEnd
	fDuration
	fAgent
	fTeam
	fSite
	fChannel
	fReason // the primary reason, or the row's reason in the reason shape
	fLabel
	fCategory
	fOwner
	fKind
	fSecondary
	fPosition
	fOutcome
	fRef
	fRepeat
	fNote
	fTaxonomy
	fRev
)

type column struct {
	name string
	f    field
}

// The columns of each shape. Their names are a promise to everyone who
// builds on an export: add columns at the end, never rename one. README.md
// documents them.
var (
	contactColumns = []column{
		{"id", fID}, {"start", fStart}, {"end", fEnd}, {"duration_s", fDuration},
		{"agent", fAgent}, {"team", fTeam}, {"site", fSite}, {"channel", fChannel},
		{"primary_reason", fReason}, {"primary_label", fLabel}, {"category", fCategory},
		{"owner", fOwner}, {"kind", fKind}, {"secondary_reasons", fSecondary},
		{"outcome", fOutcome}, {"customer_ref", fRef}, {"repeat", fRepeat}, {"note", fNote},
		{"taxonomy_version", fTaxonomy}, {"rev", fRev},
	}
	reasonColumns = []column{
		{"id", fID}, {"start", fStart}, {"end", fEnd}, {"duration_s", fDuration},
		{"agent", fAgent}, {"team", fTeam}, {"site", fSite}, {"channel", fChannel},
		{"position", fPosition}, {"reason", fReason}, {"reason_label", fLabel},
		{"category", fCategory}, {"owner", fOwner}, {"kind", fKind},
		{"outcome", fOutcome}, {"customer_ref", fRef}, {"repeat", fRepeat}, {"note", fNote},
		{"taxonomy_version", fTaxonomy}, {"rev", fRev},
	}
)

// Columns returns the column names of a shape, in order.
func Columns(s Shape) []string {
	cols := contactColumns
	if s == ShapeReason {
		cols = reasonColumns
	}
	names := make([]string, len(cols))
	for i, c := range cols {
		names[i] = c.name
	}
	return names
}

// flushAt is when the output buffer is handed to the writer: large writes,
// few system calls, and a buffer that stays in the CPU's cache.
const flushAt = 256 << 10

// Exporter writes contacts as CSV or JSONL. Rows must come in start order
// (as store.ExportReader delivers them), because the repeat flag is worked
// out as they pass. It keeps its own output buffer; call Flush at the end.
type Exporter struct {
	w      io.Writer
	format Format
	cols   []column
	// perReason writes one line per reason instead of one per contact.
	perReason bool
	keys      [][]byte // JSONL: `{"id":`, `,"start":`, …
	guard     bool
	eol       []byte
	delim     byte
	// special marks the bytes that make a CSV cell need quotes.
	special [256]bool

	buf          []byte
	start, end   clock
	repeats      repeats
	labels       *Labels
	rows, events int64
	err          error
}

// NewExporter returns an exporter writing to w. labels names the reasons;
// nil leaves labels, categories, owners and kinds empty.
func NewExporter(w io.Writer, opt ExportOptions, labels *Labels) *Exporter {
	e := &Exporter{
		w:      w,
		format: opt.Format,
		cols:   contactColumns,
		guard:  !opt.Raw,
		eol:    []byte("\n"),
		delim:  opt.Delimiter,
		buf:    make([]byte, 0, flushAt+64<<10),
		labels: labels,
	}
	if e.format == "" {
		e.format = FormatCSV
	}
	if opt.Shape == ShapeReason {
		e.cols, e.perReason = reasonColumns, true
	}
	if e.delim == 0 {
		e.delim = ','
	}
	if opt.CRLF {
		e.eol = []byte("\r\n")
	}
	for _, c := range []byte{e.delim, '"', '\r', '\n'} {
		e.special[c] = true
	}
	loc := opt.Location
	if loc == nil {
		loc = time.UTC
	}
	e.start, e.end = newClock(loc), newClock(loc)
	window := opt.RepeatWindow
	if window <= 0 {
		window = 7 * 24 * time.Hour
	}
	e.repeats = newRepeats(window)
	if e.format == FormatJSONL {
		for i, c := range e.cols {
			k := `,"` + c.name + `":`
			if i == 0 {
				k = `{"` + c.name + `":`
			}
			e.keys = append(e.keys, []byte(k))
		}
	} else {
		if opt.BOM {
			e.buf = append(e.buf, 0xEF, 0xBB, 0xBF)
		}
		for i, c := range e.cols {
			if i > 0 {
				e.buf = append(e.buf, e.delim)
			}
			e.buf = append(e.buf, c.name...)
		}
		e.buf = append(e.buf, e.eol...)
	}
	return e
}

// Rows returns how many contacts have been written.
func (e *Exporter) Rows() int64 { return e.rows }

// WriteBatch writes a batch of rows; history rows only feed the repeat flag.
func (e *Exporter) WriteBatch(b *store.ExportBatch) error {
	for i := range b.Rows {
		if err := e.Write(&b.Rows[i]); err != nil {
			return err
		}
	}
	return nil
}

// Write writes one contact (one line per reason in the reason shape). A
// history row only feeds the repeat flag.
func (e *Exporter) Write(r *store.ExportRow) error {
	if e.err != nil {
		return e.err
	}
	repeat := len(r.CustomerRef) > 0 && e.repeats.observe(r.CustomerRef, r.StartedAt)
	if r.History {
		return nil
	}
	e.rows++
	primary, secondary := splitPrimary(r.Reasons)
	if !e.perReason {
		e.buf = e.row(e.buf, r, rowState{reason: primary, secondary: secondary, repeat: repeat})
	} else {
		// One line per reason; a contact with none still gets one, at
		// position 0, so that totals match the contact shape.
		st := rowState{reason: primary, repeat: repeat}
		rest := secondary
		for pos := 1; ; pos++ {
			if len(r.Reasons) > 0 {
				st.position = pos
			}
			e.buf = e.row(e.buf, r, st)
			if len(rest) == 0 {
				break
			}
			st.reason, rest = splitPrimary(rest)
		}
	}
	if len(e.buf) >= flushAt {
		return e.flush()
	}
	return nil
}

// Flush writes out what is buffered.
func (e *Exporter) Flush() error {
	if e.err != nil {
		return e.err
	}
	return e.flush()
}

func (e *Exporter) flush() error {
	if len(e.buf) == 0 {
		return nil
	}
	if _, err := e.w.Write(e.buf); err != nil {
		e.err = fmt.Errorf("write export: %w", err)
		return e.err
	}
	e.buf = e.buf[:0]
	return nil
}

// rowState is what one output line adds to the stored row.
type rowState struct {
	reason, secondary []byte
	position          int
	repeat            bool
}

// row appends one line.
func (e *Exporter) row(b []byte, r *store.ExportRow, st rowState) []byte {
	json := e.format == FormatJSONL
	var info *reasonInfo
	if e.labels != nil {
		info = e.labels.reason(r.TaxonomyVersion, st.reason)
	} else {
		info = &noInfo
	}
	for i, c := range e.cols {
		if json {
			b = append(b, e.keys[i]...)
		} else if i > 0 {
			b = append(b, e.delim)
		}
		switch c.f {
		case fID:
			b = e.text(b, r.ID)
		case fStart:
			b = e.time(b, &e.start, r.StartedAt)
		case fEnd:
			b = e.time(b, &e.end, r.EndedAt)
		case fDuration:
			b = strconv.AppendInt(b, durationSeconds(r.StartedAt, r.EndedAt), 10)
		case fAgent:
			b = e.text(b, r.Agent)
		case fTeam:
			b = e.text(b, r.Team)
		case fSite:
			b = e.text(b, r.Site)
		case fChannel:
			b = e.text(b, r.Channel)
		case fReason:
			b = e.text(b, st.reason)
		case fLabel:
			b = e.text(b, info.label)
		case fCategory:
			b = e.text(b, info.category)
		case fOwner:
			b = e.text(b, info.owner)
		case fKind:
			b = e.text(b, info.kind)
		case fSecondary:
			if json {
				b = appendJSONList(b, st.secondary)
			} else {
				b = e.text(b, st.secondary)
			}
		case fPosition:
			b = strconv.AppendInt(b, int64(st.position), 10)
		case fOutcome:
			b = e.text(b, r.Outcome)
		case fRef:
			b = e.text(b, r.CustomerRef)
		case fRepeat:
			b = e.bool(b, st.repeat)
		case fNote:
			b = e.text(b, r.Note)
		case fTaxonomy:
			b = e.text(b, r.TaxonomyVersion)
		case fRev:
			b = strconv.AppendInt(b, r.Rev, 10)
		}
	}
	if json {
		return append(b, '}', '\n')
	}
	return append(b, e.eol...)
}

func (e *Exporter) text(b, v []byte) []byte {
	if e.format == FormatJSONL {
		return jsonstr.Append(b, v)
	}
	return e.cell(b, v)
}

func (e *Exporter) time(b []byte, c *clock, ms int64) []byte {
	if e.format == FormatJSONL {
		b = append(b, '"')
		b = c.append(b, ms)
		return append(b, '"')
	}
	return c.append(b, ms)
}

func (e *Exporter) bool(b []byte, v bool) []byte {
	switch {
	case e.format == FormatJSONL && v:
		return append(b, "true"...)
	case e.format == FormatJSONL:
		return append(b, "false"...)
	case v:
		return append(b, '1')
	}
	return append(b, '0')
}

// durationSeconds is the handle time rounded to whole seconds: a decimal
// point would read as a date or text in Nordic Excel.
func durationSeconds(start, end int64) int64 {
	d := end - start
	if d < 0 {
		return 0
	}
	return (d + 500) / 1000
}

// splitPrimary splits "a|b|c" into "a" and "b|c" without allocating.
func splitPrimary(reasons []byte) (first, rest []byte) {
	for i, c := range reasons {
		if c == '|' {
			return reasons[:i], reasons[i+1:]
		}
	}
	return reasons, nil
}
