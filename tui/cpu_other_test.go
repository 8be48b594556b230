//go:build !unix

package tui

import "time"

// cpuNow is not measured on this platform; cpu-ns/op then reads 0.
func cpuNow() time.Duration { return 0 }
