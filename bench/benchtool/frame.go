package main

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"slices"
	"strings"
	"syscall"
	"time"

	"github.com/charmbracelet/x/ansi"
)

// firstFrame starts a terminal program in a fresh 80×24 pseudo-terminal
// several times and measures the time from starting it to the moment its
// output holds the marker text (the first frame), and its peak RSS until
// then. It answers the terminal queries a real terminal would (device
// attributes, cursor position, colours, keyboard and mode reports), so the
// program never waits for a reply that would not come.
//
// Prints: median_ms min_ms max_ms max_rss_kb, then every run's ms.
func firstFrame(args []string) error {
	fs := flag.NewFlagSet("firstframe", flag.ContinueOnError)
	runs := fs.Int("runs", 7, "number of runs")
	marker := fs.String("marker", "", "text the first frame shows (required)")
	timeout := fs.Duration("timeout", 15*time.Second, "give up on a run after this long")
	if err := fs.Parse(args); err != nil {
		return err
	}
	cmdline := fs.Args()
	if len(cmdline) == 0 || *marker == "" {
		return errors.New("want -marker TEXT -- BINARY ARGS...")
	}
	var ms []float64
	var maxRSS int64
	for range *runs {
		took, rss, err := oneFrame(cmdline, *marker, *timeout)
		if err != nil {
			return err
		}
		ms = append(ms, float64(took.Microseconds())/1000)
		maxRSS = max(maxRSS, rss)
	}
	s := slices.Clone(ms)
	slices.Sort(s)
	fmt.Printf("%.1f\t%.1f\t%.1f\t%d", medianSorted(s), s[0], s[len(s)-1], maxRSS)
	for _, m := range ms {
		fmt.Printf("\t%.1f", m)
	}
	fmt.Println()
	return nil
}

// medianSorted is the median of sorted values (the mean of the middle two
// for an even count).
func medianSorted(s []float64) float64 {
	n := len(s)
	if n%2 == 1 {
		return s[n/2]
	}
	return (s[n/2-1] + s[n/2]) / 2
}

// queryReplies are what a terminal answers to the queries a TUI may send on
// start-up: a dark background, no kitty keyboard, modes unknown.
var queryReplies = []struct{ query, reply string }{
	{"\x1b[c", "\x1b[?62;22c"},
	{"\x1b[0c", "\x1b[?62;22c"},
	{"\x1b[6n", "\x1b[1;1R"},
	{"\x1b[?6n", "\x1b[?1;1R"},
	{"\x1b]11;?\x07", "\x1b]11;rgb:1c1c/1c1c/1c1c\x07"},
	{"\x1b]11;?\x1b\\", "\x1b]11;rgb:1c1c/1c1c/1c1c\x1b\\"},
	{"\x1b]10;?\x07", "\x1b]10;rgb:d0d0/d0d0/d0d0\x07"},
	{"\x1b]10;?\x1b\\", "\x1b]10;rgb:d0d0/d0d0/d0d0\x1b\\"},
	{"\x1b[?u", "\x1b[?0u"},
	{"\x1b[?2026$p", "\x1b[?2026;0$y"},
	{"\x1b[?2027$p", "\x1b[?2027;0$y"},
	{"\x1b[?996n", ""},
}

// oneFrame runs the program once until the marker shows, then kills it.
func oneFrame(cmdline []string, marker string, timeout time.Duration) (time.Duration, int64, error) {
	ctl, prog, err := openPTY(80, 24)
	if err != nil {
		return 0, 0, err
	}
	defer ctl.Close()
	cmd := exec.Command(cmdline[0], cmdline[1:]...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = prog, prog, prog
	cmd.Env = os.Environ()
	if os.Getenv("TERM") == "" || os.Getenv("TERM") == "dumb" {
		cmd.Env = append(cmd.Env, "TERM=xterm-256color")
	}
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true, Setctty: true, Ctty: 0}

	start := time.Now()
	if err := cmd.Start(); err != nil {
		prog.Close()
		return 0, 0, fmt.Errorf("start %s: %w", cmdline[0], err)
	}
	prog.Close()

	type result struct {
		took time.Duration
		err  error
	}
	found := make(chan result, 1)
	var out bytes.Buffer
	go func() {
		buf := make([]byte, 64<<10)
		scanned := 0
		for {
			n, err := ctl.Read(buf)
			if n > 0 {
				out.Write(buf[:n])
				raw := out.Bytes()
				from := max(0, scanned-16)
				for _, q := range queryReplies {
					if q.reply != "" && bytes.Contains(raw[from:], []byte(q.query)) {
						_, _ = ctl.WriteString(q.reply)
					}
				}
				scanned = len(raw)
				if strings.Contains(ansi.Strip(string(raw)), marker) {
					found <- result{took: time.Since(start)}
					return
				}
			}
			if err != nil {
				found <- result{err: fmt.Errorf("%s ended before showing %q; it wrote:\n%s",
					cmdline[0], marker, tail(ansi.Strip(out.String()), 600))}
				return
			}
		}
	}()

	var r result
	select {
	case r = <-found:
	case <-time.After(timeout):
		r.err = fmt.Errorf("%s showed no %q within %v; it wrote:\n%s", cmdline[0], marker, timeout, tail(ansi.Strip(out.String()), 600))
	}
	_ = cmd.Process.Kill()
	_ = cmd.Wait()
	var rss int64
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		rss = ru.Maxrss // KiB on Linux
	}
	return r.took, rss, r.err
}

// tail is the last n bytes of s.
func tail(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return "…" + s[len(s)-n:]
}
