package report

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"reflect"
	"strings"
	"testing"
	"time"

	"whycall/store"
)

var oslo = mustLoad("Europe/Oslo")

func mustLoad(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return loc
}

// testRow returns a finished contact starting at the given Oslo time.
func testRow(id string, start time.Time, note string) store.ExportRow {
	return store.ExportRow{
		ID: []byte(id), Agent: []byte("kari"), Team: []byte("Kundeservice Oslo"), Site: []byte("oslo"),
		Channel: []byte("phone"), StartedAt: start.UnixMilli(), EndedAt: start.Add(154500 * time.Millisecond).UnixMilli(),
		Reasons: []byte("invoice_wrong|moving"), Outcome: []byte("resolved"), Note: []byte(note),
		TaxonomyVersion: []byte("v1"), Rev: 3,
	}
}

// export writes rows with opt and returns the output.
func export(t *testing.T, opt ExportOptions, rows ...store.ExportRow) []byte {
	t.Helper()
	var out bytes.Buffer
	e := NewExporter(&out, opt, NewLabels("nb", nil, nil))
	for i := range rows {
		if err := e.Write(&rows[i]); err != nil {
			t.Fatal(err)
		}
	}
	if err := e.Flush(); err != nil {
		t.Fatal(err)
	}
	return out.Bytes()
}

// readCSV parses an export with encoding/csv and returns its records by
// column name, checking the header on the way.
func readCSV(t *testing.T, data []byte, delim rune, shape Shape) []map[string]string {
	t.Helper()
	data = bytes.TrimPrefix(data, []byte("\xEF\xBB\xBF"))
	r := csv.NewReader(bytes.NewReader(data))
	r.Comma = delim
	recs, err := r.ReadAll()
	if err != nil {
		t.Fatalf("encoding/csv cannot read the export: %v\n%s", err, data)
	}
	if want := Columns(shape); !reflect.DeepEqual(recs[0], want) {
		t.Fatalf("header = %q, want %q", recs[0], want)
	}
	var out []map[string]string
	for _, rec := range recs[1:] {
		m := map[string]string{}
		for i, v := range rec {
			m[recs[0][i]] = v
		}
		out = append(out, m)
	}
	return out
}

// awkwardNotes are notes that break naive CSV and JSON writers.
var awkwardNotes = []string{
	`plain`,
	`she said "no"`,
	`semi;colon, and comma`,
	"two\nlines",
	"windows\r\nline",
	"ÆØÅ æøå ÄÖ äö",
	"emoji 🙂👍🏽 and 中文",
	`back\slash`,
	"tab\there",
	"",
	`"`,
	`""`,
	" leading space",
	"ends with quote\"",
	strings.Repeat("long ", 400),
}

func TestCSVRoundTripsAwkwardNotes(t *testing.T) {
	for _, tc := range []struct {
		name  string
		opt   ExportOptions
		delim rune
	}{
		{"with commas and LF", ExportOptions{Raw: true}, ','},
		{"for Excel with semicolons and CRLF", ExportOptions{Raw: true}.Excel(), ';'},
		{"with tabs", ExportOptions{Raw: true, Delimiter: '\t'}, '\t'},
		{"with the formula guard on", ExportOptions{}, ','},
	} {
		t.Run("the notes come back as written "+tc.name, func(t *testing.T) {
			var rows []store.ExportRow
			start := time.Date(2025, 3, 10, 9, 0, 0, 0, oslo)
			for i, n := range awkwardNotes {
				rows = append(rows, testRow(fmt.Sprint("id-", i), start.Add(time.Duration(i)*time.Minute), n))
			}
			out := export(t, tc.opt, rows...)
			recs := readCSV(t, out, tc.delim, ShapeContact)
			if len(recs) != len(awkwardNotes) {
				t.Fatalf("%d records, want %d", len(recs), len(awkwardNotes))
			}
			if !bytes.Contains(out, []byte("\"windows\r\nline\"")) {
				t.Errorf("a CRLF inside a note must be kept: %q", out)
			}
			for i, n := range awkwardNotes {
				// encoding/csv turns CRLF inside a quoted cell into LF.
				if got := recs[i]["note"]; got != strings.ReplaceAll(n, "\r\n", "\n") {
					t.Errorf("note %d = %q, want %q", i, got, n)
				}
				if recs[i]["id"] != fmt.Sprint("id-", i) || recs[i]["rev"] != "3" {
					t.Errorf("record %d is off: %v", i, recs[i])
				}
			}
		})
	}
}

