package demo

import (
	"math"
	"math/rand/v2"
	"sort"
)

// poissonSF returns P(X ≥ n) for X ~ Poisson(lambda), summed in log space
// so that it stays exact for large lambda.
func poissonSF(n int, lambda float64) float64 {
	if n <= 0 {
		return 1
	}
	if lambda <= 0 {
		return 0
	}
	logL := math.Log(lambda)
	sum := 0.0
	for k := n; ; k++ {
		lg, _ := math.Lgamma(float64(k + 1))
		term := math.Exp(float64(k)*logL - lambda - lg)
		sum += term
		if float64(k) > lambda && (term == 0 || term < sum*1e-16) {
			break
		}
	}
	return math.Min(sum, 1)
}

// allocate splits total into len(weights) whole parts proportional to the
// weights, by largest remainder, so the parts add up to total exactly.
// Ties go to the lower index.
func allocate(total int, weights []float64) []int {
	out := make([]int, len(weights))
	sum := 0.0
	for _, w := range weights {
		sum += w
	}
	if sum <= 0 || total <= 0 {
		return out
	}
	type rem struct {
		i int
		r float64
	}
	rems := make([]rem, len(weights))
	given := 0
	for i, w := range weights {
		x := float64(total) * w / sum
		out[i] = int(x)
		given += out[i]
		rems[i] = rem{i, x - float64(out[i])}
	}
	sort.SliceStable(rems, func(a, b int) bool { return rems[a].r > rems[b].r })
	for k := 0; given < total; k++ {
		out[rems[k%len(rems)].i]++
		given++
	}
	return out
}

// clampedNorm is a standard normal draw cut to [-lim, lim].
func clampedNorm(rng *rand.Rand, lim float64) float64 {
	return math.Max(-lim, math.Min(lim, rng.NormFloat64()))
}

// pickCum returns the index whose cumulative weight first exceeds u·total,
// where cum is a non-decreasing list of cumulative weights.
func pickCum(rng *rand.Rand, cum []float64) int {
	x := rng.Float64() * cum[len(cum)-1]
	i := sort.SearchFloat64s(cum, x)
	if i < len(cum) && cum[i] == x {
		i++ // SearchFloat64s finds the first ≥ x; we want the first > x
	}
	return min(i, len(cum)-1)
}
