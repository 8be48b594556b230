package taxonomy

import (
	"math/rand/v2"
	"slices"
	"testing"
)

// scoreOf scores the alignment of a word at folded positions pos in the
// target with bonuses bonus, by the rules match implements, written out
// plainly.
func scoreOf(pos []int32, bonus []int8) int {
	score, run := 0, 0
	for i, j := range pos {
		b := int(bonus[j])
		switch {
		case i == 0:
			score += scoreMatch + firstCharFactor*b
			if j == 0 {
				score += bonusPrefix
			}
			run = b
		case j == pos[i-1]+1:
			run = max(run, b)
			score += scoreMatch + max(run, bonusConsecutive)
		default:
			gap := int(j - pos[i-1] - 1)
			score += scoreMatch + b + scoreGapStart + (gap-1)*scoreGapExtend
			run = b
		}
	}
	return score
}

// bestScore tries every alignment of p in text.
func bestScore(p, text []rune, bonus []int8) int {
	best := -1
	pos := make([]int32, len(p))
	var try func(i, from int)
	try = func(i, from int) {
		if i == len(p) {
			best = max(best, scoreOf(pos, bonus))
			return
		}
		for j := from; j < len(text); j++ {
			if text[j] == p[i] {
				pos[i] = int32(j)
				try(i+1, j+1)
			}
		}
	}
	try(0, 0)
	return best
}

func TestMatchScoresTheAlignmentItReturns(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	const alphabet = "aab  lev"
	var s scratch
	for range 20000 {
		var ix searchIndex
		text := make([]rune, 1+rng.IntN(14))
		for i := range text {
			text[i] = rune(alphabet[rng.IntN(len(alphabet))])
		}
		ix.add(string(text), "en", 0)
		folded, bonus := ix.runes, ix.bonus
		p := make([]rune, 1+rng.IntN(4))
		for i := range p {
			p[i] = rune("abelv"[rng.IntN(5)])
		}
		s.positions = s.positions[:0]
		score, start, end := s.match(p, folded, bonus, true)
		brute := bestScore(p, folded, bonus)
		if score < 0 {
			if brute >= 0 {
				t.Fatalf("match(%q, %q) found nothing; %d is possible", string(p), string(folded), brute)
			}
			continue
		}
		pos := s.positions
		if len(pos) != len(p) || int(pos[0]) != start || int(pos[len(pos)-1]) != end {
			t.Fatalf("match(%q, %q) positions %v, start %d, end %d", string(p), string(folded), pos, start, end)
		}
		for i, j := range pos {
			if folded[j] != p[i] || i > 0 && j <= pos[i-1] {
				t.Fatalf("match(%q, %q) positions %v do not spell the word", string(p), string(folded), pos)
			}
		}
		if got := scoreOf(pos, bonus); got != score {
			t.Fatalf("match(%q, %q) = %d, but its alignment %v scores %d", string(p), string(folded), score, pos, got)
		}
		// Like fzf's, the matcher keeps one run per cell, so in theory it
		// can miss the very best alignment by a few points a character
		// (a run bonus less bonusConsecutive); for words this short, by
		// less than 2*bonusWord. (With this seed it never misses.)
		if score > brute || brute-score > 2*bonusWord {
			t.Fatalf("match(%q, %q) = %d; the best alignment scores %d", string(p), string(folded), score, brute)
		}
		if !slices.IsSorted(pos) {
			t.Fatal("positions not sorted")
		}
	}
}