func TestCSVColumns(t *testing.T) {
	r := testRow("0195-a", time.Date(2025, 3, 10, 9, 0, 0, 400e6, oslo), "n")
	r.CustomerRef = []byte("ab12")
	recs := readCSV(t, export(t, ExportOptions{Location: oslo}, r), ',', ShapeContact)
	want := map[string]string{
		"id": "0195-a", "start": "2025-03-10T09:00:00+01:00", "end": "2025-03-10T09:02:34+01:00",
		"duration_s": "155", "agent": "kari", "team": "Kundeservice Oslo", "site": "oslo", "channel": "phone",
		"primary_reason": "invoice_wrong", "primary_label": "invoice_wrong", "category": "", "owner": "", "kind": "",
		"secondary_reasons": "moving", "outcome": "resolved", "customer_ref": "ab12", "repeat": "0",
		"note": "n", "taxonomy_version": "v1", "rev": "3",
	}
	if !reflect.DeepEqual(recs[0], want) {
		t.Errorf("row =\n%v\nwant\n%v", recs[0], want)
	}
}

func TestExcelBytes(t *testing.T) {
	r := testRow("a", time.Date(2025, 3, 10, 9, 0, 0, 0, oslo), "x;y")
	got := export(t, ExportOptions{Location: oslo}.Excel(), r)
	if !bytes.HasPrefix(got, []byte("\xEF\xBB\xBFid;start;end;duration_s;")) {
		t.Errorf("does not start with a BOM and a ';' header: %q", got[:min(40, len(got))])
	}
	lines := bytes.Split(bytes.TrimSuffix(got, []byte("\r\n")), []byte("\r\n"))
	if len(lines) != 2 {
		t.Fatalf("want 2 CRLF-ended lines, got %d: %q", len(lines), got)
	}
	if bytes.Count(got, []byte("\n")) != 2 || !bytes.HasSuffix(got, []byte("\r\n")) {
		t.Errorf("every line must end in CRLF: %q", got)
	}
	if !bytes.Contains(lines[1], []byte(`;"x;y";v1;3`)) {
		t.Errorf("a note with ';' must be quoted: %q", lines[1])
	}
}

