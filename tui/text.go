package tui

import (
	"strconv"
	"strings"

	"github.com/charmbracelet/x/ansi"
)

// fit truncates s (which may hold ANSI styles) to w columns with an
// ellipsis and pads it with spaces to exactly w columns.
func fit(s string, w int) string {
	if w <= 0 {
		return ""
	}
	sw := ansi.StringWidth(s)
	if sw > w {
		s = ansi.Truncate(s, w, "…")
		sw = ansi.StringWidth(s)
	}
	if sw < w {
		s += spaces(w - sw)
	}
	return s
}

// clip truncates s to at most w columns with an ellipsis, without padding.
func clip(s string, w int) string {
	if w <= 0 {
		return ""
	}
	if ansi.StringWidth(s) <= w {
		return s
	}
	return ansi.Truncate(s, w, "…")
}

const blanks = "                                                                                                                                                                "

// spaces returns n spaces, without allocating for common widths.
func spaces(n int) string {
	if n <= 0 {
		return ""
	}
	if n <= len(blanks) {
		return blanks[:n]
	}
	return strings.Repeat(" ", n)
}

// spread puts left and right on one line of width w, right aligned and at
// least one space apart, cutting left when both do not fit.
func spread(left, right string, w int) string {
	rw := ansi.StringWidth(right)
	if rw+1 >= w {
		return fit(right, w)
	}
	return fit(left, w-rw-1) + " " + right
}

// paint draws s in ink k.
func paint(k ink, s string) string {
	if s == "" || k.pre == "" {
		return s
	}
	return k.pre + s + k.post
}

func itoa(n int) string { return strconv.Itoa(n) }
