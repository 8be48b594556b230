//go:build unix

package tui

import (
	"syscall"
	"time"
)

// cpuNow is the CPU time (user + system) the process has used so far, all
// threads included: a figure the other load on the machine does not inflate
// the way it inflates wall-clock ns/op.
func cpuNow() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
