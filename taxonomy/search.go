package taxonomy

import (
	"cmp"
	"slices"
	"sync"
	"unicode/utf8"
)

// Scores of the fuzzy matcher, after fzf: every matched character earns
// scoreMatch plus the bonus of where it sits; gaps cost; a run of adjacent
// matches keeps the bonus of the run's first character, so "lev" at the
// start of "levering" beats l…e…v scattered over a label.
const (
	scoreMatch       = 16
	scoreGapStart    = -3
	scoreGapExtend   = -1
	bonusWord        = 8 // first character of a word
	bonusConsecutive = 4 // right after the previous matched character
	firstCharFactor  = 2 // a query word's first character counts double
	// bonusPrefix is added once when a query word starts at the first
	// character of the text: a prefix beats a later word start.
	bonusPrefix = 3
	// bonusLocale prefers a label in the caller's locale, and bonusLabel a
	// label in another locale, over the same match in the id: less than any
	// difference in how the characters match.
	bonusLocale = 2
	bonusLabel  = 1
	// bonusInOrder is added once when the words of a query of several
	// words match one after another, as typed.
	bonusInOrder = 2

	negInf = -1 << 24
)

// searchIndex is the folded form of every offered reason's id and labels,
// computed once at load so a search allocates only its results.
type searchIndex struct {
	runes   []rune  // folded texts, back to back
	bonus   []int8  // per folded rune: the bonus for matching it
	pos     []int32 // per folded rune: its rune index in the original text
	targets []target
	entries []entry // one per offered reason, in file order
}

// target is one searchable text of a reason: its id or a label.
type target struct {
	text       string
	locale     Locale // "" for the id
	loc        int8   // index of locale in Taxonomy.Locales; -1 for the id
	start, end int32  // its folded runes in searchIndex.runes
	mask       uint64 // maskBit of every folded rune
	starts     uint64 // maskBit of every rune that starts a word
	firsts     uint64 // maskBit of its first rune
}

// entry is one offered reason and its targets (targets[first:last]).
type entry struct {
	reason      *Reason
	first, last int32
	// Unions of its targets' masks, for a bound on the whole entry.
	mask, starts, firsts uint64
}

func newSearchIndex(t *Taxonomy) searchIndex {
	var ix searchIndex
	for _, r := range t.offered {
		e := entry{reason: r, first: int32(len(ix.targets))}
		ix.add(r.ID, "", -1)
		for i, l := range t.Locales {
			if s := r.Labels[l]; s != "" {
				ix.add(s, l, int8(i))
			}
		}
		e.last = int32(len(ix.targets))
		for _, tg := range ix.targets[e.first:e.last] {
			e.mask |= tg.mask
			e.starts |= tg.starts
			e.firsts |= tg.firsts
		}
		ix.entries = append(ix.entries, e)
	}
	return ix
}

func (ix *searchIndex) add(text string, l Locale, loc int8) {
	tg := target{text: text, locale: l, loc: loc, start: int32(len(ix.runes))}
	prev := sep
	i := int32(0)
	for _, r := range text {
		a, b := foldRune(r)
		for k, f := range [2]rune{a, b} {
			if f == 0 {
				continue
			}
			var bonus int8
			switch {
			case f == sep:
			case prev == sep && k == 0:
				bonus = bonusWord
			}
			ix.runes = append(ix.runes, f)
			ix.bonus = append(ix.bonus, bonus)
			ix.pos = append(ix.pos, i)
			tg.mask |= maskBit(f)
			if bonus == bonusWord {
				tg.starts |= maskBit(f)
			}
			prev = f
		}
		i++
	}
	tg.end = int32(len(ix.runes))
	if tg.end > tg.start {
		tg.firsts = maskBit(ix.runes[tg.start])
	}
	ix.targets = append(ix.targets, tg)
}

