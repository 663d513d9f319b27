package config

import (
	"strings"
	"testing"
)

// checkProblems fails unless err lists exactly the wanted problems, in order,
// each matched by a substring of its text. No wants means no error.
func checkProblems(t *testing.T, err error, want ...string) {
	t.Helper()
	if len(want) == 0 {
		if err != nil {
			t.Fatalf("got %v, want no problems", err)
		}
		return
	}
	ps := problemsOf(t, err)
	if len(ps) != len(want) {
		t.Fatalf("got %d problems, want %d:\n%v", len(ps), len(want), err)
	}
	for i, p := range ps {
		if !strings.Contains(p.String(), want[i]) {
			t.Errorf("problem %d is %q, want it to contain %q", i, p, want[i])
		}
	}
}
