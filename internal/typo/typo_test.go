package typo

import "testing"

func TestDistance(t *testing.T) {
	for _, c := range []struct {
		a, b string
		want int
	}{
		{"", "", 0},
		{"lang", "lang", 0},
		{"lnag", "lang", 2},
		{"db", "dbs", 1},
		{"summary", "sumary", 1},
		{"", "abc", 3},
		{"kitten", "sitting", 3},
	} {
		if got := Distance(c.a, c.b); got != c.want {
			t.Errorf("Distance(%q, %q) = %d, want %d", c.a, c.b, got, c.want)
		}
	}
}

func TestClosest(t *testing.T) {
	known := []string{"lang", "db", "summary", "sync", "labels"}
	for _, c := range []struct{ s, want string }{
		{"lnag", "lang"},
		{"sumary", "summary"},
		{"synk", "sync"},
		{"x", ""},     // one letter: any edit is more than half of it
		{"teams", ""}, // three edits from everything
		{"label", "labels"},
	} {
		if got := Closest(c.s, known); got != c.want {
			t.Errorf("Closest(%q) = %q, want %q", c.s, got, c.want)
		}
	}
}
