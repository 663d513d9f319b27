// Package letters maintains a referral's letters: files uploaded (A020) and
// set as the referral's whole set (A012), and the patient letter (A019).
package letters

import "github.com/ers-workstation/ers-workstation/ersclient"

// RouteName is the letters screen's route.
const RouteName = "letters"

// Request is the "letters" route's Open arg.
type Request struct {
	// Referral is the referral as last read; its Version is sent as
	// If-Match with A012.
	Referral *ersclient.Referral
	// PatientLetter starts generating the patient letter (A019) as the
	// screen opens: the referral screen's patient letter key.
	PatientLetter bool
}