func TestFormulaGuard(t *testing.T) {
	cases := []struct {
		note, guarded string
	}{
		{"=1+2", "'=1+2"},
		{"=HYPERLINK(\"http://x\";\"klikk\")", "'=HYPERLINK(\"http://x\";\"klikk\")"},
		{"+47 22 00 00 00", "'+47 22 00 00 00"},
		{"-2+3", "'-2+3"},
		{"@SUM(A1)", "'@SUM(A1)"},
		{"\tcmd", "'\tcmd"},
		{"\rcmd", "'\rcmd"},
		{"-cmd|' /C calc'!A0", "'-cmd|' /C calc'!A0"},
		// Plain numbers cannot run; they stay numbers.
		{"-5", "-5"},
		{"+47", "+47"},
		{"-3,5", "-3,5"},
		{"-0.25", "-0.25"},
		// Not at the start: harmless.
		{"a=b", "a=b"},
		{"", ""},
		{"-", "'-"},
		{"-5.", "'-5."},
	}
	for _, tc := range cases {
		t.Run(fmt.Sprintf("a note %q is written as %q, or as it is with --raw", tc.note, tc.guarded), func(t *testing.T) {
			r := testRow("a", time.Date(2025, 3, 10, 9, 0, 0, 0, oslo), tc.note)
			for _, opt := range []ExportOptions{{}, ExportOptions{}.Excel()} {
				delim := rune(opt.Delimiter)
				if delim == 0 {
					delim = ','
				}
				if got := readCSV(t, export(t, opt, r), delim, ShapeContact)[0]["note"]; got != tc.guarded {
					t.Errorf("guarded note = %q, want %q", got, tc.guarded)
				}
				opt.Raw = true
				if got := readCSV(t, export(t, opt, r), delim, ShapeContact)[0]["note"]; got != tc.note {
					t.Errorf("raw note = %q, want %q", got, tc.note)
				}
			}
		})
	}
	t.Run("every text column is guarded, not just the note", func(t *testing.T) {
		r := testRow("=id", time.Date(2025, 3, 10, 9, 0, 0, 0, oslo), "")
		r.Agent, r.Team, r.Site, r.CustomerRef = []byte("@a"), []byte("+t"), []byte("-s"), []byte("=r")
		r.Reasons = []byte("=p|-q")
		rec := readCSV(t, export(t, ExportOptions{}, r), ',', ShapeContact)[0]
		for col, want := range map[string]string{"id": "'=id", "agent": "'@a", "team": "'+t", "site": "'-s",
			"customer_ref": "'=r", "primary_reason": "'=p", "primary_label": "'=p", "secondary_reasons": "'-q"} {
			if rec[col] != want {
				t.Errorf("%s = %q, want %q", col, rec[col], want)
			}
		}
	})
}

func TestJSONLRoundTrip(t *testing.T) {
	type line struct {
		ID               string   `json:"id"`
		Start            string   `json:"start"`
		End              string   `json:"end"`
		DurationS        int64    `json:"duration_s"`
		Agent            string   `json:"agent"`
		PrimaryReason    string   `json:"primary_reason"`
		SecondaryReasons []string `json:"secondary_reasons"`
		Outcome          string   `json:"outcome"`
		CustomerRef      string   `json:"customer_ref"`
		Repeat           bool     `json:"repeat"`
		Note             string   `json:"note"`
		Rev              int64    `json:"rev"`
	}
	notes := append([]string{"=1+2", "\x01control\x1f", "bad \xff utf8", "sep\u2028para\u2029"}, awkwardNotes...)
	var rows []store.ExportRow
	start := time.Date(2025, 3, 10, 9, 0, 0, 0, oslo)
	for i, n := range notes {
		r := testRow(fmt.Sprint("id-", i), start.Add(time.Duration(i)*time.Hour), n)
		r.CustomerRef = []byte("ref")
		rows = append(rows, r)
	}
	rows[1].Reasons = []byte("solo")
	rows[2].Reasons = []byte("")
	rows[3].Reasons = []byte("a|b|c")
	out := export(t, ExportOptions{Format: FormatJSONL, Location: oslo}, rows...)
	lines := strings.Split(strings.TrimSuffix(string(out), "\n"), "\n")
	if len(lines) != len(notes) {
		t.Fatalf("%d lines, want one per contact (%d)", len(lines), len(notes))
	}
	for i, l := range lines {
		dec := json.NewDecoder(strings.NewReader(l))
		dec.DisallowUnknownFields()
		var raw map[string]any
		if err := json.Unmarshal([]byte(l), &raw); err != nil {
			t.Fatalf("line %d is not JSON: %v\n%s", i, err, l)
		}
		if len(raw) != len(Columns(ShapeContact)) {
			t.Errorf("line %d has %d fields, want %d", i, len(raw), len(Columns(ShapeContact)))
		}
		var got line
		if err := json.Unmarshal([]byte(l), &got); err != nil {
			t.Fatalf("line %d does not decode into typed fields: %v\n%s", i, err, l)
		}
		want := strings.ToValidUTF8(notes[i], "\uFFFD")
		if got.Note != want {
			t.Errorf("line %d note = %q, want %q", i, got.Note, want)
		}
		if got.DurationS != 155 || got.Rev != 3 || got.Start == "" || got.Repeat != (i > 0) {
			t.Errorf("line %d typed fields off: %+v", i, got)
		}
	}
	var l1, l2, l3 line
	json.Unmarshal([]byte(lines[1]), &l1)
	json.Unmarshal([]byte(lines[2]), &l2)
	json.Unmarshal([]byte(lines[3]), &l3)
	if l1.SecondaryReasons == nil || len(l1.SecondaryReasons) != 0 || l2.PrimaryReason != "" || !reflect.DeepEqual(l3.SecondaryReasons, []string{"b", "c"}) {
		t.Errorf("secondary reasons must be arrays: %q %q %q", l1.SecondaryReasons, l2.SecondaryReasons, l3.SecondaryReasons)
	}
	if !strings.Contains(lines[0], `"note":"=1+2"`) {
		t.Errorf("JSONL is never formula-guarded: %s", lines[0])
	}
}

