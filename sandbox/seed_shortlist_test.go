package sandbox

import (
	"context"
	"maps"
	"slices"
	"testing"
	"time"

	"github.com/ers-workstation/ers-workstation/ersclient"
	"github.com/ers-workstation/ers-workstation/sandbox/seed"
	"github.com/ers-workstation/ers-workstation/sandbox/store"
)

// Every seeded referral whose referrer may change its shortlist (A029
// CHANGE_SHORTLIST) takes its own shortlist back through A031: read with
// A005 and resent unchanged, with its own criteria, as the workstation's
// rebook and change-shortlist screen do. A seed that shortlists a service
// its criteria exclude (another clinic type, a priority it does not take)
// is refused here with SHORTLISTED_SERVICE_NOT_IN_RESULTS.
func TestSeededReferralsTakeTheirOwnShortlistBack(t *testing.T) {
	synNow := time.Date(2026, 6, 1, 9, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		name  string
		now   time.Time
		state func() *store.State
	}{
		{"examples", exNow, func() *store.State { return seed.Examples(exNow) }},
		// The default size (1,000 referrals), as the simulator serves it.
		{"synthetic seed 1", synNow, func() *store.State { return seed.Synthetic(seed.SyntheticOptions{Seed: 1, Now: synNow}) }},
		{"synthetic seed 11", synNow, func() *store.State {
			return seed.Synthetic(seed.SyntheticOptions{Seed: 11, Referrals: 1500, Services: 80, Now: synNow})
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			now := tc.now
			st := store.New(tc.state, func() time.Time { return now })
			e := newTestEnvWith(t, st, Options{})
			type candidate struct {
				ubrn, referrer, org, letter string
				days                        int
			}
			var todo []candidate
			st.Read(func(s *store.State) error { //nolint:errcheck // the callback returns nil
				for _, u := range slices.Sorted(maps.Keys(s.Referrals)) {
					r := s.Referrals[u]
					if r.Status != "active" || !actionAllowed(r.State, ersclient.ReferringClinician, s.Services[r.ServiceID], actionChangeShortlist) {
						continue
					}
					todo = append(todo, candidate{r.UBRN, r.ReferrerID, r.ReferringOrg, r.LetterIntention, r.ReminderDays})
				}
				return nil
			})
			if len(todo) == 0 {
				t.Fatal("no seeded referral may have its shortlist changed")
			}
			ctx := context.Background()
			failed := 0
			for _, c := range todo {
				rc := e.client(c.referrer, ersclient.ReferringClinician, c.org, "")
				ref, err := rc.RetrieveReferral(ctx, c.ubrn)
				if err != nil {
					t.Fatalf("read %s: %v", c.ubrn, err)
				}
				services, criteria, ok := ersclient.ReferralShortlist(ref.Resource)
				if !ok {
					t.Errorf("referral %s shows no shortlist", c.ubrn)
					continue
				}
				_, err = rc.ChangeShortlist(ctx, ersclient.ChangeShortlistRequest{UBRN: c.ubrn, Version: ref.Version,
					Services: services, Criteria: criteria, LetterIntention: ersclient.LetterIntention(c.letter),
					FirstReminderLetterFollowUpDays: c.days})
				if err != nil {
					failed++
					if failed <= 10 {
						t.Errorf("referral %s: its own shortlist %v is refused: %v", c.ubrn, services, err)
					}
				}
			}
			if failed > 0 {
				t.Errorf("%d of %d referrals refuse their own shortlist", failed, len(todo))
			}
		})
	}
}
