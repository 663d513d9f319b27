package upstream

import (
	"encoding/json"
	"testing"
)

func TestAssuranceLevelsAreReadFromNumbersAndStrings(t *testing.T) {
	for raw, want := range map[string]int{
		`3`: 3, `"3"`: 3, `2`: 2, `" 2 "`: 2, `3.0`: 0, `"x"`: 0, `null`: 0, ``: 0, `-1`: 0, `true`: 0, `"10"`: 0,
	} {
		if got := level(json.RawMessage(raw)); got != want {
			t.Errorf("level(%s) = %d, want %d", raw, got, want)
		}
	}
}