// Search ranks the offered reasons against query, fuzzily over ids and labels
// in every locale, best first, at most limit (all if limit <= 0).
//
// The query is folded like the texts (case and diacritics ignored: "forsenad"
// finds "Försenad") and split into words; every word must match, in order of
// its characters, within one text of the reason. Matches at the start of the
// text or of a word and runs of adjacent characters score higher than
// scattered ones; a label in locale l wins a tie with another text; reasons
// that still tie keep file order. An empty query returns every offered reason
// in file order, labelled in l.
//
// It is fast enough to run on every keystroke and allocates only the result.
func (t *Taxonomy) Search(query string, l Locale, limit int) []Match {
	s := scratchPool.Get().(*scratch)
	defer scratchPool.Put(s)
	if !s.setQuery(query) {
		return t.listOffered(l, limit)
	}
	ix := &t.index
	s.cands = s.cands[:0]
	loc := int8(slices.Index(t.Locales, l))
	if loc < 0 {
		loc = -2 // matches no target
	}
	for ei := range ix.entries {
		e := &ix.entries[ei]
		// A reason must beat the worst of a full list of candidates, and
		// then its own best target so far.
		if s.mask&^e.mask != 0 {
			continue
		}
		best, bestTarget := negInf, int32(-1)
		if limit > 0 && len(s.cands) == limit {
			best = int(s.cands[limit-1].score)
		}
		if s.upperBound(e.starts, e.firsts)+bonusLocale <= best {
			continue
		}
		for ti := e.first; ti < e.last; ti++ {
			tg := &ix.targets[ti]
			if s.mask&^tg.mask != 0 {
				continue
			}
			extra := bonusLabel
			switch tg.loc {
			case -1:
				extra = 0
			case loc:
				extra = bonusLocale
			}
			if s.upperBound(tg.starts, tg.firsts)+extra <= best {
				continue
			}
			score := s.scoreTarget(ix, tg, false)
			if score < 0 {
				continue
			}
			if score += extra; score > best {
				best, bestTarget = score, ti
			}
		}
		if bestTarget >= 0 {
			s.keep(candidate{entry: int32(ei), target: bestTarget, score: int32(best)}, limit)
		}
	}
	if limit <= 0 {
		// Entries were visited in file order, so a stable sort by score
		// keeps file order among equal scores.
		slices.SortStableFunc(s.cands, func(a, b candidate) int { return cmp.Compare(b.score, a.score) })
	}
	n := len(s.cands)
	if n == 0 {
		return nil
	}

	// Positions are found again for the winners only, all into one array.
	s.positions = s.positions[:0]
	ends := s.ends[:0]
	for _, c := range s.cands[:n] {
		s.scoreTarget(ix, &ix.targets[c.target], true)
		ends = append(ends, len(s.positions))
	}
	s.ends = ends
	positions := make([]int, len(s.positions))
	for i, p := range s.positions {
		positions[i] = int(p)
	}
	out := make([]Match, n)
	from := 0
	for i, c := range s.cands[:n] {
		tg := &ix.targets[c.target]
		out[i] = Match{
			Reason:    ix.entries[c.entry].reason,
			Score:     int(c.score),
			Text:      tg.text,
			Locale:    tg.locale,
			Positions: positions[from:ends[i]:ends[i]],
		}
		from = ends[i]
	}
	return out
}

// listOffered is Search's answer to an empty query.
func (t *Taxonomy) listOffered(l Locale, limit int) []Match {
	n := len(t.offered)
	if limit > 0 && n > limit {
		n = limit
	}
	out := make([]Match, n)
	for i, r := range t.offered[:n] {
		loc := l
		if r.Labels[l] == "" {
			loc = t.DefaultLocale
		}
		out[i] = Match{Reason: r, Text: r.Labels.Get(loc, t.DefaultLocale), Locale: loc}
	}
	return out
}

// candidate is a reason that matched, by its best target.
type candidate struct {
	entry, target, score int32
}

// keep adds c to the candidates. With a limit, the candidates are kept
// sorted, best first, and only the best limit of them: since candidates
// arrive in file order, c goes after any with the same score.
func (s *scratch) keep(c candidate, limit int) {
	if limit <= 0 {
		s.cands = append(s.cands, c)
		return
	}
	n := len(s.cands)
	if n == limit {
		if c.score <= s.cands[n-1].score {
			return
		}
		n--
	} else {
		s.cands = append(s.cands, candidate{})
	}
	i := n
	for i > 0 && s.cands[i-1].score < c.score {
		s.cands[i] = s.cands[i-1]
		i--
	}
	s.cands[i] = c
}

