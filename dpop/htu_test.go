package dpop

import "testing"

func TestNormaliseHTU(t *testing.T) {
	same := []struct{ a, b string }{
		{"HTTPS://GW.EXAMPLE/v1/session", "https://gw.example/v1/session"},
		{"https://gw.example:443/v1/session", "https://gw.example/v1/session"},
		{"http://127.0.0.1:80/x", "http://127.0.0.1/x"},
		{"https://gw.example", "https://gw.example/"},
		{"https://gw.example/a?q=1#f", "https://gw.example/a"},
		{"https://gw.example/%7e%41", "https://gw.example/~A"},
		{"https://gw.example/a%2fb", "https://gw.example/a%2Fb"},
		{"http://[::1]:8080/callback", "http://[::1]:8080/callback"},
	}
	for _, c := range same {
		a, errA := normaliseHTU(c.a)
		b, errB := normaliseHTU(c.b)
		if errA != nil || errB != nil || a != b {
			t.Errorf("%s and %s should match: %q %v, %q %v", c.a, c.b, a, errA, b, errB)
		}
	}
	different := []struct{ a, b string }{
		{"https://gw.example/v1/Session", "https://gw.example/v1/session"}, // paths are case-sensitive
		{"https://gw.example:8443/x", "https://gw.example/x"},
		{"http://gw.example/x", "https://gw.example/x"},
		{"https://gw.example/a%2Fb", "https://gw.example/a/b"}, // an escaped slash is not a slash
		{"https://gw.example/a/../b", "https://gw.example/b"},  // dot segments are not resolved
		{"https://gw.example:80/x", "https://gw.example/x"},    // 80 is not https's default
	}
	for _, c := range different {
		a, _ := normaliseHTU(c.a)
		b, _ := normaliseHTU(c.b)
		if a == b {
			t.Errorf("%s and %s should differ, both %q", c.a, c.b, a)
		}
	}
	for _, bad := range []string{"", "/v1/session", "ftp://gw.example/x", "https://user:pw@gw.example/x", "https:///x", "mailto:a@b"} {
		if got, err := normaliseHTU(bad); err == nil {
			t.Errorf("%q accepted as %q", bad, got)
		}
	}
}