func TestReasonShape(t *testing.T) {
	start := time.Date(2025, 3, 10, 9, 0, 0, 0, oslo)
	a := testRow("a", start, "")
	a.Reasons = []byte("invoice_wrong|moving|cancel_leave")
	b := testRow("b", start.Add(time.Minute), "")
	b.Reasons = nil
	c := testRow("c", start.Add(2*time.Minute), "")
	c.Reasons = []byte("solo")
	recs := readCSV(t, export(t, ExportOptions{Shape: ShapeReason}, a, b, c), ',', ShapeReason)
	var got []string
	for _, r := range recs {
		got = append(got, r["id"]+":"+r["position"]+":"+r["reason"])
	}
	want := []string{"a:1:invoice_wrong", "a:2:moving", "a:3:cancel_leave", "b:0:", "c:1:solo"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("rows = %q, want %q", got, want)
	}
	out := export(t, ExportOptions{Shape: ShapeReason, Format: FormatJSONL}, a)
	if n := bytes.Count(out, []byte("\n")); n != 3 || !bytes.Contains(out, []byte(`"position":2,"reason":"moving"`)) {
		t.Errorf("JSONL reason shape: %s", out)
	}
}

func TestRepeatFlag(t *testing.T) {
	day := 24 * time.Hour
	t0 := time.Date(2025, 3, 1, 9, 0, 0, 0, oslo)
	row := func(id, ref string, at time.Time, history bool) store.ExportRow {
		r := testRow(id, at, "")
		r.CustomerRef = []byte(ref)
		r.History = history
		return r
	}
	rows := []store.ExportRow{
		row("h", "x", t0.Add(-2*day), true),              // history: not written
		row("a", "x", t0, false),                         // x seen 2 days ago: repeat
		row("b", "y", t0, false),                         // first y
		row("c", "y", t0, false),                         // same millisecond as b: not a repeat of it
		row("d", "", t0.Add(time.Hour), false),           // no ref: never a repeat
		row("e", "", t0.Add(2*time.Hour), false),         // no ref
		row("f", "y", t0.Add(7*day), false),              // exactly 7 days after b: repeat
		row("g", "x", t0.Add(7*day+time.Second), false),  // 7 days and 1 s after a: not
		row("i", "x", t0.Add(30*day), false),             // long after, after sweeps: not
		row("j", "x", t0.Add(30*day+time.Minute), false), // a minute later: repeat
	}
	recs := readCSV(t, export(t, ExportOptions{}, rows...), ',', ShapeContact)
	var got []string
	for _, r := range recs {
		got = append(got, r["id"]+r["repeat"])
	}
	want := []string{"a1", "b0", "c0", "d0", "e0", "f1", "g0", "i0", "j1"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("repeat flags = %q, want %q", got, want)
	}
	t.Run("the window is configurable", func(t *testing.T) {
		recs := readCSV(t, export(t, ExportOptions{RepeatWindow: day}, rows...), ',', ShapeContact)
		if recs[0]["repeat"] != "0" || recs[5]["repeat"] != "0" || recs[8]["repeat"] != "1" {
			t.Errorf("with a 1-day window: %v %v %v", recs[0]["repeat"], recs[5]["repeat"], recs[8]["repeat"])
		}
	})
}

