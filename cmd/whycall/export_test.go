package main

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"whycall/report"
	"whycall/store"
	"whycall/taxonomy"
)

// exportContact is a finished contact at a local Oslo time.
func exportContact(id string, start time.Time) store.Contact {
	return store.Contact{
		ID: id, Agent: "kari", Team: "oslo", Site: "hq", Channel: store.ChannelPhone,
		StartedAt: start, EndedAt: start.Add(2 * time.Minute),
		Reasons: []string{"invoice_wrong"}, Outcome: store.OutcomeResolved,
		TaxonomyVersion: "v1", Rev: 1,
	}
}

func osloTime(tb testing.TB, y int, m time.Month, d, hh, mm int) time.Time {
	loc, err := time.LoadLocation("Europe/Oslo")
	if err != nil {
		tb.Fatal(err)
	}
	return time.Date(y, m, d, hh, mm, 0, 0, loc)
}

// runExport runs `whycall export args…` on the database at db and returns
// the exit code, stdout and stderr.
func runExport(t *testing.T, db string, args ...string) (int, string, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	env := fakeEnv(t, map[string]string{"WHYCALL_DB": db})
	code := run(context.Background(), append([]string{"export"}, args...), &stdout, &stderr, env)
	return code, stdout.String(), stderr.String()
}

// csvIDs returns the id column of a CSV export, checking it parses.
func csvIDs(t *testing.T, out string, comma rune) []string {
	t.Helper()
	r := csv.NewReader(strings.NewReader(strings.TrimPrefix(out, "\uFEFF")))
	r.Comma = comma
	recs, err := r.ReadAll()
	if err != nil {
		t.Fatalf("not CSV: %v\n%s", err, out)
	}
	if len(recs) == 0 || recs[0][0] != "id" {
		t.Fatalf("no header: %q", out)
	}
	ids := []string{}
	for _, rec := range recs[1:] {
		ids = append(ids, rec[0])
	}
	return ids
}

func TestExportLeavesOutDraftsAndTombstones(t *testing.T) {
	at := osloTime(t, 2025, 3, 10, 9, 0)
	draft := exportContact("draft", at.Add(time.Minute))
	draft.EndedAt = time.Time{}
	gone := exportContact("gone", at.Add(2*time.Minute))
	gone.Deleted = true
	other := exportContact("bergen", at.Add(3*time.Minute))
	other.Team = "bergen"
	db := writeContactsDB(t, []store.Contact{exportContact("a", at), draft, gone, other, exportContact("b", at.Add(4*time.Minute))}, nil)

	code, out, stderr := runExport(t, db)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if got := csvIDs(t, out, ','); !reflect.DeepEqual(got, []string{"a", "bergen", "b"}) {
		t.Errorf("ids = %q, want a bergen b", got)
	}
	if stderr != "" {
		t.Errorf("nothing but the export when not on a terminal; stderr = %q", stderr)
	}
	code, out, _ = runExport(t, db, "--team", "oslo")
	if got := csvIDs(t, out, ','); code != 0 || !reflect.DeepEqual(got, []string{"a", "b"}) {
		t.Errorf("--team oslo: exit %d, ids = %q, want a b", code, got)
	}
}

