package keys

import (
	"testing"
	"time"
)

func TestPublishedFromKID(t *testing.T) {
	end := time.Date(2026, 11, 21, 7, 31, 0, 0, time.UTC) // the end of the kid's minute
	cases := []struct {
		kid  string
		want time.Time
		ok   bool
	}{
		{"ers-gw-20261121T0730Z", end, true},
		{"ers-gw-20261121T0730Z-2", end, true},
		{"other-20261121T0730Z-12", end, true},
		{"prod-2026", time.Time{}, false},
		{"20261121T0730Z", time.Time{}, false},
		{"ers-gw-20261321T0730Z", time.Time{}, false},
	}
	for _, c := range cases {
		got, ok := publishedFromKID(c.kid)
		if ok != c.ok || !got.Equal(c.want) {
			t.Errorf("publishedFromKID(%q) = %v, %v; want %v, %v", c.kid, got, ok, c.want, c.ok)
		}
	}
}

func TestValidKID(t *testing.T) {
	for kid, want := range map[string]bool{
		"ers-gw-20261121T0730Z": true, "a.b_c-1": true,
		"": false, ".": false, "..": false, "a/b": false, "a b": false, "ü": false,
	} {
		if got := validKID(kid); got != want {
			t.Errorf("validKID(%q) = %v, want %v", kid, got, want)
		}
	}
}
