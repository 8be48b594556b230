package tui

import (
	"strings"

	"whycall/store"
	"whycall/taxonomy"
)

// menuIndex is the taxonomy arranged for the menu: the categories and the
// reasons agents may pick (deprecated ones left out), with hotkey lookups.
// It is built once; the taxonomy is immutable.
type menuIndex struct {
	cats    []*taxonomy.Category
	offered [][]*taxonomy.Reason
	catKey  map[string]int
	reasonK []map[string]int
	byID    map[string]*taxonomy.Reason
	catOf   map[string]int
}

func newMenuIndex(t *taxonomy.Taxonomy) *menuIndex {
	ix := &menuIndex{catKey: map[string]int{}, byID: map[string]*taxonomy.Reason{}, catOf: map[string]int{}}
	for ci, c := range t.Categories {
		ix.cats = append(ix.cats, c)
		ix.catKey[c.Hotkey] = ci
		keys := map[string]int{}
		var offered []*taxonomy.Reason
		for _, r := range c.Reasons {
			ix.byID[r.ID] = r
			ix.catOf[r.ID] = ci
			if r.Deprecated {
				continue
			}
			if r.Hotkey != "" {
				keys[r.Hotkey] = len(offered)
			}
			offered = append(offered, r)
		}
		ix.offered = append(ix.offered, offered)
		ix.reasonK = append(ix.reasonK, keys)
	}
	return ix
}

// label is a reason's label in locale l, or its id when the taxonomy no
// longer knows it (a contact tagged with another version).
func (ix *menuIndex) label(id string, l taxonomy.Locale) string {
	if r, ok := ix.byID[id]; ok {
		return r.Label(l)
	}
	return id
}

// catchAll reports whether reason id is a category's catch-all.
func (ix *menuIndex) catchAll(id string) bool {
	r, ok := ix.byID[id]
	return ok && r.CatchAll
}

// menu is the category/reason picker: level -1 lists categories, level i
// lists the offered reasons of category i.
type menu struct {
	level int
	cur   int // highlighted category
	rcur  int // highlighted reason in the open category
	off   int // first visible row of the open list
	w, h  int
	cache *menuCache
}

func newMenu() menu { return menu{level: -1, cache: newMenuCache()} }

// rows is how many list rows fit under the pane title.
func (m menu) rows() int { return max(1, m.h-1) }

// open shows category ci's reasons.
func (m menu) open(ci int) menu {
	m.level, m.cur, m.rcur, m.off = ci, ci, 0, 0
	return m
}

// top returns to the category list, keeping its highlight visible.
func (m menu) top(ix *menuIndex) menu {
	m.level, m.off = -1, 0
	return m.move(ix, 0)
}

// move moves the highlight by d rows, clamped, keeping it visible.
func (m menu) move(ix *menuIndex, d int) menu {
	if m.level < 0 {
		m.cur = clampInt(m.cur+d, 0, len(ix.cats)-1)
		m.off = scrollTo(m.off, m.cur, m.rows(), len(ix.cats))
		return m
	}
	m.rcur = clampInt(m.rcur+d, 0, len(ix.offered[m.level])-1)
	m.off = scrollTo(m.off, m.rcur, m.rows(), len(ix.offered[m.level]))
	return m
}

// highlighted returns the reason under the highlight, or nil at the
// category level.
func (m menu) highlighted(ix *menuIndex) *taxonomy.Reason {
	if m.level < 0 || len(ix.offered[m.level]) == 0 {
		return nil
	}
	return ix.offered[m.level][m.rcur]
}

// reasonByKey returns the reason with hotkey k in the open category.
func (m menu) reasonByKey(ix *menuIndex, k string) (*taxonomy.Reason, int, bool) {
	if m.level < 0 {
		return nil, 0, false
	}
	i, ok := ix.reasonK[m.level][k]
	if !ok {
		return nil, 0, false
	}
	return ix.offered[m.level][i], i, true
}

func clampInt(v, lo, hi int) int {
	if hi < lo {
		return lo
	}
	return max(lo, min(v, hi))
}

// scrollTo returns the list offset that keeps row cur visible.
func scrollTo(off, cur, rows, n int) int {
	if cur < off {
		off = cur
	}
	if cur >= off+rows {
		off = cur - rows + 1
	}
	return clampInt(off, 0, max(0, n-rows))
}

// menuKey is everything the menu pane's picture depends on.
type menuKey struct {
	level, cur, rcur, off, w, h, gen int
	focused                          bool
	tagged                           [store.MaxReasons]string
}

