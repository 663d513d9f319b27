package actions

import (
	"fmt"
	"os"
	"testing"

	"github.com/ers-workstation/ers-workstation/ersclient"
	"github.com/ers-workstation/ers-workstation/ui/screen"
	"github.com/ers-workstation/ers-workstation/ui/uitest"
)

func writeFile(path, text string) error { return os.WriteFile(path, []byte(text), 0o600) }

// forms are the screens drawn in goldens and across the size matrix.
func forms(t *testing.T) map[string]screen.Screen {
	t.Helper()
	out := map[string]screen.Screen{}
	out["accept"] = newAction(t, &uitest.FakeERS{}, Accept, referral(t, "5", "BOOKED", "", "TWO_WEEK_WAIT", "slot"))
	out["reject"] = newAction(t, &uitest.FakeERS{}, Reject, referral(t, "5", "BOOKED", "", "ROUTINE", "noslot"))
	out["review"] = newAction(t, &uitest.FakeERS{}, RecordReviewOutcome, referral(t, "5", "AWAITING_TRIAGE", "", "URGENT", ""))
	out["caal"] = newAction(t, &uitest.FakeERS{}, CancelAppointmentActionLater, referral(t, "5", "BOOKED", "", "ROUTINE", "slot"))
	out["cancel"] = newAction(t, &uitest.FakeERS{}, CancelReferral, referral(t, "5", "TRIAGED_PROVIDER_TO_ACTION", "", "ROUTINE", ""))

	f := &uitest.FakeERS{}
	f.Reject = func(ersclient.RejectReferralRequest) (*ersclient.Referral, error) {
		return nil, &ersclient.Error{Op: ersclient.OpRejectReferral, Kind: ersclient.KindAPI, Status: 409}
	}
	f.Referral = func(string) (*ersclient.Referral, error) {
		return referral(t, "6", "BOOKED", "", "URGENT", "slot"), nil
	}
	s := rejectReady(t, f, referral(t, "5", "BOOKED", "", "ROUTINE", "slot"))
	s, msgs := run(s, uitest.Key("enter"))
	s, _ = yes(s, confirmOf(t, msgs))
	out["conflict"] = s
	return out
}

func TestGoldenViews(t *testing.T) {
	for name, s := range forms(t) {
		for _, size := range [][2]int{{80, 24}, {120, 40}} {
			s.SetSize(size[0], size[1])
			uitest.Golden(t, fmt.Sprintf("%s_%dx%d", name, size[0], size[1]), s.View())
		}
	}
}

func TestEveryViewFillsTheSizeExactly(t *testing.T) {
	for name, s := range forms(t) {
		t.Run(name, func(t *testing.T) {
			for _, size := range uitest.Sizes() {
				s.SetSize(size.W, size.H)
				uitest.AssertFrame(t, s.View(), size.W, size.H)
			}
			// And with the focus on the last field, scrolled.
			s, _ = run(s, keys("tab", "tab", "tab", "tab", "tab", "tab")...)
			for _, size := range uitest.Sizes() {
				s.SetSize(size.W, size.H)
				uitest.AssertFrame(t, s.View(), size.W, size.H)
			}
		})
	}
	empty := New(uitest.Common(nil, nil), nil)
	for _, size := range uitest.Sizes() {
		empty.SetSize(size.W, size.H)
		uitest.AssertFrame(t, empty.View(), size.W, size.H)
	}
}
