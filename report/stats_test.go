package report

import (
	"fmt"
	"math"
	"math/big"
	"testing"
)

// oracleUpper computes P(X ≥ n) for X ~ Poisson(lambda) by another route
// than PoissonUpper: 1 − (Σ_{k<n} λ^k/k!) / (Σ_{k≥0} λ^k/k!) in 512-bit
// floating point, with e^λ summed as its own series, so neither e^−λ nor a
// tail sum is involved.
func oracleUpper(n int, lambda float64) float64 {
	const prec = 512
	l := new(big.Float).SetPrec(prec).SetFloat64(lambda)
	term := new(big.Float).SetPrec(prec).SetInt64(1)
	head := new(big.Float).SetPrec(prec)
	all := new(big.Float).SetPrec(prec)
	stop := int(lambda + 40*math.Sqrt(lambda) + 200)
	for k := 0; k < max(stop, n+1); k++ {
		if k > 0 {
			term.Mul(term, l)
			term.Quo(term, new(big.Float).SetPrec(prec).SetInt64(int64(k)))
		}
		if k < n {
			head.Add(head, term)
		}
		all.Add(all, term)
	}
	tail := new(big.Float).SetPrec(prec).Sub(all, head)
	p, _ := new(big.Float).Quo(tail, all).Float64()
	return p
}

func TestPoissonTailsAgreeWithTheOracle(t *testing.T) {
	cases := []struct {
		n      int
		lambda float64
	}{
		{0, 3}, {1, 0.5}, {5, 0.5}, {6, 1}, {5, 1}, {9, 2}, {8, 2}, {11, 3}, {14, 5},
		{22, 10}, {21, 10}, {36, 20}, {35, 20}, {75, 50}, {150, 100}, {300, 200},
		{3, 10}, {10, 10}, {60, 100}, {130, 100},
		{650, 699}, {760, 699}, // just below the direct limit
		{700, 701}, {760, 701}, {650, 701}, // just above it: log-space start
		{1000, 1000}, {1100, 1000}, {900, 1000}, {1200, 1000}, {5000, 5000}, {5300, 5000}, {4700, 5000},
	}
	for _, c := range cases {
		t.Run(fmt.Sprintf("P(X>=%d) at lambda %g matches", c.n, c.lambda), func(t *testing.T) {
			want := oracleUpper(c.n, c.lambda)
			got := PoissonUpper(c.n, c.lambda)
			if !close(got, want, 1e-9) {
				t.Errorf("PoissonUpper(%d, %g) = %.17g, oracle %.17g", c.n, c.lambda, got, want)
			}
			lower := PoissonLower(c.n-1, c.lambda)
			if !close(lower, 1-want, 1e-9) {
				t.Errorf("PoissonLower(%d, %g) = %.17g, oracle %.17g", c.n-1, c.lambda, lower, 1-want)
			}
		})
	}
}

// close compares with a relative tolerance, or an absolute one near zero.
func close(a, b, tol float64) bool {
	d := math.Abs(a - b)
	return d <= tol*math.Max(math.Abs(a), math.Abs(b)) || d < 1e-300
}

func TestPoissonTailsAtTheEdges(t *testing.T) {
	tests := []struct {
		name string
		got  float64
		want float64
	}{
		{"P(X>=0) is one", PoissonUpper(0, 4), 1},
		{"P(X>=-3) is one", PoissonUpper(-3, 4), 1},
		{"P(X>=1) at lambda 0 is zero", PoissonUpper(1, 0), 0},
		{"P(X<=-1) is zero", PoissonLower(-1, 4), 0},
		{"P(X<=0) at lambda 0 is one", PoissonLower(0, 0), 1},
		{"P(X<=0) is e^-lambda", PoissonLower(0, 2.5), math.Exp(-2.5)},
		{"a count far above a huge lambda has p zero, not NaN", PoissonUpper(20000, 5000), 0},
		{"a count far below a huge lambda has lower p zero", PoissonLower(100, 5000), 0},
		{"a huge count at a tiny lambda has p zero", PoissonUpper(100000, 1), 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if math.IsNaN(tt.got) || !close(tt.got, tt.want, 1e-12) {
				t.Errorf("got %.17g, want %.17g", tt.got, tt.want)
			}
		})
	}
}

// The test vectors of summary-metrics §3.1 item 5: with α = 0.001 and both
// guards, the smallest flagged count for each expected count.
func TestSpikeTestVectors(t *testing.T) {
	test := DefaultOptions().spikeTest()
	vectors := []struct {
		lambda   float64
		smallest int
	}{
		{0.5, 5}, {1, 6}, {2, 9}, {3, 11}, {5, 14}, {10, 22}, {20, 36}, {50, 75}, {100, 150}, {200, 300},
	}
	for _, v := range vectors {
		t.Run(fmt.Sprintf("at lambda %g the smallest flagged count is %d", v.lambda, v.smallest), func(t *testing.T) {
			if got := test.Test(v.smallest-1, v.lambda, 1); got.Spike {
				t.Errorf("n=%d flagged (p=%.3g), want not flagged", v.smallest-1, got.P)
			}
			for n := v.smallest; n < v.smallest+20; n++ {
				if got := test.Test(n, v.lambda, 1); !got.Spike {
					t.Errorf("n=%d not flagged (p=%.3g, ratio %.2f)", n, got.P, got.Ratio)
				}
			}
		})
	}
}