// menuCache memoises the menu pane: the whole pane for an unchanged key,
// and each row by (row, highlighted, tagged) for the rest.
type menuCache struct {
	key   menuKey
	lines []string
	valid bool
	gen   int
	rows  map[rowKey]string
}

type rowKey struct {
	cat, reason int // reason -1 for a category row
	sel, tagged bool
	focused     bool // the menu has focus: the highlight is reversed
}

func newMenuCache() *menuCache { return &menuCache{rows: map[rowKey]string{}} }

// view returns the menu pane as m.h lines of exactly m.w columns. The
// highlight is reversed only while the menu has focus.
func (m menu) view(sh *shared, tagged []string, focused bool) []string {
	k := menuKey{level: m.level, cur: m.cur, rcur: m.rcur, off: m.off, w: m.w, h: m.h, gen: sh.gen, focused: focused}
	copy(k.tagged[:], tagged)
	c := m.cache
	if c.valid && c.key == k {
		return c.lines
	}
	if c.gen != sh.gen {
		clear(c.rows)
		c.gen = sh.gen
	}
	lines := c.lines[:0]
	ix, st, l := sh.idx, sh.styles, sh.locale
	if m.level < 0 {
		title := paint(st.ink.PaneTitle, "CATEGORIES")
		if len(ix.cats) > m.rows() {
			title = spread(title, paint(st.ink.Dim, itoa(m.cur+1)+"/"+itoa(len(ix.cats))), m.w)
		}
		lines = append(lines, fit(title, m.w))
		for i := m.off; i < len(ix.cats) && len(lines) < m.h; i++ {
			has := false
			for _, id := range tagged {
				if ci, ok := ix.catOf[id]; ok && ci == i {
					has = true
				}
			}
			rk := rowKey{cat: i, reason: -1, sel: i == m.cur, tagged: has, focused: focused}
			row, ok := c.rows[rk]
			if !ok {
				cat := ix.cats[i]
				row = menuRow(st, cat.Hotkey, cat.Label(l), "", rk.sel, focused, has, m.w)
				c.rows[rk] = row
			}
			lines = append(lines, row)
		}
	} else {
		cat := ix.cats[m.level]
		list := ix.offered[m.level]
		title := paint(st.ink.PaneTitle, cat.Hotkey+"  "+strings.ToUpper(cat.Label(l)))
		right := paint(st.ink.Dim, "esc back")
		if len(list) > m.rows() {
			right = paint(st.ink.Dim, itoa(m.rcur+1)+"/"+itoa(len(list))+" · esc back")
		}
		lines = append(lines, spread(title, right, m.w))
		for i := m.off; i < len(list) && len(lines) < m.h; i++ {
			r := list[i]
			has := false
			for _, id := range tagged {
				if id == r.ID {
					has = true
				}
			}
			rk := rowKey{cat: m.level, reason: i, sel: i == m.rcur, tagged: has, focused: focused}
			row, ok := c.rows[rk]
			if !ok {
				hk := r.Hotkey
				if hk == "" {
					hk = "·"
				}
				extra := ""
				if r.CatchAll {
					extra = "+note"
				}
				row = menuRow(st, hk, r.Label(l), extra, rk.sel, focused, has, m.w)
				c.rows[rk] = row
			}
			lines = append(lines, row)
		}
	}
	for len(lines) < m.h {
		lines = append(lines, spaces(m.w))
	}
	c.lines, c.key, c.valid = lines, k, true
	return lines
}

// menuRow renders one menu row: hotkey, label, an optional dim extra and a
// ✓ when the reason (or one in the category) is tagged.
func menuRow(st *Styles, hk, label, extra string, sel, focused, tagged bool, w int) string {
	mark := "  "
	if tagged {
		mark = "✓ "
	}
	if sel && !focused {
		text := "▸" + paint(st.ink.Hotkey, hk) + "  " + paint(st.ink.Item, label)
		if extra != "" {
			text += "  " + paint(st.ink.Dim, extra)
		}
		return fit(text, w-2) + paintIf(tagged, st.ink.Tagged, mark)
	}
	if sel {
		text := "▸" + hk + "  " + label
		if extra != "" {
			text += "  " + extra
		}
		return paint(st.ink.Selected, fit(text, w-2)) + paintIf(tagged, st.ink.Tagged, mark)
	}
	text := " " + paint(st.ink.Hotkey, hk) + "  " + paint(st.ink.Item, label)
	if extra != "" {
		text += "  " + paint(st.ink.Dim, extra)
	}
	return fit(text, w-2) + paintIf(tagged, st.ink.Tagged, mark)
}

func paintIf(ok bool, k ink, s string) string {
	if ok {
		return paint(k, s)
	}
	return s
}
