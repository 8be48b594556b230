package main

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// hyperfineMedians prints, for each command in a hyperfine --export-json
// file: median_s mean_s min_s max_s user_s system_s (user and system are
// means, as hyperfine reports them).
func hyperfineMedians(args []string) error {
	if len(args) != 1 {
		return errors.New("want FILE.json")
	}
	data, err := os.ReadFile(args[0])
	if err != nil {
		return err
	}
	var doc struct {
		Results []struct {
			Command                string
			Median, Mean, Min, Max float64
			User, System           float64
			Times                  []float64
			ExitCodes              []int `json:"exit_codes"`
		}
	}
	if err := json.Unmarshal(data, &doc); err != nil {
		return fmt.Errorf("%s: %w", args[0], err)
	}
	for _, r := range doc.Results {
		fmt.Printf("%.6f\t%.6f\t%.6f\t%.6f\t%.6f\t%.6f\n", r.Median, r.Mean, r.Min, r.Max, r.User, r.System)
	}
	return nil
}

// benchLine is one result line of go test -bench.
var benchLine = regexp.MustCompile(`^(Benchmark\S+?)(?:-\d+)?\s+\d+\s+(.*)$`)

// goBench prints the median of one metric of one benchmark over the runs
// (-count) in a go test -bench output file: goBench FILE NAME METRIC, e.g.
// out.txt BenchmarkTagKey ns/op. It fails when the benchmark or metric is
// not in the file.
func goBench(args []string) error {
	if len(args) != 3 {
		return errors.New("want FILE BENCHMARK METRIC")
	}
	f, err := os.Open(args[0])
	if err != nil {
		return err
	}
	defer f.Close()
	name, metric := args[1], args[2]
	var vals []float64
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		m := benchLine.FindStringSubmatch(sc.Text())
		if m == nil || m[1] != name {
			continue
		}
		fields := strings.Fields(m[2])
		for i := 0; i+1 < len(fields); i += 2 {
			if fields[i+1] == metric {
				v, err := strconv.ParseFloat(fields[i], 64)
				if err != nil {
					return fmt.Errorf("%s %s: %w", name, metric, err)
				}
				vals = append(vals, v)
			}
		}
	}
	if err := sc.Err(); err != nil {
		return err
	}
	if len(vals) == 0 {
		return fmt.Errorf("no %s %s in %s", name, metric, args[0])
	}
	slices.Sort(vals)
	fmt.Printf("%g\t%d\n", medianSorted(vals), len(vals))
	return nil
}

// table prints a tab-separated file (first line the header) as a Markdown
// table with aligned columns.
func table(args []string) error {
	if len(args) != 1 {
		return errors.New("want RESULTS.tsv")
	}
	data, err := os.ReadFile(args[0])
	if err != nil {
		return err
	}
	var rows [][]string
	for _, line := range strings.Split(strings.TrimRight(string(data), "\n"), "\n") {
		rows = append(rows, strings.Split(line, "\t"))
	}
	if len(rows) == 0 {
		return errors.New("no rows")
	}
	width := make([]int, len(rows[0]))
	for _, r := range rows {
		for i, c := range r {
			if i < len(width) {
				width[i] = max(width[i], utf8.RuneCountInString(c))
			}
		}
	}
	w := bufio.NewWriter(os.Stdout)
	defer w.Flush()
	line := func(cells []string) {
		w.WriteString("|")
		for i := range width {
			c := ""
			if i < len(cells) {
				c = cells[i]
			}
			fmt.Fprintf(w, " %s%s |", c, strings.Repeat(" ", width[i]-utf8.RuneCountInString(c)))
		}
		w.WriteString("\n")
	}
	line(rows[0])
	sep := make([]string, len(width))
	for i := range sep {
		sep[i] = strings.Repeat("-", width[i])
	}
	line(sep)
	for _, r := range rows[1:] {
		line(r)
	}
	return nil
}
