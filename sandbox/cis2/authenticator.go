package cis2

import "slices"

// Authenticator is a way of signing in to CIS2. It fixes the
// authentication assurance level and the amr claim of the session.
type Authenticator string

// The authenticators the mock offers (notes 7.1).
const (
	Smartcard Authenticator = "smartcard" // AAL3, amr ["N3_SMARTCARD"]
	FIDO2     Authenticator = "fido2"     // AAL3
	TOTP      Authenticator = "totp"      // AAL2
	Password  Authenticator = "password"  // AAL1
)

// AAL is the authentication assurance level the authenticator gives.
func (a Authenticator) AAL() int {
	switch a {
	case Smartcard, FIDO2:
		return 3
	case TOTP:
		return 2
	case Password:
		return 1
	}
	return 0
}

// AMR is the amr claim of a session signed in with a. N3_SMARTCARD is the
// value of the real fixture (notes 1.5); the others follow the names of the
// ACR values (AAL3_FIDO2, AAL2_TOTP, AAL1_USERPASS) and are not confirmed
// against a live token.
func (a Authenticator) AMR() []string {
	switch a {
	case Smartcard:
		return []string{"N3_SMARTCARD"}
	case FIDO2:
		return []string{"FIDO2"}
	case TOTP:
		return []string{"TOTP"}
	case Password:
		return []string{"USERPASS"}
	}
	return nil
}

// The ACR values the mock advertises and accepts (notes 1.3).
const (
	ACRAAL3Any       = "AAL3_ANY"
	ACRAAL2OrAAL3    = "AAL2_OR_AAL3_ANY"
	ACRAAL2Any       = "AAL2_ANY"
	ACRAAL1UserPass  = "AAL1_USERPASS"
	ACRAAL3Smartcard = "AAL3_N3_SMARTCARD"
	ACRAAL3FIDO2     = "AAL3_FIDO2"
	ACRAAL2TOTP      = "AAL2_TOTP"
)

// ACRValues lists the ACR values in the discovery document.
func ACRValues() []string {
	return []string{ACRAAL3Any, ACRAAL2OrAAL3, ACRAAL2Any, ACRAAL1UserPass, ACRAAL3Smartcard, ACRAAL3FIDO2, ACRAAL2TOTP}
}

// Satisfies reports whether signing in with a meets the ACR value acr.
// An unknown ACR value is satisfied by nothing.
func (a Authenticator) Satisfies(acr string) bool {
	switch acr {
	case ACRAAL3Any:
		return a.AAL() >= 3
	case ACRAAL2OrAAL3, ACRAAL2Any:
		return a.AAL() >= 2
	case ACRAAL1UserPass:
		return a.AAL() >= 1
	case ACRAAL3Smartcard:
		return a == Smartcard
	case ACRAAL3FIDO2:
		return a == FIDO2
	case ACRAAL2TOTP:
		return a == TOTP
	}
	return false
}

// DefaultACR is the acr claim of a session whose request named no ACR
// value: the broadest value the authenticator satisfies.
func (a Authenticator) DefaultACR() string {
	switch a.AAL() {
	case 3:
		return ACRAAL3Any
	case 2:
		return ACRAAL2Any
	}
	return ACRAAL1UserPass
}

// allows reports whether the persona may sign in with a.
func (p Persona) allows(a Authenticator) bool { return slices.Contains(p.Authenticators, a) }