func TestExportDaysAreLocalAndDSTCorrect(t *testing.T) {
	var cs []store.Contact
	add := func(id string, at time.Time) { cs = append(cs, exportContact(id, at)) }
	// Spring: 2025-03-30 has 23 hours in Oslo (02:00 → 03:00).
	add("sat-2359", osloTime(t, 2025, 3, 29, 23, 59))
	add("sun-0000", osloTime(t, 2025, 3, 30, 0, 0))
	add("sun-0159", osloTime(t, 2025, 3, 30, 1, 59))
	add("sun-0300", osloTime(t, 2025, 3, 30, 3, 0))
	add("sun-2359", osloTime(t, 2025, 3, 30, 23, 59))
	add("mon-0000", osloTime(t, 2025, 3, 31, 0, 0))
	// Autumn: 2025-10-26 has 25 hours (03:00 → 02:00).
	add("oct25-2359", osloTime(t, 2025, 10, 25, 23, 59))
	add("oct26-0000", osloTime(t, 2025, 10, 26, 0, 0))
	add("oct26-0230a", time.Date(2025, 10, 26, 0, 30, 0, 0, time.UTC))
	add("oct26-0230b", time.Date(2025, 10, 26, 1, 30, 0, 0, time.UTC))
	add("oct26-2359", osloTime(t, 2025, 10, 26, 23, 59))
	add("oct27-0000", osloTime(t, 2025, 10, 27, 0, 0))
	db := writeContactsDB(t, cs, nil)

	for _, tc := range []struct {
		from, to string
		want     []string
	}{
		{"2025-03-30", "2025-03-30", []string{"sun-0000", "sun-0159", "sun-0300", "sun-2359"}},
		{"2025-03-29", "2025-03-30", []string{"sat-2359", "sun-0000", "sun-0159", "sun-0300", "sun-2359"}},
		{"2025-10-26", "2025-10-26", []string{"oct26-0000", "oct26-0230a", "oct26-0230b", "oct26-2359"}},
		{"2025-10-27", "", []string{"oct27-0000"}},
		{"", "2025-03-29", []string{"sat-2359"}},
	} {
		t.Run("--from "+tc.from+" --to "+tc.to+" keeps the contacts of those local days", func(t *testing.T) {
			var args []string
			if tc.from != "" {
				args = append(args, "--from", tc.from)
			}
			if tc.to != "" {
				args = append(args, "--to", tc.to)
			}
			code, out, stderr := runExport(t, db, args...)
			if code != 0 {
				t.Fatalf("exit %d: %s", code, stderr)
			}
			if got := csvIDs(t, out, ','); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("ids = %q\nwant  %q", got, tc.want)
			}
		})
	}
	t.Run("start and end show the local offset of their own moment", func(t *testing.T) {
		_, out, _ := runExport(t, db, "--from", "2025-10-26", "--to", "2025-10-26", "--format", "jsonl")
		for _, want := range []string{`"start":"2025-10-26T02:30:00+02:00"`, `"start":"2025-10-26T02:30:00+01:00"`, `"end":"2025-10-26T02:32:00+01:00"`} {
			if !strings.Contains(out, want) {
				t.Errorf("missing %s in\n%s", want, out)
			}
		}
	})
}

func TestExportUsageErrors(t *testing.T) {
	db := writeContactsDB(t, []store.Contact{exportContact("a", osloTime(t, 2025, 3, 10, 9, 0))}, nil)
	dir := t.TempDir()
	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		{"--from after --to", []string{"--from", "2025-03-02", "--to", "2025-03-01"}, "is after --to"},
		{"a date that is not a date", []string{"--from", "2025-02-30"}, "not a date"},
		{"a date in another format", []string{"--to", "01.03.2025"}, "not a date"},
		{"an unknown format", []string{"--format", "xlsx"}, "unknown format"},
		{"an unknown shape", []string{"--shape", "agent"}, "unknown shape"},
		{"a quote as delimiter", []string{"--delimiter", `"`}, "double quote"},
		{"a newline as delimiter", []string{"--delimiter", "\n"}, "line break"},
		{"a delimiter of two characters", []string{"--delimiter", ";;"}, "single ASCII character"},
		{"--excel with jsonl", []string{"--format", "jsonl", "--excel"}, "apply to CSV"},
		{"an output in a missing folder", []string{"--out", filepath.Join(dir, "no", "such", "x.csv")}, "cannot write there"},
		{"an output that is a folder", []string{"--out", dir}, "is a folder"},
		{"a stray argument", []string{"extra"}, "takes no arguments"},
	} {
		t.Run(tc.name+" is a usage error", func(t *testing.T) {
			code, out, stderr := runExport(t, db, tc.args...)
			if code != 2 {
				t.Errorf("exit %d, want 2; stderr %q", code, stderr)
			}
			if !strings.Contains(stderr, tc.want) {
				t.Errorf("stderr %q does not say %q", stderr, tc.want)
			}
			if out != "" {
				t.Errorf("nothing may be written on a usage error, got %q", out)
			}
		})
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 0 {
		t.Errorf("usage errors left files behind: %v", entries)
	}
}

