package batch

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"whycall/store"
	"whycall/store/storetest"
)

func TestOpenTargetTellsFoldersCollectorsAndMistakesApart(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "whycall.jsonl")
	if err := os.WriteFile(file, []byte("{}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		target, want, err string
	}{
		{dir, "folder " + dir, ""},
		{"file://" + dir, "folder " + dir, ""},
		{"https://collector.example:8470", "collector https://collector.example:8470/v1/batches", ""},
		{"http://10.0.0.5:8470/whycall/", "collector http://10.0.0.5:8470/whycall/v1/batches", ""},
		{"http://10.0.0.5:8470/v1/batches", "collector http://10.0.0.5:8470/v1/batches", ""},
		{file, "", "is a file, but must be a folder: desks write each batch as a new file in a shared folder, as many desks appending to one file would corrupt it"},
		{filepath.Join(dir, "missing"), "folder " + filepath.Join(dir, "missing"), ""},
		{"file://server/share", "", "a file URL names a local path"},
		{"ftp://server/x", "", "use a folder"},
		{"https://user:pw@host", "", "without user"},
		{"", "", "no sync target"},
	}
	for _, tc := range cases {
		got, err := OpenTarget(tc.target, "", CollectorOptions{})
		switch {
		case tc.err != "" && (err == nil || !strings.Contains(err.Error(), tc.err)):
			t.Errorf("%q: got %v, want an error saying %q", tc.target, err, tc.err)
		case tc.err != "" && !errors.Is(err, ErrBadTarget):
			t.Errorf("%q: %v is not ErrBadTarget", tc.target, err)
			t.Errorf("%q: got %v, want an error saying %q", tc.target, err, tc.err)
		case tc.err == "" && err != nil:
			t.Errorf("%q: %v", tc.target, err)
		case tc.err == "" && got.String() != tc.want:
			t.Errorf("%q: got %s, want %s", tc.target, got, tc.want)
		}
	}
}

func TestAFolderThatIsNotThereFailsThePushAndMarksNothing(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "share")
	f, err := NewFolder(missing)
	if err != nil {
		t.Fatal(err)
	}
	d := newDesk(t, "kari")
	s := d.syncer(t, f, 0)
	for _, n := range []int{0, 2} {
		d.capture(t, n)
		_, err := s.Push(ctx)
		if err == nil || !strings.Contains(err.Error(), "does not exist: create it, or mount the share") {
			t.Fatalf("push of %d contacts to a missing folder: %v", n, err)
		}
	}
	if n, _ := s.Pending(ctx); n != 2 {
		t.Fatalf("%d pending, want 2", n)
	}
	if err := os.Mkdir(missing, 0o755); err != nil {
		t.Fatal(err)
	}
	if rep := mustPush(t, s); rep.Contacts != 2 {
		t.Fatalf("push once the folder is there: %+v", rep)
	}
}

func TestTheFolderTargetOnlyAddsFilesOfItsOwn(t *testing.T) {
	dir := t.TempDir()
	others := map[string]string{
		"whycall-sven-019cae1f-7a40-7c3e-9d51-4be0f27b8a11.json":      "another desk's batch",
		".whycall-sven-019cae1f-7a40-7c3e-9d51-4be0f27b8a12.json.tmp": "another desk, mid-write",
		"README.txt": "hello",
	}
	for n, body := range others {
		if err := os.WriteFile(filepath.Join(dir, n), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	f, err := NewFolder(dir)
	if err != nil {
		t.Fatal(err)
	}
	d := newDesk(t, "kari")
	d.capture(t, 5)
	mustPush(t, d.syncer(t, f, 2))
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	mine := 0
	for _, e := range entries {
		if body, ok := others[e.Name()]; ok {
			got, _ := os.ReadFile(filepath.Join(dir, e.Name()))
			if string(got) != body {
				t.Errorf("%s was changed", e.Name())
			}
			continue
		}
		if !strings.HasPrefix(e.Name(), "whycall-kari-") {
			t.Errorf("unexpected file %s (a temporary file left behind?)", e.Name())
		}
		mine++
	}
	if mine != 3 {
		t.Fatalf("%d batch files, want 3", mine)
	}
}

func TestIngestSkipsCorruptAndForeignFilesAndGoesOn(t *testing.T) {
	dir := t.TempDir()
	good := testBatch(t, 1, 0, 6)
	write := func(name string, data []byte) {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write(FileName(good.Agent, good.ID), Encode(good))
	doc := Encode(testBatch(t, 2, 0, 4))
	write("whycall-trunc-019cae1f-7a40-7c3e-9d51-4be0f27b8a11.json", doc[:len(doc)/2])
	write("whycall-newer-019cae1f-7a40-7c3e-9d51-4be0f27b8a12.json", []byte(strings.Replace(string(doc), Format, "whycall.batch/v2", 1)))
	write("notes.txt", []byte("not a batch"))
	write(".whycall-kari-x.json.tmp", doc[:10])
	if err := os.Mkdir(filepath.Join(dir, "old"), 0o755); err != nil {
		t.Fatal(err)
	}
	later := testBatch(t, 3, 0, 2)
	write(FileName(later.Agent, later.ID), Encode(later))

	s := storetest.MustOpen(t, store.Options{Collector: true})
	in, err := s.NewIngester()
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	now := func() time.Time { return testNow }
	rep, err := IngestDir(ctx, in, dir, now)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Ingested != 2 || rep.Accepted != 8 || len(rep.Skipped) != 3 {
		t.Fatalf("report %+v", rep)
	}
	why := map[string]string{}
	for _, sk := range rep.Skipped {
		why[sk.File] = sk.Why
	}
	for file, want := range map[string]string{
		"notes.txt": "not a whycall batch file",
		"whycall-trunc-019cae1f-7a40-7c3e-9d51-4be0f27b8a11.json": "malformed JSON",
		"whycall-newer-019cae1f-7a40-7c3e-9d51-4be0f27b8a12.json": "unknown batch format",
	} {
		if !strings.Contains(why[file], want) {
			t.Errorf("%s skipped because %q, want %q", file, why[file], want)
		}
	}
	if !strings.Contains(rep.String(), "3 file(s) skipped") {
		t.Errorf("summary %q", rep)
	}
	again, err := IngestDir(ctx, in, dir, now)
	if err != nil || again.Ingested != 0 || again.Seen != 2 || len(again.Skipped) != 3 {
		t.Fatalf("second run: %+v %v", again, err)
	}
}
