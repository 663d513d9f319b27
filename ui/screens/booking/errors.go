package booking

import (
	"errors"
	"strconv"
)

// errNoAppointment: the referral names no appointment to cancel.
var errNoAppointment = errors.New("the referral has no booked appointment to cancel")

func itoa(n int) string { return strconv.Itoa(n) }