func TestExportToFile(t *testing.T) {
	at := osloTime(t, 2025, 3, 10, 9, 0)
	c := exportContact("a", at)
	c.Note = "=HYPERLINK(\"http://evil\"); æøå 🙂"
	db := writeContactsDB(t, []store.Contact{c}, nil)
	dir := t.TempDir()
	out := filepath.Join(dir, "kontakter.csv")
	if err := os.WriteFile(out, []byte("old content"), 0o600); err != nil {
		t.Fatal(err)
	}

	code, stdout, stderr := runExport(t, db, "--excel", "--out", out)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if stdout != "" || stderr != "" {
		t.Errorf("with --out nothing goes to stdout or stderr: %q %q", stdout, stderr)
	}
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(data, []byte("\xEF\xBB\xBFid;start;")) || !bytes.HasSuffix(data, []byte("\r\n")) {
		t.Errorf("not an Excel CSV: %q", data)
	}
	if !bytes.Contains(data, []byte(`;"'=HYPERLINK(""http://evil""); æøå 🙂";`)) {
		t.Errorf("the formula note is not neutralised and quoted: %q", data)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("temporary files left: %v", entries)
	}

	t.Run("--raw leaves formulas as stored", func(t *testing.T) {
		code, stdout, _ := runExport(t, db, "--raw")
		if code != 0 || !strings.Contains(stdout, `"=HYPERLINK(""http://evil""); æøå 🙂"`) {
			t.Errorf("exit %d: %s", code, stdout)
		}
	})
	t.Run("an interrupted export leaves no file", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		var stdout, stderr bytes.Buffer
		target := filepath.Join(dir, "interrupted.csv")
		code := run(ctx, []string{"export", "--out", target}, &stdout, &stderr, fakeEnv(t, map[string]string{"WHYCALL_DB": db}))
		if code != 1 || !strings.Contains(stderr.String(), "export interrupted; "+target+" was not written") {
			t.Errorf("exit %d: %s", code, stderr.String())
		}
		if entries, _ := os.ReadDir(dir); len(entries) != 1 {
			t.Errorf("an interrupted export left files: %v", entries)
		}
	})
	t.Run("a failed export leaves no file", func(t *testing.T) {
		target := filepath.Join(dir, "failed.csv")
		code, _, stderr := runExport(t, filepath.Join(dir, "missing.db"), "--out", target)
		if code != 1 || !strings.Contains(stderr, "no such file") {
			t.Errorf("exit %d: %s", code, stderr)
		}
		entries, _ := os.ReadDir(dir)
		if len(entries) != 1 {
			t.Errorf("a failed export left files: %v", entries)
		}
	})
}

