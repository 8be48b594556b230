package report

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
)

// SummaryFormat is an output format of the summary.
type SummaryFormat string

// The summary's output formats.
const (
	FormatText     SummaryFormat = "text"
	FormatMarkdown SummaryFormat = "markdown"
	FormatJSON     SummaryFormat = "json"
	FormatHTML     SummaryFormat = "html"
)

// SummaryFormats lists every format, for help texts.
var SummaryFormats = []SummaryFormat{FormatText, FormatMarkdown, FormatJSON, FormatHTML}

// ParseSummaryFormat reads a format name ("md" is accepted for markdown).
func ParseSummaryFormat(s string) (SummaryFormat, error) {
	switch f := SummaryFormat(strings.ToLower(strings.TrimSpace(s))); f {
	case FormatText, FormatMarkdown, FormatJSON, FormatHTML:
		return f, nil
	case "md":
		return FormatMarkdown, nil
	}
	return "", fmt.Errorf("unknown format %q: want text, markdown, json or html", s)
}

// Render writes s in format f; text options apply to FormatText only.
func Render(w io.Writer, s *Summary, f SummaryFormat, o TextOptions) error {
	switch f {
	case FormatText:
		return WriteText(w, s, o)
	case FormatMarkdown:
		return WriteMarkdown(w, s)
	case FormatJSON:
		return WriteJSON(w, s)
	case FormatHTML:
		return WriteHTML(w, s)
	}
	return fmt.Errorf("unknown format %q", f)
}

// WriteJSON writes s as indented JSON with the field names documented in
// the README ("Summary JSON").
func WriteJSON(w io.Writer, s *Summary) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(s); err != nil {
		return fmt.Errorf("write summary JSON: %w", err)
	}
	return nil
}
