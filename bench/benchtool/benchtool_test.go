package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestMedianAndPercentile(t *testing.T) {
	for _, tc := range []struct {
		name string
		in   []float64
		med  float64
	}{
		{"an odd count takes the middle value", []float64{1, 2, 9}, 2},
		{"an even count takes the mean of the middle two", []float64{1, 2, 4, 9}, 3},
		{"one value is its own median", []float64{5}, 5},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := medianSorted(tc.in); got != tc.med {
				t.Errorf("median %v = %v, want %v", tc.in, got, tc.med)
			}
		})
	}
	hundred := make([]float64, 1000)
	for i := range hundred {
		hundred[i] = float64(i + 1)
	}
	if p := percentile(hundred, 0.99); p != 990 {
		t.Errorf("p99 of 1..1000 = %v, want 990", p)
	}
	if p := percentile(hundred, 0.999); p != 999 {
		t.Errorf("p99.9 of 1..1000 = %v, want 999", p)
	}
}

// capture runs fn with stdout going to a file and returns what it wrote.
func capture(t *testing.T, fn func() error) string {
	t.Helper()
	f, err := os.Create(filepath.Join(t.TempDir(), "out"))
	if err != nil {
		t.Fatal(err)
	}
	old := os.Stdout
	os.Stdout = f
	err = fn()
	os.Stdout = old
	if err != nil {
		t.Fatal(err)
	}
	out, _ := os.ReadFile(f.Name())
	return string(out)
}

func TestGoBenchTakesTheMedianOfTheRuns(t *testing.T) {
	file := filepath.Join(t.TempDir(), "bench.txt")
	out := `goos: linux
BenchmarkView/default/cold-2         	     300	     62846 ns/op	    192 allocs/op
BenchmarkView/default/cold-2         	     300	     60000 ns/op	    190 allocs/op
BenchmarkView/default/cold-2         	     300	     70000 ns/op	    200 allocs/op
BenchmarkView/generated_2000/cold-2  	     300	     99999 ns/op	    232 allocs/op
BenchmarkProgramKey/default-2        	     150	   8326865 ns/op	    552907 cpu-ns/op	    178127 idle-cpu-ns/op
PASS
`
	if err := os.WriteFile(file, []byte(out), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ name, metric, want string }{
		{"BenchmarkView/default/cold", "ns/op", "62846\t3\n"},
		{"BenchmarkView/default/cold", "allocs/op", "192\t3\n"},
		{"BenchmarkView/generated_2000/cold", "ns/op", "99999\t1\n"},
		{"BenchmarkProgramKey/default", "idle-cpu-ns/op", "178127\t1\n"},
	} {
		t.Run(tc.name+" "+tc.metric, func(t *testing.T) {
			if got := capture(t, func() error { return goBench([]string{file, tc.name, tc.metric}) }); got != tc.want {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
	if err := goBench([]string{file, "BenchmarkMissing", "ns/op"}); err == nil {
		t.Error("a benchmark not in the file gave no error")
	}
}

func TestTableAlignsColumns(t *testing.T) {
	file := filepath.Join(t.TempDir(), "results.tsv")
	if err := os.WriteFile(file, []byte("what\twhycall\nstart-up\t31.2 ms\nµ\t1\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	got := capture(t, func() error { return table([]string{file}) })
	want := "| what     | whycall |\n| -------- | ------- |\n| start-up | 31.2 ms |\n| µ        | 1       |\n"
	if got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
}

func TestExportSQLHasNoPlaceholders(t *testing.T) {
	got := capture(t, func() error { return exportSQL(nil) })
	if strings.Contains(got, "?") || !strings.HasPrefix(got, "SELECT ") || !strings.HasSuffix(got, ";\n") {
		t.Errorf("exportsql printed %q", got)
	}
}

func TestFirstFrame(t *testing.T) {
	for _, prog := range []string{"bash", "stty"} {
		if _, err := exec.LookPath(prog); err != nil {
			t.Skipf("needs %s", prog)
		}
	}
	t.Run("times a program until its frame shows, answering its queries", func(t *testing.T) {
		// The program asks for the background colour and draws only once
		// the answer came, as some TUIs do; the frame is styled midword.
		script := `stty raw -echo; printf '\033]11;?\007'; IFS= read -r -d $'\a' reply
			case $reply in *rgb:*) printf '\033[1mCATE\033[0mGORIES' ;; *) printf 'no reply' ;; esac; sleep 5`
		took, _, err := oneFrame([]string{"bash", "-c", script}, "CATEGORIES", 3*time.Second)
		if err != nil {
			t.Fatal(err)
		}
		if took <= 0 || took > 3*time.Second {
			t.Errorf("took %v", took)
		}
	})
	t.Run("says so when the program ends without its frame", func(t *testing.T) {
		_, _, err := oneFrame([]string{"sh", "-c", "echo not a tui"}, "CATEGORIES", 3*time.Second)
		if err == nil || !strings.Contains(err.Error(), "not a tui") {
			t.Errorf("got %v, want an error quoting the output", err)
		}
	})
}
