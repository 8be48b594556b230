// Package typo finds what a mistyped name was probably meant to be, for
// error messages that say "did you mean …?".
package typo

// Closest returns the name in known nearest to s by edit distance, when it
// is less than three edits away and those edits change at most half of s;
// otherwise "". Of equally near names the first in known wins, so callers
// that want a stable answer pass known in a stable order.
func Closest(s string, known []string) string {
	best, bestDist := "", 3
	for _, k := range known {
		if d := Distance(s, k); d < bestDist {
			best, bestDist = k, d
		}
	}
	if bestDist > len(s)/2 {
		return ""
	}
	return best
}

// Distance is the Levenshtein distance between two short strings, counted
// in bytes; strings longer than 64 bytes are never near anything.
func Distance(a, b string) int {
	if len(a) > 64 || len(b) > 64 {
		return 1 << 30
	}
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