func TestSpikeGuards(t *testing.T) {
	test := DefaultOptions().spikeTest()
	t.Run("a brand-new reason is tested against the floor of 0.5", func(t *testing.T) {
		v := test.Test(5, 0, 1)
		if v.Expected != 0.5 || !v.Spike {
			t.Errorf("got %+v, want expected 0.5 and a spike", v)
		}
	})
	t.Run("four contacts never spike however unlikely", func(t *testing.T) {
		if v := test.Test(4, 0.01, 1); v.Spike {
			t.Errorf("got %+v", v)
		}
	})
	t.Run("from lambda 50 the ratio guard binds, not the p-value", func(t *testing.T) {
		v := test.Test(74, 50, 1)
		if v.Spike || v.P >= test.Alpha {
			t.Errorf("got %+v, want p below alpha but no spike", v)
		}
	})
	t.Run("a count below expectation is never a spike", func(t *testing.T) {
		if v := test.Test(3, 10, 1); v.Spike {
			t.Errorf("got %+v", v)
		}
	})
}

func TestDropFlag(t *testing.T) {
	test := DefaultOptions().spikeTest()
	tests := []struct {
		name   string
		n      int
		lambda float64
		drop   bool
	}{
		{"zero against 10 is a drop", 0, 10, true},
		{"zero against 9 is not tested", 0, 9, false},
		{"60 against 100 is a drop", 60, 100, true},
		{"67 against 100 is above λ/1.5", 67, 100, false},
		{"3 against 12 is not unlikely enough", 3, 12, false},
		{"2 against 12 is a drop", 2, 12, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := test.Test(tt.n, tt.lambda, 1)
			if v.Drop != tt.drop {
				t.Errorf("drop = %v (p=%.3g), want %v", v.Drop, v.P, tt.drop)
			}
			if v.Spike {
				t.Error("a drop candidate was flagged as a spike")
			}
		})
	}
}

func TestDispersionVariant(t *testing.T) {
	test := DefaultOptions().spikeTest()
	test.Dispersion = true
	t.Run("without overdispersion z must reach 3.09", func(t *testing.T) {
		// λ = 100: z = (n − 100)/10; 131 gives 3.1, 130 gives 3.0 — but
		// the ×1.5 guard needs 150.
		if v := test.Test(149, 100, 1); v.Spike {
			t.Errorf("149 flagged: %+v", v)
		}
		if v := test.Test(150, 100, 1); !v.Spike {
			t.Errorf("150 not flagged: %+v", v)
		}
	})
	t.Run("overdispersion widens the limit", func(t *testing.T) {
		// φ = 4: z = (n − 20)/√80; 36 gives 1.79, not flagged; 48 gives 3.13.
		if v := test.Test(36, 20, 4); v.Spike {
			t.Errorf("36 flagged: %+v", v)
		}
		if v := test.Test(48, 20, 4); !v.Spike {
			t.Errorf("48 not flagged: %+v", v)
		}
	})
	t.Run("phi below one counts as one", func(t *testing.T) {
		a, b := test.Test(36, 20, 0.2), test.Test(36, 20, 1)
		if a != b {
			t.Errorf("%+v != %+v", a, b)
		}
	})
}

func TestDispersionOfDailyCounts(t *testing.T) {
	tests := []struct {
		name  string
		daily []int
		want  float64
	}{
		{"no days is one", nil, 1},
		{"all zero is one", []int{0, 0, 0}, 1},
		{"constant counts have none", []int{4, 4, 4, 4}, 0},
		{"2 and 6 have variance 4 over mean 4", []int{2, 6}, 1},
		{"0 and 10 have variance 25 over mean 5", []int{0, 10}, 5},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Dispersion(tt.daily); got != tt.want {
				t.Errorf("got %g, want %g", got, tt.want)
			}
		})
	}
}

func TestMedianAndPercentile(t *testing.T) {
	tests := []struct {
		name   string
		xs     []int64
		median float64
		p90    float64
	}{
		{"none", nil, 0, 0},
		{"one value", []int64{7}, 7, 7},
		{"odd count", []int64{9, 1, 5}, 5, 9},
		{"even count averages the middle two", []int64{4, 1, 3, 10}, 3.5, 10},
		{"ten values: p90 is the ninth", []int64{10, 9, 8, 7, 6, 5, 4, 3, 2, 1}, 5.5, 9},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			xs := append([]int64(nil), tt.xs...)
			if got := Median(xs); got != tt.median {
				t.Errorf("median %g, want %g", got, tt.median)
			}
			if got := Percentile(xs, 0.9); got != tt.p90 {
				t.Errorf("p90 %g, want %g", got, tt.p90)
			}
		})
	}
}
