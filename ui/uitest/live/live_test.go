package live

import (
	"context"
	"testing"

	"github.com/ers-workstation/ers-workstation/ersclient"
)

func TestEachSideIsSignedInAndReachesERSThroughTheGateway(t *testing.T) {
	for name, start := range map[string]func(testing.TB) *Env{
		"provider admin": ProviderAdmin, "provider clinician": ProviderClinician, "referrer": Referrer,
	} {
		t.Run(name, func(t *testing.T) {
			env := start(t)
			if env.Identity.Role == nil {
				t.Fatal("no role chosen")
			}
			list := ersclient.WorklistReferralsForReview
			if env.Identity.Role.BusinessFunction == string(ersclient.ReferringClinician) {
				list = ersclient.WorklistAwaitingBooking
			}
			wl, err := env.Common.ERS.RetrieveWorklist(context.Background(), ersclient.WorklistQuery{ListType: list})
			if err != nil {
				t.Fatal(err)
			}
			if len(wl.Rows) == 0 {
				t.Fatalf("the simulator's %s list is empty", list)
			}
		})
	}
}

func TestTwoUsersShareOneDemo(t *testing.T) {
	d := NewDemo(t, 0)
	referrer := SignIn(t, d, AsReferrer())
	provider := SignIn(t, d, AsProviderClinician())
	if referrer.Identity.UserID == provider.Identity.UserID {
		t.Fatalf("both signed in as %s", referrer.Identity.UserID)
	}
	if _, err := provider.ERS.RetrieveAdviceWorklist(context.Background(), ersclient.AdviceWorklistQuery{}); err != nil {
		t.Fatal(err)
	}
}
