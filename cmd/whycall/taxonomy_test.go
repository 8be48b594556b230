package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"whycall/taxonomy"
)

// runCLI runs whycall with args in a clean environment and returns the exit
// code and what it printed.
func runCLI(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	env := fakeEnv(t, map[string]string{})
	var out, errb bytes.Buffer
	code = run(context.Background(), args, &out, &errb, env)
	return code, out.String(), errb.String()
}

func TestTaxonomyCheck(t *testing.T) {
	t.Run("the built-in default passes with a short OK line", func(t *testing.T) {
		code, out, errOut := runCLI(t, "taxonomy", "check")
		if code != 0 || !strings.Contains(out, "OK") || strings.Count(out, "\n") != 1 {
			t.Fatalf("code=%d out=%q err=%q", code, out, errOut)
		}
	})
	t.Run("a duplicate sibling hotkey and an unknown owner are both reported with lines", func(t *testing.T) {
		src := string(taxonomy.DefaultYAML())
		src = strings.Replace(src, `hotkey: "i"   # info`, `hotkey: "r"   # info`, 1)
		src = strings.Replace(src, `owner: "logistics"`, `owner: "legal"`, 1)
		path := filepath.Join(t.TempDir(), "bad.yaml")
		if err := os.WriteFile(path, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
		code, _, errOut := runCLI(t, "taxonomy", "check", path)
		if code != 1 {
			t.Errorf("exit code %d, want 1", code)
		}
		for _, want := range []string{"bad.yaml:102: reason 'product_info_unclear': hotkey 'r' already used", "bad.yaml:115: reason 'availability': owner 'legal'"} {
			if !strings.Contains(errOut, want) {
				t.Errorf("stderr lacks %q:\n%s", want, errOut)
			}
		}
	})
	t.Run("a missing file fails with its name", func(t *testing.T) {
		code, _, errOut := runCLI(t, "taxonomy", "check", "/nonexistent.yaml")
		if code != 1 || !strings.Contains(errOut, "/nonexistent.yaml") {
			t.Errorf("code=%d err=%q", code, errOut)
		}
	})
	t.Run("two files are a usage error", func(t *testing.T) {
		if code, _, _ := runCLI(t, "taxonomy", "check", "a", "b"); code != 2 {
			t.Errorf("exit code %d, want 2", code)
		}
	})
}

func TestTaxonomyShowListsEveryReasonWithHotkeyAndOwner(t *testing.T) {
	code, out, errOut := runCLI(t, "taxonomy", "show", "--lang", "en")
	if code != 0 {
		t.Fatalf("code=%d err=%q", code, errOut)
	}
	for _, want := range []string{"3  Delivery", "Where is my order?", "Logistics", "Irritant", "Value"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q", want)
		}
	}
	for _, r := range taxonomy.Default().Reasons() {
		if !strings.Contains(out, r.Label("en")) {
			t.Errorf("output lacks reason %s", r.ID)
		}
	}
}

func TestUsageErrorsExitTwo(t *testing.T) {
	for _, args := range [][]string{{"bogus"}, {"--no-such-flag"}, {"--lang", "de", "version"}, {"version", "extra"}} {
		if code, _, _ := runCLI(t, args...); code != 2 {
			t.Errorf("whycall %v: exit code %d, want 2", args, code)
		}
	}
	if code, out, _ := runCLI(t, "version"); code != 0 || !strings.Contains(out, "whycall") {
		t.Errorf("version: code %d out %q", code, out)
	}
}
