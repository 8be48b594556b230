package taxonomy

import (
	"fmt"
	"os"
	"strconv"
	"strings"
)

// Problem is one validation error, with the position it was found at.
type Problem struct {
	File string
	// Line is the 1-based line of the problem; 0 when the position is unknown.
	Line int
	// Where names the entry the problem is in, e.g. "reason 'late_delivery'"
	// or "category 'delivery'"; empty for top-level keys.
	Where string
	// Field is the key at fault as a dotted path from Where, e.g. "hotkey",
	// "labels.sv" or (at top level) "vocab.owners"; empty for a file that is
	// not YAML at all.
	Field string
	// Msg says what is wrong, naming the field and the bad value.
	Msg string
}

// Error formats the problem as "file:line: where: msg".
func (p Problem) Error() string {
	var b strings.Builder
	b.WriteString(p.File)
	if p.Line > 0 {
		b.WriteByte(':')
		b.WriteString(strconv.Itoa(p.Line))
	}
	b.WriteString(": ")
	if p.Where != "" {
		b.WriteString(p.Where)
		b.WriteString(": ")
	}
	b.WriteString(p.Msg)
	return b.String()
}

// Problems is every validation error found in one file, in line order.
type Problems []Problem

// Error lists the problems, one per line.
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
// errors found, not just the first, sorted by line.
func Load(name string, data []byte) (*Taxonomy, error) { return load(name, data) }

// LoadFile reads and loads the taxonomy at path.
func LoadFile(path string) (*Taxonomy, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read taxonomy: %w", err)
	}
	return Load(path, data)
}

// Reason returns the reason with id, deprecated ones included.
func (t *Taxonomy) Reason(id string) (*Reason, bool) { r, ok := t.byID[id]; return r, ok }

// Reasons returns every reason, deprecated ones included, in file order.
// The slice is shared: do not modify it.
func (t *Taxonomy) Reasons() []*Reason { return t.reasons }

// Offered returns the reasons agents may pick (not deprecated), in file
// order. The slice is shared: do not modify it.
func (t *Taxonomy) Offered() []*Reason { return t.offered }

// Category returns the category with id.
func (t *Taxonomy) Category(id string) (*Category, bool) { c, ok := t.categories[id]; return c, ok }

// CategoryByHotkey returns the category with hotkey k.
func (t *Taxonomy) CategoryByHotkey(k string) (*Category, bool) {
	for _, c := range t.Categories {
		if c.Hotkey == k {
			return c, true
		}
	}
	return nil, false
}

// ByHotkeys returns the offered (not deprecated) reason at hotkey path
// (category, reason), e.g. ("3", "s").
func (t *Taxonomy) ByHotkeys(category, reason string) (*Reason, bool) {
	c, ok := t.CategoryByHotkey(category)
	if !ok {
		return nil, false
	}
	return c.ReasonByHotkey(reason)
}

// CatchAll returns the offered catch-all ("other") reason of the category
// with id categoryID, if it has one.
func (t *Taxonomy) CatchAll(categoryID string) (*Reason, bool) {
	c, ok := t.categories[categoryID]
	if !ok || c.catchAll == nil {
		return nil, false
	}
	return c.catchAll, true
}

// IsCatchAll reports whether id is a catch-all reason (deprecated or not).
// The capture screen requires a note on these.
func (t *Taxonomy) IsCatchAll(id string) bool {
	r, ok := t.byID[id]
	return ok && r.CatchAll
}

// ReasonLabel returns the label of reason id in locale l (falling back to the
// default locale), or id itself if the taxonomy has no such reason: stored
// contacts may carry ids of another version.
func (t *Taxonomy) ReasonLabel(id string, l Locale) string {
	if r, ok := t.byID[id]; ok {
		if s := r.Labels.Get(l, t.DefaultLocale); s != "" {
			return s
		}
	}
	return id
}

// Title returns the taxonomy's name in locale l, or its id if it has none.
func (t *Taxonomy) Title(l Locale) string {
	if s := t.Name.Get(l, t.DefaultLocale); s != "" {
		return s
	}
	return t.ID
}

// HasLocale reports whether l is one of the taxonomy's declared locales.
func (t *Taxonomy) HasLocale(l Locale) bool {
	for _, x := range t.Locales {
		if x == l {
			return true
		}
	}
	return false
}

// Stats counts the parts of a taxonomy, for one-line summaries.
type Stats struct {
	Categories int
	Reasons    int // all, deprecated included
	Offered    int
	Deprecated int
	CatchAlls  int // offered catch-alls
	NoHotkey   int // offered reasons reachable by search only
}

// Stats counts the taxonomy's categories and reasons.
func (t *Taxonomy) Stats() Stats {
	s := Stats{Categories: len(t.Categories), Reasons: len(t.reasons), Offered: len(t.offered)}
	s.Deprecated = s.Reasons - s.Offered
	for _, r := range t.offered {
		if r.CatchAll {
			s.CatchAlls++
		}
		if r.Hotkey == "" {
			s.NoHotkey++
		}
	}
	return s
}

// Offered returns the category's reasons that agents may pick (not
// deprecated), in file order. The slice is shared: do not modify it.
func (c *Category) Offered() []*Reason { return c.offered }

// ReasonByHotkey returns the category's offered reason with hotkey k.
func (c *Category) ReasonByHotkey(k string) (*Reason, bool) {
	r, ok := c.byHotkey[k]
	return r, ok
}

// Match is one search result.
type Match struct {
	Reason *Reason
	Score  int // higher is better; 0 for an empty query
	// Text is the label or id that matched, and Positions the rune indexes
	// of the matched characters in it, ascending, for highlighting.
	Text      string
	Positions []int
	// Locale is the locale of Text, or "" when Text is the reason's id.
	Locale Locale
}

// build fills the lookup tables and the search index of a validated taxonomy.
func (t *Taxonomy) build() {
	t.byID = make(map[string]*Reason)
	t.categories = make(map[string]*Category, len(t.Categories))
	for _, c := range t.Categories {
		t.categories[c.ID] = c
		c.byHotkey = make(map[string]*Reason, len(c.Reasons))
		for _, r := range c.Reasons {
			t.byID[r.ID] = r
			t.reasons = append(t.reasons, r)
			if r.Deprecated {
				continue
			}
			c.offered = append(c.offered, r)
			t.offered = append(t.offered, r)
			if r.Hotkey != "" {
				c.byHotkey[r.Hotkey] = r
			}
		}
	}
	t.index = newSearchIndex(t)
}