func TestExportJSONLReasonShape(t *testing.T) {
	c := exportContact("a", osloTime(t, 2025, 3, 10, 9, 0))
	c.Reasons = []string{"invoice_wrong", "moving"}
	c.CustomerRef = "h1"
	c2 := exportContact("b", osloTime(t, 2025, 3, 12, 9, 0))
	c2.CustomerRef = "h1"
	db := writeContactsDB(t, []store.Contact{c, c2}, nil)
	code, out, stderr := runExport(t, db, "--format", "jsonl", "--shape", "reason")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var got []string
	for _, l := range strings.Split(strings.TrimSpace(out), "\n") {
		var v struct {
			ID       string `json:"id"`
			Position int    `json:"position"`
			Reason   string `json:"reason"`
			Repeat   bool   `json:"repeat"`
		}
		if err := json.Unmarshal([]byte(l), &v); err != nil {
			t.Fatalf("%v: %s", err, l)
		}
		got = append(got, v.ID+" "+v.Reason+" "+map[bool]string{true: "repeat", false: "first"}[v.Repeat])
	}
	want := []string{"a invoice_wrong first", "a moving first", "b invoice_wrong repeat"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
	t.Run("a repeat counts contacts before --from", func(t *testing.T) {
		_, out, _ := runExport(t, db, "--from", "2025-03-12")
		if !strings.Contains(out, ",h1,1,") {
			t.Errorf("b is a repeat of a, two days earlier:\n%s", out)
		}
	})
}

// TestExcelExportOpensInLibreOffice opens an --excel export in LibreOffice
// (headless) as Nordic Excel would read it (';', UTF-8), saves it as xlsx and
// reads that back: every column in place, letters intact, no formula run.
// It needs soffice and takes a few seconds, so it runs only when
// WHYCALL_TEST_SOFFICE=1.
func TestExcelExportOpensInLibreOffice(t *testing.T) {
	soffice, err := exec.LookPath("soffice")
	if os.Getenv("WHYCALL_TEST_SOFFICE") != "1" || err != nil {
		t.Skip("set WHYCALL_TEST_SOFFICE=1 with LibreOffice installed to run")
	}
	notes := []string{
		`Kunden sa "nei"; ring tilbake, æøå ÆØÅ äö 🙂`,
		"=1+2", "@SUM(A1:A3)", `=HYPERLINK("http://x";"klikk")`, "-5", "linje 1\nlinje 2",
	}
	var cs []store.Contact
	for i, n := range notes {
		c := exportContact(fmt.Sprint("c", i), osloTime(t, 2025, 3, 10, 9, i))
		c.Note, c.Team = n, "Kundtjänst Göteborg"
		cs = append(cs, c)
	}
	db := writeContactsDB(t, cs, nil)
	dir := t.TempDir()
	csvPath := filepath.Join(dir, "export.csv")
	if code, _, stderr := runExport(t, db, "--excel", "--out", csvPath); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	office := func(args ...string) {
		t.Helper()
		cmd := exec.Command(soffice, append([]string{"-env:UserInstallation=file://" + filepath.Join(dir, "profile"), "--headless"}, args...)...)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("soffice %v: %v\n%s", args, err, out)
		}
	}
	// 59 = ';', 34 = '"', 76 = UTF-8, 1 = from the first line.
	office("--infilter=CSV:59,34,76,1", "--convert-to", "xlsx", "--outdir", dir, csvPath)
	xlsx := filepath.Join(dir, "export.xlsx")
	sheet := readZipFile(t, xlsx, "xl/worksheets/sheet1.xml")
	if strings.Contains(sheet, "<f>") {
		t.Errorf("LibreOffice found a formula in the export")
	}
	back := filepath.Join(dir, "back")
	office("--convert-to", "csv:Text - txt - csv (StarCalc):44,34,76,1", "--outdir", back, xlsx)
	data, err := os.ReadFile(filepath.Join(back, "export.csv"))
	if err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(bytes.NewReader(data)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(recs[0], report.Columns(report.ShapeContact)) {
		t.Errorf("columns = %q", recs[0])
	}
	want := []string{notes[0], "'=1+2", "'@SUM(A1:A3)", `'=HYPERLINK("http://x";"klikk")`, "-5", "linje 1\nlinje 2"}
	for i, rec := range recs[1:] {
		if len(rec) != len(recs[0]) {
			t.Fatalf("row %d has %d cells, want %d", i, len(rec), len(recs[0]))
		}
		if rec[5] != "Kundtjänst Göteborg" || rec[17] != want[i] {
			t.Errorf("row %d: team %q note %q, want note %q", i, rec[5], rec[17], want[i])
		}
	}
}

// readZipFile returns one file of a zip archive (an xlsx) as text.
func readZipFile(t *testing.T, path, name string) string {
	t.Helper()
	z, err := zip.OpenReader(path)
	if err != nil {
		t.Fatal(err)
	}
	defer z.Close()
	f, err := z.Open(name)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	b, err := io.ReadAll(f)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestExportRepeatFlagMatchesItsDefinition checks the streaming repeat flag
// against the definition, worked out the slow way: another finished, not
// deleted contact with the same reference, of any team, that started in the
// 7 days before.
func TestExportRepeatFlagMatchesItsDefinition(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 7))
	base := osloTime(t, 2025, 1, 1, 8, 0)
	var cs []store.Contact
	for i := range 2500 {
		c := exportContact(fmt.Sprintf("c%04d", i), base.Add(time.Duration(r.Int64N(int64(60*24*time.Hour)))))
		if i%50 == 1 { // the same millisecond as another contact
			c.StartedAt, c.EndedAt = cs[i-1].StartedAt, cs[i-1].EndedAt
		}
		c.CustomerRef = fmt.Sprint("ref", r.IntN(300))
		c.Team = []string{"oslo", "bergen"}[r.IntN(2)]
		switch r.IntN(40) {
		case 0:
			c.CustomerRef = ""
		case 1:
			c.Deleted = true
		case 2:
			c.EndedAt = time.Time{}
		}
		cs = append(cs, c)
	}
	db := writeContactsDB(t, cs, nil)
	counts := func(c *store.Contact) bool { return !c.Deleted && !c.EndedAt.IsZero() }
	want := map[string]bool{}
	for i := range cs {
		c := &cs[i]
		for j := range cs {
			p := &cs[j]
			if c.CustomerRef != "" && counts(p) && p.CustomerRef == c.CustomerRef &&
				p.StartedAt.Before(c.StartedAt) && !p.StartedAt.Before(c.StartedAt.Add(-7*24*time.Hour)) {
				want[c.ID] = true
			}
		}
	}
	for _, args := range [][]string{{}, {"--from", "2025-01-20"}, {"--from", "2025-02-01", "--to", "2025-02-10", "--team", "bergen"}} {
		t.Run(fmt.Sprintf("with %q", args), func(t *testing.T) {
			code, out, stderr := runExport(t, db, append(args, "--format", "jsonl")...)
			if code != 0 {
				t.Fatalf("exit %d: %s", code, stderr)
			}
			n, repeats := 0, 0
			for _, l := range strings.Split(strings.TrimSpace(out), "\n") {
				var v struct {
					ID     string `json:"id"`
					Repeat bool   `json:"repeat"`
				}
				if err := json.Unmarshal([]byte(l), &v); err != nil {
					t.Fatal(err)
				}
				n++
				if v.Repeat {
					repeats++
				}
				if v.Repeat != want[v.ID] {
					t.Errorf("%s: repeat %v, want %v", v.ID, v.Repeat, want[v.ID])
				}
			}
			if n < 100 || repeats == 0 || repeats == n {
				t.Errorf("a weak test: %d rows, %d repeats", n, repeats)
			}
		})
	}
}

