package seed

import "strconv"

// nhsNumbers hands out NHS numbers of the test range: "999", six digits
// and the modulus 11 check digit, skipping the bodies whose check digit
// would be 10 (about one in eleven). There are about 909,000. The bodies
// are spread over the range (k times a prime modulo a million, which visits
// every body once) rather than counted up, so that the age and sex the
// simulator derives from the digits vary from the first patient on.
type nhsNumbers struct{ next int }

// take returns the next unused number.
func (g *nhsNumbers) take() string {
	for {
		body := "999" + pad6((g.next*104_729+12_345)%1_000_000)
		g.next++
		if check, ok := nhsCheckDigit(body); ok {
			return body + strconv.Itoa(check)
		}
	}
}

// pad6 formats n with six digits.
func pad6(n int) string {
	s := strconv.Itoa(n)
	for len(s) < 6 {
		s = "0" + s
	}
	return s
}

// nhsCheckDigit is the modulus 11 check digit of the first nine digits of
// an NHS number; ok is false when it would be 10 (no valid number).
func nhsCheckDigit(nine string) (int, bool) {
	sum := 0
	for i := 0; i < 9; i++ {
		sum += int(nine[i]-'0') * (10 - i)
	}
	check := 11 - sum%11
	if check == 11 {
		check = 0
	}
	return check, check != 10
}
