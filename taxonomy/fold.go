package taxonomy

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// latinFolds maps lower-case Latin letters with diacritics to the ASCII that
// search compares them as: "àa" folds à to a. Ligatures and letters that do
// not decompose fold to their usual transliteration (æ→ae, ø→o, ß→ss); since
// search matches subsequences, "ae" and plain "a" both find an æ.
const latinFolds = "àa áa âa ãa äa åa æae çc èe ée êe ëe ìi íi îi ïi " +
	"ðd ñn òo óo ôo õo öo øo ùu úu ûu üu ýy þth ßss ÿy " +
	"āa ăa ąa ćc ĉc ċc čc ďd đd ēe ĕe ėe ęe ěe ĝg ğg " +
	"ġg ģg ĥh ħh ĩi īi ĭi įi ıi ĵj ķk ĸk ĺl ļl ľl ŀl łl " +
	"ńn ņn ňn ŋn ōo ŏo őo œoe ŕr ŗr řr śs ŝs şs šs ţt " +
	"ťt ŧt ũu ūu ŭu ůu űu ųu ŵw ŷy źz żz žz ſs ƀb ƒf " +
	"ơo ưu ǎa ǐi ǒo ǔu ǖu ǘu ǚu ǜu ǟa ǡa ǧg ǩk ǫo ǭo " +
	"ǰj ǵg ǹn ǻa ǽae ǿo ȁa ȃa ȅe ȇe ȉi ȋi ȍo ȏo ȑr ȓr ȕu ȗu " +
	"șs țt ȟh ȧa ȩe ȫo ȭo ȯo ȱo ȳy"

const foldBase, foldEnd = 0xc0, 0x250

// foldTable holds latinFolds by rune, from foldBase to foldEnd; a zero entry
// means the rune folds to itself.
var foldTable = func() (tab [foldEnd - foldBase][2]rune) {
	for _, f := range strings.Fields(latinFolds) {
		r, n := utf8.DecodeRuneInString(f)
		to := []rune(f[n:])
		tab[r-foldBase][0] = to[0]
		if len(to) > 1 {
			tab[r-foldBase][1] = to[1]
		}
	}
	return tab
}()

// sep is what every character that is neither a letter nor a digit folds to.
const sep = ' '

// foldRune returns the search form of r: up to two runes (the second is 0
// when there is one), or none at all for a combining mark, so that a
// decomposed "å" (a + ring) folds like the composed one. Letters and digits
// are lower-cased and lose their diacritics; everything else becomes sep.
func foldRune(r rune) (rune, rune) {
	if r < utf8.RuneSelf {
		switch {
		case 'a' <= r && r <= 'z', '0' <= r && r <= '9':
			return r, 0
		case 'A' <= r && r <= 'Z':
			return r + 'a' - 'A', 0
		}
		return sep, 0
	}
	if unicode.Is(unicode.Mn, r) {
		return 0, 0
	}
	r = unicode.ToLower(r)
	if foldBase <= r && r < foldEnd {
		if f := foldTable[r-foldBase]; f[0] != 0 {
			return f[0], f[1]
		}
	}
	if unicode.IsLetter(r) || unicode.IsDigit(r) {
		return r, 0
	}
	return sep, 0
}

// fold returns the search form of s, as foldRune does rune by rune.
func fold(s string) string {
	var b strings.Builder
	for _, r := range s {
		a, c := foldRune(r)
		if a != 0 {
			b.WriteRune(a)
		}
		if c != 0 {
			b.WriteRune(c)
		}
	}
	return b.String()
}

// maskBit returns the bit that stands for folded rune r in a character mask:
// one per ASCII letter and digit, and one shared by everything else.
func maskBit(r rune) uint64 {
	switch {
	case 'a' <= r && r <= 'z':
		return 1 << (r - 'a')
	case '0' <= r && r <= '9':
		return 1 << (26 + r - '0')
	case r == sep:
		return 0
	}
	return 1 << 63
}
