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
