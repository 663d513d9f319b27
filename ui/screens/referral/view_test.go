package referral

import (
	"errors"
	"testing"

	"github.com/ers-workstation/ers-workstation/ersclient"
	"github.com/ers-workstation/ers-workstation/ui/uitest"
)

// states builds the screen in each state worth drawing.
func states(t *testing.T) map[string]*Model {
	t.Helper()
	out := map[string]*Model{}
	w := newWorld(t)
	out["summary"], _ = opened(t, w, reviewRow())
	docs, _ := opened(t, w, ubrn)
	press(docs, "2", "enter")
	out["clinical"] = docs
	att, _ := opened(t, w, ubrn)
	press(att, "3", "j")
	out["attachments"] = att
	failed := newWorld(t)
	failed.refErr = &ersclient.Error{Op: ersclient.OpRetrieveReferral, Kind: ersclient.KindAPI, Status: 404,
		Code: "REFERRAL_NOT_FOUND", CorrelationID: "corr-404"}
	out["error"], _ = opened(t, failed, ubrn)
	loading := New(common(t, w.fake()), ubrn)
	loading.loading = true
	out["loading"] = loading
	noActions := newWorld(t)
	noActions.actErr = errors.New("connection reset")
	out["actions-error"], _ = opened(t, noActions, ubrn)
	return out
}

func TestEveryViewIsExactlyTheSize(t *testing.T) {
	for name, m := range states(t) {
		t.Run(name, func(t *testing.T) {
			for _, s := range append(uitest.Sizes(), uitest.SmallSizes()...) {
				m.SetSize(s.W, s.H)
				uitest.AssertFrame(t, m.View(), s.W, s.H)
			}
		})
	}
}

func TestGoldenViews(t *testing.T) {
	all := states(t)
	for _, name := range []string{"summary", "attachments", "error"} {
		for _, s := range []uitest.Size{{W: 80, H: 24}, {W: 120, H: 40}} {
			m := all[name]
			m.SetSize(s.W, s.H)
			uitest.Golden(t, name+"_"+itoa(s.W)+"x"+itoa(s.H), m.View())
		}
	}
}

func itoa(n int) string {
	const digits = "0123456789"
	if n < 10 {
		return digits[n : n+1]
	}
	return itoa(n/10) + digits[n%10:n%10+1]
}
