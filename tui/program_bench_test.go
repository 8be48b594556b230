package tui

import (
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
)

// frameWriter stands in for the terminal: it discards what the renderer
// writes and signals each write, so the benchmark can wait for the frame a
// key produced.
type frameWriter struct{ frames chan struct{} }

func (w *frameWriter) Write(p []byte) (int, error) {
	select {
	case w.frames <- struct{}{}:
	default:
	}
	return len(p), nil
}

// BenchmarkProgramKey runs the model in a real tea.Program at 80×24 writing
// to a discarding terminal, sends one key per op and waits for the frame it
// produced: Update, View, the renderer's diff and the write. cpu-ns/op is
// the process CPU time per key (the wall time per op is mostly the wait for
// the renderer's next frame tick); idle-cpu-ns/op is what the same wall time
// costs with no key pressed, so the key's own cost is the difference.
func BenchmarkProgramKey(b *testing.B) {
	for _, tc := range benchTaxonomies(b) {
		b.Run(tc.name, func(b *testing.B) {
			m, err := New(Options{Store: &memStore{}, Taxonomy: tc.tax, Locale: "nb", Agent: "kari", Team: "Nord",
				Location: oslo, Now: func() time.Time { return t0 }, Dark: true})
			if err != nil {
				b.Fatal(err)
			}
			m.setAfter(func(time.Duration, tea.Msg) tea.Cmd { return nil })
			fw := &frameWriter{frames: make(chan struct{}, 1)}
			p := tea.NewProgram(m, tea.WithInput(nil), tea.WithOutput(fw), tea.WithWindowSize(80, 24),
				tea.WithoutSignals(), tea.WithFPS(120),
				tea.WithEnvironment([]string{"TERM=xterm-256color", "COLORTERM=truecolor"}))
			done := make(chan error, 1)
			go func() { _, err := p.Run(); done <- err }()
			wait := func() {
				select {
				case <-fw.frames:
				case err := <-done:
					b.Fatalf("program ended: %v", err)
				case <-time.After(5 * time.Second):
					b.Fatal("no frame within 5s")
				}
			}
			wait()
			time.Sleep(50 * time.Millisecond) // let start-up frames settle
			select {
			case <-fw.frames:
			default:
			}
			keys := make([]tea.Msg, len(navKeys))
			for i, k := range navKeys {
				keys[i] = keyMsg(k)
			}
			b.ReportAllocs()
			b.ResetTimer()
			cpu0, wall0 := cpuNow(), time.Now()
			for i := range b.N {
				p.Send(keys[i%len(keys)])
				wait()
			}
			cpu, wall := cpuNow()-cpu0, time.Since(wall0)
			b.StopTimer()
			// The same wall time without keys: what the running program costs
			// anyway (frame ticks, timers), to tell the key's own cost apart.
			idle0 := cpuNow()
			time.Sleep(wall)
			idle := cpuNow() - idle0
			b.ReportMetric(float64(cpu)/float64(b.N), "cpu-ns/op")
			b.ReportMetric(float64(idle)/float64(b.N), "idle-cpu-ns/op")
			p.Quit()
			if err := <-done; err != nil {
				b.Fatal(err)
			}
		})
	}
}
