package report

import (
	"math"
	"slices"
)

// directLimit is the largest λ for which the Poisson sums start from e^−λ;
// above it e^−λ comes close to underflowing (e^−745 is the smallest positive
// float64), so the sums start from the log of one term instead.
const directLimit = 700

// tailEps is where a tail sum stops: the next term no longer changes it.
const tailEps = 1e-17

// PoissonUpper returns P(X ≥ n) for X ~ Poisson(lambda).
func PoissonUpper(n int, lambda float64) float64 {
	switch {
	case n <= 0:
		return 1
	case lambda <= 0:
		return 0
	case float64(n) <= lambda:
		// The lower part holds less than about half the mass: subtracting
		// it from 1 loses nothing that matters at these sizes.
		return clamp01(1 - poissonLowerSum(n-1, lambda))
	}
	return clamp01(poissonUpperSum(n, lambda))
}

// PoissonLower returns P(X ≤ n) for X ~ Poisson(lambda).
func PoissonLower(n int, lambda float64) float64 {
	switch {
	case n < 0:
		return 0
	case lambda <= 0:
		return 1
	case float64(n) >= lambda:
		return clamp01(1 - poissonUpperSum(n+1, lambda))
	}
	return clamp01(poissonLowerSum(n, lambda))
}

// poissonLowerSum is Σ_{k=0}^{n} P(X = k), meant for n < λ, where the terms
// grow with k.
func poissonLowerSum(n int, lambda float64) float64 {
	if lambda <= directLimit {
		term := math.Exp(-lambda)
		sum := term
		for k := 1; k <= n; k++ {
			term *= lambda / float64(k)
			sum += term
		}
		return sum
	}
	// Start at the largest term, P(X = n), and walk down to k = 0.
	term := math.Exp(logPoissonPMF(n, lambda))
	sum := term
	for k := n; k > 0 && term > sum*tailEps; k-- {
		term *= float64(k) / lambda
		sum += term
	}
	return sum
}

// poissonUpperSum is Σ_{k≥n} P(X = k), meant for n > λ, where the terms
// shrink with k.
func poissonUpperSum(n int, lambda float64) float64 {
	var term float64
	if lambda <= directLimit {
		term = math.Exp(-lambda)
		for k := 1; k <= n && term > 0; k++ {
			term *= lambda / float64(k)
		}
	} else {
		term = math.Exp(logPoissonPMF(n, lambda))
	}
	sum := term
	for k := n + 1; term > sum*tailEps; k++ {
		term *= lambda / float64(k)
		sum += term
	}
	return sum
}

// logPoissonPMF is ln P(X = k) for X ~ Poisson(lambda).
func logPoissonPMF(k int, lambda float64) float64 {
	lg, _ := math.Lgamma(float64(k) + 1)
	return -lambda + float64(k)*math.Log(lambda) - lg
}

func clamp01(p float64) float64 { return math.Min(1, math.Max(0, p)) }

// SpikeTest holds the thresholds of the spike and drop flags (see
// summary-metrics §3.1 item 5). The zero value is not useful; start from
// DefaultOptions().
type SpikeTest struct {
	// Alpha is the one-sided significance level (0.001).
	Alpha float64
	// MinCount is the smallest count that can spike (5).
	MinCount int
	// MinRatio is the smallest count/expected ratio that can spike, and the
	// factor a drop must fall below (1.5).
	MinRatio float64
	// LambdaFloor is the least expected count, so that a brand-new reason
	// can still be flagged (0.5).
	LambdaFloor float64
	// DropMinExpected is the least expected count a drop is tested at (10).
	DropMinExpected float64
	// Dispersion switches from the exact Poisson test to the
	// overdispersion-adjusted z-test z = (n − λ)/√(φλ) ≥ z(Alpha).
	Dispersion bool
}

// Verdict is the outcome of one spike or drop test.
type Verdict struct {
	// Expected is λ, the count expected under the baseline.
	Expected float64
	// Ratio is count/Expected.
	Ratio float64
	// P is the one-sided p-value: P(X ≥ n) for a spike, P(X ≤ n) for a drop
	// (under the dispersion variant, the normal tail of z).
	P float64
	// Spike and Drop are the flags.
	Spike, Drop bool
}

// Test runs the spike and the drop test on a count n with expectation
// lambda (before the floor). phi is the dispersion factor var/mean of the
// baseline's daily counts; it is only used by the dispersion variant and
// taken as at least 1.
func (t SpikeTest) Test(n int, lambda, phi float64) Verdict {
	raw := lambda
	lambda = math.Max(lambda, t.LambdaFloor)
	v := Verdict{Expected: lambda, Ratio: float64(n) / lambda}
	if t.Dispersion {
		phi = math.Max(phi, 1)
		z := (float64(n) - lambda) / math.Sqrt(phi*lambda)
		zc := -normalQuantile(t.Alpha)
		if float64(n) >= lambda {
			v.P = normalUpper(z)
		} else {
			v.P = normalUpper(-z)
		}
		v.Spike = n >= t.MinCount && float64(n) >= t.MinRatio*lambda && z >= zc
		v.Drop = raw >= t.DropMinExpected && float64(n) <= raw/t.MinRatio && -z >= zc
		return v
	}
	if float64(n) >= lambda {
		v.P = PoissonUpper(n, lambda)
		v.Spike = n >= t.MinCount && float64(n) >= t.MinRatio*lambda && v.P < t.Alpha
		return v
	}
	v.P = PoissonLower(n, raw)
	v.Drop = raw >= t.DropMinExpected && float64(n) <= raw/t.MinRatio && v.P < t.Alpha
	return v
}

// normalUpper is P(Z ≥ z) for a standard normal Z.
func normalUpper(z float64) float64 { return 0.5 * math.Erfc(z/math.Sqrt2) }

// normalQuantile is the z with P(Z ≤ z) = p.
func normalQuantile(p float64) float64 { return -math.Sqrt2 * math.Erfcinv(2*p) }

// Dispersion returns φ = var/mean of daily counts (population variance), or
// 1 when the mean is 0. Callers take max(1, φ).
func Dispersion(daily []int) float64 {
	if len(daily) == 0 {
		return 1
	}
	var sum float64
	for _, x := range daily {
		sum += float64(x)
	}
	mean := sum / float64(len(daily))
	if mean == 0 {
		return 1
	}
	var ss float64
	for _, x := range daily {
		d := float64(x) - mean
		ss += d * d
	}
	return ss / float64(len(daily)) / mean
}

// Median returns the median of xs (the mean of the two middle values for an
// even count), sorting xs in place; 0 for none.
func Median(xs []int64) float64 {
	if len(xs) == 0 {
		return 0
	}
	slices.Sort(xs)
	m := len(xs) / 2
	if len(xs)%2 == 1 {
		return float64(xs[m])
	}
	return (float64(xs[m-1]) + float64(xs[m])) / 2
}

// Percentile returns the nearest-rank q-quantile (0 < q ≤ 1) of sorted xs:
// the smallest value with at least q of the values at or below it.
func Percentile(sorted []int64, q float64) float64 {
	if len(sorted) == 0 {
		return 0
	}
	i := int(math.Ceil(q*float64(len(sorted)))) - 1
	i = min(max(i, 0), len(sorted)-1)
	return float64(sorted[i])
}
