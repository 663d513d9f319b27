package ersclient

import "testing"

func TestNHSNumbers(t *testing.T) {
	cases := []struct {
		in        string
		valid     bool
		formatted string
	}{
		{"9434765919", true, "943 476 5919"},
		{"9990000018", true, "999 000 0018"},
		{"9434765918", false, "943 476 5918"},
		{"943476591", false, "943476591"},
		{"94347659a9", false, "94347659a9"},
		{"", false, ""},
	}
	for _, c := range cases {
		t.Run(c.in, func(t *testing.T) {
			if got := ValidNHSNumber(c.in); got != c.valid {
				t.Errorf("ValidNHSNumber(%q) = %v, want %v", c.in, got, c.valid)
			}
			if got := FormatNHSNumber(c.in); got != c.formatted {
				t.Errorf("FormatNHSNumber(%q) = %q, want %q", c.in, got, c.formatted)
			}
		})
	}
}

func TestPriorityLabelsAreWords(t *testing.T) {
	if got := PriorityTwoWeekWait.Label(); got != "TWO WEEK WAIT" {
		t.Errorf("two week wait label = %q", got)
	}
	if PriorityTwoWeekWait.Rank() >= PriorityUrgent.Rank() || PriorityUrgent.Rank() >= PriorityRoutine.Rank() {
		t.Error("priorities do not rank most urgent first")
	}
}