func TestExportLabelsInTheConfiguredLanguage(t *testing.T) {
	def := taxonomy.Default()
	c := exportContact("a", osloTime(t, 2025, 3, 10, 9, 0))
	c.TaxonomyVersion = def.Version
	c.Reasons = []string{"invoice_wrong", "moving"}
	db := writeContactsDB(t, []store.Contact{c}, map[string][]byte{def.Version: def.Source})
	for _, tc := range []struct {
		lang, label, category, owner, kind string
	}{
		{"nb", "Feil på faktura", "Pris og faktura", "Fakturering", "Irritasjon"},
		{"sv", "Fel på faktura", "Pris och faktura", "Fakturering", "Irritation"},
		{"en", "Wrong invoice", "Price and billing", "Billing", "Irritant"},
	} {
		t.Run("--lang "+tc.lang, func(t *testing.T) {
			code, out, stderr := runExport(t, db, "--lang", tc.lang, "--shape", "reason")
			if code != 0 {
				t.Fatalf("exit %d: %s", code, stderr)
			}
			recs, err := csv.NewReader(strings.NewReader(out)).ReadAll()
			if err != nil || len(recs) != 3 {
				t.Fatalf("%v: %q", err, out)
			}
			got := strings.Join(recs[1][10:14], "|")
			if want := strings.Join([]string{tc.label, tc.category, tc.owner, tc.kind}, "|"); got != want {
				t.Errorf("got %s, want %s", got, want)
			}
		})
	}
}