// scratch is the working memory of one search, reused through scratchPool.
type scratch struct {
	query []rune     // the folded query, words separated by sep
	words [][2]int32 // each word's start and end in query
	mask  uint64     // maskBit of every query rune
	base  int        // the part of upperBound that does not depend on the text

	rows      [4][]int32 // previous and current row of scores and run bonuses
	from      []int32    // per DP cell: the column of the previous match
	lo, hi    []int32    // per query character: its earliest and latest column
	positions []int32
	ends      []int
	cands     []candidate
}

var scratchPool = sync.Pool{New: func() any { return new(scratch) }}

// setQuery folds q into s and reports whether it has any word to match.
func (s *scratch) setQuery(q string) bool {
	s.query, s.words, s.mask = s.query[:0], s.words[:0], 0
	start := int32(-1)
	push := func(f rune) {
		switch {
		case f == 0:
			return
		case f == sep:
			if start >= 0 {
				s.words = append(s.words, [2]int32{start, int32(len(s.query))})
				start = -1
			}
			return
		case start < 0:
			start = int32(len(s.query))
		}
		s.query = append(s.query, f)
		s.mask |= maskBit(f)
	}
	for _, r := range q {
		a, b := foldRune(r)
		push(a)
		push(b)
	}
	push(sep)
	s.base = 0
	if len(s.words) > 1 {
		s.base = bonusInOrder
	}
	for _, w := range s.words {
		m := int(w[1] - w[0])
		s.base += m*scoreMatch + (m-1)*bonusWord
	}
	return len(s.words) > 0
}

// upperBound is the highest score the query could reach in a text whose
// word-start and first runes are in the masks starts and firsts: each word's
// first character at a word start (and at the very start, if the text begins
// with it), every other character at most scoreMatch+bonusWord. For a query
// of one ASCII character (which has a mask bit of its own) that contains it,
// it is the exact score.
func (s *scratch) upperBound(starts, firsts uint64) int {
	ub := s.base
	for _, w := range s.words {
		if bit := maskBit(s.query[w[0]]); starts&bit != 0 {
			ub += firstCharFactor * bonusWord
			if firsts&bit != 0 {
				ub += bonusPrefix
			}
		}
	}
	return ub
}

// scoreTarget returns the sum of the scores of every query word in tg, or -1
// if one does not match. With record, it appends the rune indexes of the
// matched characters (in tg.text, ascending, no repeats) to s.positions.
func (s *scratch) scoreTarget(ix *searchIndex, tg *target, record bool) int {
	text, bonus := ix.runes[tg.start:tg.end], ix.bonus[tg.start:tg.end]
	if w := s.words[0]; !record && len(s.words) == 1 && w[1]-w[0] == 1 && s.query[w[0]] < utf8.RuneSelf {
		return s.upperBound(tg.starts, tg.firsts) // exact for one character with a mask bit of its own
	}
	total, inOrder, prevEnd := 0, len(s.words) > 1, -1
	mark := len(s.positions)
	for _, w := range s.words {
		score, start, end := s.match(s.query[w[0]:w[1]], text, bonus, record)
		if score < 0 {
			s.positions = s.positions[:mark]
			return -1
		}
		total += score
		inOrder = inOrder && start > prevEnd
		prevEnd = end
	}
	if inOrder {
		total += bonusInOrder
	}
	if record {
		// Map folded indexes to rune indexes: æ folds to two runes at one
		// position, and several words may match the same character.
		got := s.positions[mark:]
		for i, p := range got {
			got[i] = ix.pos[tg.start+p]
		}
		slices.Sort(got)
		s.positions = append(s.positions[:mark], slices.Compact(got)...)
	}
	return total
}

