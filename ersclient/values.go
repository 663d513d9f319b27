package ersclient

import (
	"strings"
	"time"
)

// Priority is a referral's clinical priority.
type Priority string

// The e-RS priorities (eRS-Priority-1).
const (
	PriorityRoutine     Priority = "ROUTINE"
	PriorityUrgent      Priority = "URGENT"
	PriorityTwoWeekWait Priority = "TWO_WEEK_WAIT"
)

// Label is the priority in capital words, as e-RS shows it.
func (p Priority) Label() string {
	switch p {
	case PriorityTwoWeekWait:
		return "TWO WEEK WAIT"
	case PriorityUrgent, PriorityRoutine:
		return string(p)
	}
	return strings.ReplaceAll(string(p), "_", " ")
}

// Rank orders priorities most urgent first (0), unknown last.
func (p Priority) Rank() int {
	switch p {
	case PriorityTwoWeekWait:
		return 0
	case PriorityUrgent:
		return 1
	case PriorityRoutine:
		return 2
	}
	return 3
}

// ValidNHSNumber reports whether s is ten digits with a valid modulus 11
// check digit.
func ValidNHSNumber(s string) bool {
	if len(s) != 10 {
		return false
	}
	sum := 0
	for i := 0; i < 10; i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return false
		}
		if i < 9 {
			sum += int(c-'0') * (10 - i)
		}
	}
	check := 11 - sum%11
	if check == 11 {
		check = 0
	}
	return check != 10 && check == int(s[9]-'0')
}

// FormatNHSNumber shows an NHS number as 3-3-4 digits ("999 123 4560");
// anything that is not ten digits is returned unchanged.
func FormatNHSNumber(s string) string {
	if len(s) != 10 {
		return s
	}
	for i := 0; i < 10; i++ {
		if s[i] < '0' || s[i] > '9' {
			return s
		}
	}
	return s[:3] + " " + s[3:6] + " " + s[6:]
}

// ParseFHIRTime reads a FHIR instant, dateTime or date ("2021-09-03",
// "2021-09-03T14:09:15.297Z"). It reports false for anything else.
func ParseFHIRTime(s string) (time.Time, bool) {
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05", "2006-01-02", "2006-01", "2006"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}
