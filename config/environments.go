package config

import (
	"fmt"
	"strings"
)

// Environment is one e-RS environment a gateway can talk to and a workstation can show.
type Environment struct {
	// Name is what configuration files use: "sandbox", "int", "production"
	// or "local".
	Name string
	// Label is the status-bar text: "SANDBOX", "INT" or "PRODUCTION" (local
	// is labelled SANDBOX: its data is as synthetic as the NHS sandbox's).
	Label string
	// ERSBaseURL is the e-RS FHIR base; operation paths (/STU3/..., /R4/...) go below it.
	ERSBaseURL string
	// APIMTokenURL is the NHS API Management token endpoint. Empty for sandbox:
	// the NHS sandbox is open access, with no APIM and no CIS2 of its own.
	APIMTokenURL string
	// CIS2Issuer is the NHS CIS2 OpenID issuer, used verbatim (it contains ":443"
	// and go-oidc compares it byte for byte). Empty for sandbox, as above.
	CIS2Issuer string
	// Simulated reports that CIS2 and APIM, where there are any, are
	// simulators with synthetic users (sandbox and local), so a gateway may
	// run there with in-memory keys, store and seal key, and the simulator's
	// registration as its defaults.
	Simulated bool
}

// environments returns a fresh copy of the table each call, so no caller can change it for another.
func environments() []Environment {
	return []Environment{
		{
			Name:       "sandbox",
			Label:      "SANDBOX",
			ERSBaseURL: "https://sandbox.api.service.nhs.uk/referrals/FHIR",
			Simulated:  true,
		},
		{
			Name:         "int",
			Label:        "INT",
			ERSBaseURL:   "https://int.api.service.nhs.uk/referrals/FHIR",
			APIMTokenURL: "https://int.api.service.nhs.uk/oauth2/token",
			CIS2Issuer:   "https://am.nhsint.auth-ptl.cis2.spineservices.nhs.uk:443/openam/oauth2/realms/root/realms/NHSIdentity/realms/Healthcare",
		},
		{
			Name:         "production",
			Label:        "PRODUCTION",
			ERSBaseURL:   "https://api.service.nhs.uk/referrals/FHIR",
			APIMTokenURL: "https://api.service.nhs.uk/oauth2/token",
			CIS2Issuer:   "https://am.nhsidentity.spineservices.nhs.uk:443/openam/oauth2/realms/root/realms/NHSIdentity/realms/Healthcare",
		},
		{
			// ers-sandbox on this machine with its defaults: e-RS, CIS2 and
			// APIM on one loopback origin. Last, so that the lists users
			// already know keep their order.
			Name:         "local",
			Label:        "SANDBOX",
			ERSBaseURL:   LocalOrigin + "/referrals/FHIR",
			APIMTokenURL: LocalOrigin + "/oauth2/token",
			CIS2Issuer:   LocalOrigin + "/openam/oauth2/realms/root/realms/NHSIdentity/realms/Healthcare",
			Simulated:    true,
		},
	}
}

// LocalOrigin is where ers-sandbox serves with no configuration (its
// default listen address), the origin of the local environment.
const LocalOrigin = "http://127.0.0.1:9000"

// Environments returns every known environment: sandbox, int, production,
// then local (the simulator on this machine).
func Environments() []Environment { return environments() }

// EnvironmentNames returns the names a configuration may use, in the order of Environments.
func EnvironmentNames() []string {
	envs := environments()
	names := make([]string, len(envs))
	for i, e := range envs {
		names[i] = e.Name
	}
	return names
}

// LookupEnvironment returns the environment with this exact name (lower case, as in a file).
func LookupEnvironment(name string) (Environment, error) {
	for _, e := range environments() {
		if e.Name == name {
			return e, nil
		}
	}
	return Environment{}, fmt.Errorf("environment %q is not known; use one of %s",
		name, strings.Join(EnvironmentNames(), ", "))
}
