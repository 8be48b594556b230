package taxonomy

import (
	"errors"
	"fmt"
	"strings"
)

var errNotImplemented = errors.New("not implemented yet")

// Problem is one validation error, with the position it was found at.
type Problem struct {
	File  string
	Line  int
	Field string // e.g. "reason 'late_delivery' hotkey"
	Msg   string
}

func (p Problem) Error() string {
	return fmt.Sprintf("%s:%d: %s: %s", p.File, p.Line, p.Field, p.Msg)
}

// Problems is every validation error found in one file, in line order.
type Problems []Problem

func (ps Problems) Error() string {
	var b strings.Builder
	for i, p := range ps {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(p.Error())
	}
	return b.String()
}

// Load parses and validates a taxonomy. name is used in error positions
// (usually the file name). A validation failure returns Problems with all
// errors found, not just the first.
func Load(name string, data []byte) (*Taxonomy, error) { return nil, errNotImplemented }

// LoadFile reads and loads the taxonomy at path.
func LoadFile(path string) (*Taxonomy, error) { return nil, errNotImplemented }

// Default returns the embedded default taxonomy.
func Default() *Taxonomy { return nil }

// Reason returns the reason with id, deprecated ones included.
func (t *Taxonomy) Reason(id string) (*Reason, bool) { r, ok := t.byID[id]; return r, ok }

// CategoryByHotkey returns the category with hotkey k.
func (t *Taxonomy) CategoryByHotkey(k string) (*Category, bool) { return nil, false }

// ByHotkeys returns the offered (not deprecated) reason at hotkey path
// (category, reason), e.g. ("3", "s").
func (t *Taxonomy) ByHotkeys(category, reason string) (*Reason, bool) { return nil, false }

// Offered returns the category's reasons that agents may pick (not deprecated).
func (c *Category) Offered() []*Reason { return nil }

// Match is one search result.
type Match struct {
	Reason *Reason
	Score  int // higher is better
	// Text is the label or id that matched, and Positions the rune indexes
	// of the matched characters in it, for highlighting.
	Text      string
	Positions []int
}

// Search ranks the offered reasons against query, fuzzily over ids and labels
// in every locale, best first, at most limit. Labels in locale l are preferred
// for display. Fast enough to run on every keystroke.
func (t *Taxonomy) Search(query string, l Locale, limit int) []Match { return nil }
