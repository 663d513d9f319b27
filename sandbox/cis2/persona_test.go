package cis2

import (
	"testing"
	"time"

	"github.com/ers-workstation/ers-workstation/sandbox/seed"
)

// The personas' organisations must carry the names e-RS gives them in a
// seeded simulator, whatever the seed, or the role picker (from A030) and
// the ID token would name one organisation twice.
func TestPersonaOrganisationsAreNamedAsTheSeedNamesThem(t *testing.T) {
	now := time.Date(2026, 11, 21, 9, 0, 0, 0, time.UTC)
	for _, s := range []int64{1, 2, 7} {
		st := seed.Synthetic(seed.SyntheticOptions{Seed: s, Referrals: 60, Services: 20, Now: now})
		for _, p := range Personas() {
			for _, o := range p.Orgs {
				org, ok := st.Orgs[o.Code]
				if !ok {
					t.Fatalf("seed %d: persona %s works at %s, which the seed does not have", s, p.Key, o.Code)
				}
				if o.Name != org.Name {
					t.Errorf("seed %d: persona %s names %s %q, e-RS names it %q", s, p.Key, o.Code, o.Name, org.Name)
				}
				if o.Name == o.Code {
					t.Errorf("persona %s: %s has no name of its own", p.Key, o.Code)
				}
			}
		}
	}
}