func TestRepeatsForgetOldReferences(t *testing.T) {
	r := newRepeats(time.Hour)
	for i := range 10_000 {
		r.observe([]byte(fmt.Sprint("ref", i)), int64(i)*60_000) // one a minute
	}
	if n := len(r.seen); n > 75+1 {
		t.Errorf("%d references remembered, want at most 1¼ windows' worth (76)", n)
	}
}

func TestTimesAreLocalWithOffsetAcrossDST(t *testing.T) {
	zones := []string{"Europe/Oslo", "Europe/Stockholm", "UTC", "America/St_Johns", "Asia/Kolkata", "Australia/Lord_Howe"}
	for _, name := range zones {
		t.Run("times in "+name+" match time.Format", func(t *testing.T) {
			loc := mustLoad(name)
			c := newClock(loc)
			var b []byte
			check := func(ms int64) {
				b = c.append(b[:0], ms)
				want := time.UnixMilli(ms).In(loc).Format("2006-01-02T15:04:05-07:00")
				if string(b) != want {
					t.Fatalf("%d: %s, want %s", ms, b, want)
				}
			}
			// Every 7 minutes through 2025 (both DST changes), then jumps
			// back and forth, then before 1970.
			for ms := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC).UnixMilli(); ms < time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC).UnixMilli(); ms += 7*60_000 + 13 {
				check(ms)
			}
			for _, ms := range []int64{0, -1, 1_000_000_000_000, -86_400_001, 1_743_296_399_999, 1_743_296_400_000, 1_761_440_399_999, 1_761_440_400_000, -2_000_000_000_000} {
				check(ms)
			}
		})
	}
	t.Run("the hour that repeats in autumn shows both offsets", func(t *testing.T) {
		c := newClock(oslo)
		first := time.Date(2025, 10, 26, 0, 30, 0, 0, time.UTC).UnixMilli() // 02:30+02:00
		got := string(c.append(nil, first)) + " " + string(c.append(nil, first+3600_000))
		if got != "2025-10-26T02:30:00+02:00 2025-10-26T02:30:00+01:00" {
			t.Errorf("got %s", got)
		}
	})
}

func TestParseDelimiter(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want byte
		ok   bool
	}{
		{",", ',', true}, {";", ';', true}, {"|", '|', true}, {"tab", '\t', true}, {`\t`, '\t', true}, {"\t", '\t', true},
		{`"`, 0, false}, {"\n", 0, false}, {"\r", 0, false}, {";;", 0, false}, {"", 0, false}, {"§", 0, false},
	} {
		got, err := ParseDelimiter(tc.in)
		if (err == nil) != tc.ok || got != tc.want {
			t.Errorf("ParseDelimiter(%q) = %q, %v; want %q, ok %v", tc.in, got, err, tc.want, tc.ok)
		}
	}
}

func TestWriteErrorsStick(t *testing.T) {
	e := NewExporter(failWriter{}, ExportOptions{}, nil)
	r := testRow("a", time.Now(), strings.Repeat("x", flushAt))
	if err := e.Write(&r); err == nil {
		t.Fatal("a failed write must be reported")
	}
	if err := e.Flush(); err == nil {
		t.Fatal("and keep being reported")
	}
}

type failWriter struct{}

func (failWriter) Write([]byte) (int, error) { return 0, io.ErrShortWrite }