// match scores word p within text, or returns -1 if p is not a subsequence
// of text, along with the folded indexes of the first and last matched
// characters. It finds the best alignment by dynamic programming, row i
// (character p[i]) only over the columns between the earliest and the latest
// place p[i] can take in any alignment. With record, it appends the folded
// indexes of the alignment to s.positions.
func (s *scratch) match(p, text []rune, bonus []int8, record bool) (score, start, end int) {
	m, n := len(p), len(text)
	if m > n {
		return -1, 0, 0
	}
	if m == 1 {
		return s.matchOne(p[0], text, bonus, record)
	}
	s.lo, s.hi = grow(s.lo, m), grow(s.hi, m)
	lo, hi := s.lo, s.hi
	i := 0
	for j := 0; j < n && i < m; j++ {
		if text[j] == p[i] {
			lo[i] = int32(j)
			i++
		}
	}
	if i < m {
		return -1, 0, 0
	}
	i = m - 1
	for j := n - 1; i >= 0; j-- {
		if text[j] == p[i] {
			hi[i] = int32(j)
			i--
		}
	}
	// Work in the window text[first:last+1]; lo and hi become relative to it.
	first, last := lo[0], hi[m-1]
	text, bonus = text[first:last+1], bonus[first:last+1]
	for i := range m {
		lo[i] -= first
		hi[i] -= first
	}
	w := len(text)
	for k := range s.rows {
		s.rows[k] = grow(s.rows[k], w)
	}
	cur, prev, run, prevRun := s.rows[0], s.rows[1], s.rows[2], s.rows[3]
	s.from = grow(s.from, m*w)

	for j := lo[0]; j <= hi[0]; j++ {
		cur[j] = negInf
		if text[j] == p[0] {
			cur[j] = scoreMatch + firstCharFactor*int32(bonus[j])
			if first+j == 0 {
				cur[j] += bonusPrefix
			}
		}
		run[j] = int32(bonus[j])
	}
	for i := 1; i < m; i++ {
		cur, prev = prev, cur
		run, prevRun = prevRun, run
		from := s.from[i*w : (i+1)*w]
		plo, phi := lo[i-1], hi[i-1] // where prev is valid
		c, start := p[i], lo[i]
		gap, gapFrom := int32(negInf), int32(-1)
		for j := plo + 1; j <= hi[i]; j++ {
			// gap is the best way to reach j after skipping at least one
			// character: from prev[k] for some k <= j-2.
			if gap > negInf {
				gap += scoreGapExtend
			}
			if k := j - 2; k >= plo && k <= phi && prev[k] > negInf && prev[k]+scoreGapStart > gap {
				gap, gapFrom = prev[k]+scoreGapStart, k
			}
			cur[j] = negInf
			if j < start || text[j] != c {
				continue
			}
			b := int32(bonus[j])
			best, bestFrom, bestRun := int32(negInf), int32(-1), b
			if gap > negInf {
				best, bestFrom = gap+b, gapFrom
			}
			if k := j - 1; k <= phi && prev[k] > negInf {
				r := max(prevRun[k], b)
				if d := prev[k] + max(r, bonusConsecutive); d >= best {
					best, bestFrom, bestRun = d, k, r
				}
			}
			if bestFrom >= 0 {
				cur[j], from[j], run[j] = scoreMatch+best, bestFrom, bestRun
			}
		}
	}
	best, at := int32(negInf), int32(-1)
	for j := lo[m-1]; j <= hi[m-1]; j++ {
		if cur[j] > best {
			best, at = cur[j], j
		}
	}
	if at < 0 {
		return -1, 0, 0 // unreachable: p is a subsequence of text
	}
	end = int(first + at)
	mark := len(s.positions)
	for i := m - 1; ; i-- {
		if record {
			s.positions = append(s.positions, first+at)
		}
		if i == 0 {
			break
		}
		at = s.from[i*w+int(at)]
	}
	if record {
		slices.Reverse(s.positions[mark:])
	}
	return int(best), int(first + at), end
}

// matchOne is match for a word of one character: its best place is the one
// with the highest bonus, the first such.
func (s *scratch) matchOne(c rune, text []rune, bonus []int8, record bool) (score, start, end int) {
	best, at := -1, -1
	for j, r := range text {
		if r != c {
			continue
		}
		sc := scoreMatch + firstCharFactor*int(bonus[j])
		if j == 0 {
			sc += bonusPrefix
		}
		if sc > best {
			best, at = sc, j
			if j == 0 && bonus[j] == bonusWord {
				break // nothing scores higher
			}
		}
	}
	if at < 0 {
		return -1, 0, 0
	}
	if record {
		s.positions = append(s.positions, int32(at))
	}
	return best, at, at
}

// grow returns b resized to n, reusing its array when it is big enough.
func grow(b []int32, n int) []int32 {
	if cap(b) < n {
		return make([]int32, n)
	}
	return b[:n]
}
