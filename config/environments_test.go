package config

import (
	"reflect"
	"strings"
	"testing"
)

func TestEnvironments(t *testing.T) {
	tests := []struct {
		name  string
		label string
		base  string
		token string
	}{
		{"sandbox", "SANDBOX", "https://sandbox.api.service.nhs.uk/referrals/FHIR", ""},
		{"int", "INT", "https://int.api.service.nhs.uk/referrals/FHIR", "https://int.api.service.nhs.uk/oauth2/token"},
		{"production", "PRODUCTION", "https://api.service.nhs.uk/referrals/FHIR", "https://api.service.nhs.uk/oauth2/token"},
		{"local", "SANDBOX", "http://127.0.0.1:9000/referrals/FHIR", "http://127.0.0.1:9000/oauth2/token"},
	}
	for _, tt := range tests {
		t.Run(tt.name+" has its e-RS base URL, token URL and label", func(t *testing.T) {
			e, err := LookupEnvironment(tt.name)
			if err != nil {
				t.Fatal(err)
			}
			if e.Name != tt.name || e.Label != tt.label || e.ERSBaseURL != tt.base || e.APIMTokenURL != tt.token {
				t.Errorf("got %+v", e)
			}
		})
	}
	t.Run("int and production have CIS2 issuers with the explicit :443 kept verbatim", func(t *testing.T) {
		for _, name := range []string{"int", "production"} {
			e, _ := LookupEnvironment(name)
			if !strings.HasPrefix(e.CIS2Issuer, "https://") || !strings.Contains(e.CIS2Issuer, ".spineservices.nhs.uk:443/openam/") ||
				!strings.HasSuffix(e.CIS2Issuer, "/realms/NHSIdentity/realms/Healthcare") {
				t.Errorf("%s issuer %q", name, e.CIS2Issuer)
			}
		}
		i, _ := LookupEnvironment("int")
		p, _ := LookupEnvironment("production")
		if i.CIS2Issuer == p.CIS2Issuer {
			t.Error("int and production share an issuer")
		}
	})
	t.Run("local is ers-sandbox's default origin, its CIS2 issuer included", func(t *testing.T) {
		e, _ := LookupEnvironment("local")
		sim := DefaultSandbox()
		if e.CIS2Issuer != "http://"+sim.Listen+"/openam/oauth2/realms/root/realms/NHSIdentity/realms/Healthcare" {
			t.Errorf("local issuer %q is not on ers-sandbox's default listen address %s", e.CIS2Issuer, sim.Listen)
		}
	})
	t.Run("only local and sandbox are simulated", func(t *testing.T) {
		for _, e := range Environments() {
			if want := e.Name == "local" || e.Name == "sandbox"; e.Simulated != want {
				t.Errorf("%s: Simulated=%v", e.Name, e.Simulated)
			}
		}
	})
	t.Run("the names are listed sandbox first, then int and production, then local", func(t *testing.T) {
		if got := EnvironmentNames(); !reflect.DeepEqual(got, []string{"sandbox", "int", "production", "local"}) {
			t.Errorf("got %q", got)
		}
	})
	t.Run("an unknown name is an error listing the known ones", func(t *testing.T) {
		_, err := LookupEnvironment("INT")
		wantInError(t, err, `environment "INT" is not known; use one of sandbox, int, production, local`)
	})
	t.Run("changing a returned list does not change the table", func(t *testing.T) {
		Environments()[0].ERSBaseURL = "https://evil.example"
		if e, _ := LookupEnvironment("sandbox"); e.ERSBaseURL != "https://sandbox.api.service.nhs.uk/referrals/FHIR" {
			t.Errorf("table changed: %+v", e)
		}
	})
}