// benchBatch is a batch of varied rows like a real export's.
func benchBatch() *store.ExportBatch {
	b := &store.ExportBatch{}
	start := time.Date(2025, 3, 10, 7, 0, 0, 0, oslo)
	notes := []string{"", "", "kunden ringte om faktura", "levering forsinket; ny dato", `"sitat" fra kunden`, "ringer igjen 🙂"}
	for i := range 512 {
		r := testRow(fmt.Sprintf("0195a8f0-1736-7243-a13c-%012d", i), start.Add(time.Duration(i)*47*time.Second), notes[i%len(notes)])
		r.CustomerRef = []byte(fmt.Sprintf("%064x", i*7919%1000))
		r.TaxonomyVersion = []byte("65524e9b5e4c94e4")
		if i%3 == 0 {
			r.Reasons = []byte("delivery_late")
		}
		b.Rows = append(b.Rows, r)
	}
	return b
}

// BenchmarkExporter measures the writer alone, one 512-row batch per op;
// it must not allocate.
func BenchmarkExporter(b *testing.B) {
	for _, tc := range []struct {
		name string
		opt  ExportOptions
	}{
		{"csv", ExportOptions{Location: oslo}},
		{"excel", ExportOptions{Location: oslo}.Excel()},
		{"jsonl", ExportOptions{Location: oslo, Format: FormatJSONL}},
		{"reason-shape", ExportOptions{Location: oslo, Shape: ShapeReason}},
	} {
		b.Run(tc.name, func(b *testing.B) {
			batch := benchBatch()
			e := NewExporter(io.Discard, tc.opt, NewLabels("nb", nil, nil))
			b.ReportAllocs()
			b.ResetTimer()
			for range b.N {
				if err := e.WriteBatch(batch); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.N*len(batch.Rows))/b.Elapsed().Seconds(), "rows/s")
		})
	}
}

// FuzzExportRoundTrip checks that any note and agent come back from
// encoding/csv and encoding/json as written (the formula guard off), and
// that a guarded cell never starts with a formula character.
func FuzzExportRoundTrip(f *testing.F) {
	for _, n := range awkwardNotes {
		f.Add(n, "kari")
	}
	f.Add("=cmd|' /C calc'!A0", "@x")
	f.Add("a\rb", "\t")
	f.Fuzz(func(t *testing.T, note, agent string) {
		r := testRow("id", time.Date(2025, 3, 10, 9, 0, 0, 0, oslo), note)
		r.Agent = []byte(agent)
		for _, opt := range []ExportOptions{{Raw: true}, ExportOptions{Raw: true}.Excel(), {}} {
			delim := ','
			if opt.Delimiter != 0 {
				delim = rune(opt.Delimiter)
			}
			rec := readCSV(t, export(t, opt, r), delim, ShapeContact)[0]
			for col, in := range map[string]string{"note": note, "agent": agent} {
				want := strings.ReplaceAll(in, "\r\n", "\n") // encoding/csv's reading of CRLF
				guarded := !opt.Raw && in != "" && formulaStart[in[0]] && !plainNumber([]byte(in))
				if guarded {
					want = "'" + want
				}
				if got := rec[col]; got != want {
					t.Errorf("%s %q came back as %q, want %q", col, in, got, want)
				}
			}
		}
		line := export(t, ExportOptions{Format: FormatJSONL}, r)
		var v struct{ Note, Agent string }
		if err := json.Unmarshal(line, &v); err != nil {
			t.Fatalf("not JSON: %v: %s", err, line)
		}
		// Each invalid byte becomes U+FFFD, as encoding/json does.
		if v.Note != string([]rune(note)) || v.Agent != string([]rune(agent)) {
			t.Errorf("JSON note %q agent %q came back as %q %q", note, agent, v.Note, v.Agent)
		}
	})
}

func TestWordAtATimeScansAgreeWithBytewise(t *testing.T) {
	e := NewExporter(io.Discard, ExportOptions{Delimiter: ';'}, nil)
	for c := range 256 {
		for pos := range 8 {
			w := []byte("aaaaaaaaa") // 9 bytes: one word and a tail
			w[pos] = byte(c)
			quote := c == ';' || c == '"' || c == '\r' || c == '\n'
			if got := e.needsQuotes(w); got != quote {
				t.Errorf("needsQuotes with %#x at %d = %v, want %v", c, pos, got, quote)
			}
		}
	}
}
