package report

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
)

// Format is an output format of the summary.
type Format string

// The summary's output formats.
const (
	FormatText     Format = "text"
	FormatMarkdown Format = "markdown"
	FormatJSON     Format = "json"
	FormatHTML     Format = "html"
)

// Formats lists every format, for help texts.
var Formats = []Format{FormatText, FormatMarkdown, FormatJSON, FormatHTML}

// ParseFormat reads a format name ("md" is accepted for markdown).
func ParseFormat(s string) (Format, error) {
	switch f := Format(strings.ToLower(strings.TrimSpace(s))); f {
	case FormatText, FormatMarkdown, FormatJSON, FormatHTML:
		return f, nil
	case "md":
		return FormatMarkdown, nil
	}
	return "", fmt.Errorf("unknown format %q: want text, markdown, json or html", s)
}

// Render writes s in format f; text options apply to FormatText only.
func Render(w io.Writer, s *Summary, f Format, o TextOptions) error {
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
