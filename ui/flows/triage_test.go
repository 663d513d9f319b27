package flows

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ers-workstation/ers-workstation/ersclient"
	"github.com/ers-workstation/ers-workstation/ui/screen"
	"github.com/ers-workstation/ers-workstation/ui/uitest/live"
)

// triage is one referral of the day and what the clinician does with it.
type triage struct {
	row    ersclient.WorklistRow
	action string // the referral screen's key
	// then: what e-RS says afterwards (A005)
	state string
}

// TestAClinicianTriagesFiveReferralsAndTheWorklistsFollow is issue 7's
// day: five referrals on REFERRALS_FOR_REVIEW are triaged through the real
// screens (worklist -> referral -> action form -> confirmation): two
// accepted, two rejected with a reason and a comment, one review outcome
// recorded with a file attached. Each change shows on the worklist at once,
// and after a refresh the lists and the referrals are what e-RS says.
//
// The simulator follows e-RS's roles: accept (A013), reject (A014) and
// review outcome (A028) are for SPC and SPCA only, and A029 does not serve
// the provider admin (SPA). So the clinician triages, and the provider
// admin, signed in to the same simulator, sees the result on their own
// worklist and has no action keys.
func TestAClinicianTriagesFiveReferralsAndTheWorklistsFollow(t *testing.T) {
	home := t.TempDir() // the file picker starts in the home folder
	t.Setenv("HOME", home)
	note := filepath.Join(home, "triage-note.txt")
	if err := os.WriteFile(note, []byte("Synthetic triage note: see in the urgent clinic."), 0o600); err != nil {
		t.Fatal(err)
	}
	d := live.NewDemo(t, 300) // enough for four booked and one awaiting triage on the review list
	clin := live.SignIn(t, d, live.AsProviderClinician())
	admin := live.SignIn(t, d, live.AsProviderAdmin())
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()

	desk := newDesk(t, clin)
	desk.calls(1)
	day := pickFive(t, ctx, clin.ERS)
	wl := desk.open(screen.Open{Route: "worklist", Arg: clin.Identity}, 3) // a list per tab
	_, total := counts(t, wl)

	for i, tr := range day {
		ubrn := tr.row.UBRN
		// Find it on the list as a person would: filter by its UBRN, open.
		press(wl, "/")
		typeText(wl, ubrn)
		press(wl, "enter")
		if shown, _ := counts(t, wl); shown != 1 {
			t.Fatalf("%s: filtered, %d rows shown; the screen:\n%s", ubrn, shown, view(wl))
		}
		open := mustFind[screen.Open](t, "open the referral", press(wl, "enter"), wl)
		ref := desk.open(open, 3) // A005, A038, A029
		if !strings.Contains(view(ref), ubrn) {
			t.Fatalf("the referral screen does not show %s:\n%s", ubrn, view(ref))
		}
		form := desk.open(mustFind[screen.Open](t, ubrn+": "+tr.action, press(ref, tr.action), ref), 1) // A004 reasons
		confirm := fill(t, form, tr.action)
		if !strings.Contains(confirm.Body, ersclient.FormatNHSNumber(tr.row.NHSNumber)) || !strings.Contains(confirm.Body, ubrn) {
			t.Errorf("%s: the confirmation names neither the patient nor the referral: %q", ubrn, confirm.Body)
		}
		desk.calls(3) // an upload, the write, and a read back if it must
		done := live.Drive(form, confirm.OnYes)
		changed := mustFind[screen.ReferralChanged](t, ubrn+": the write", done, form)
		mustFind[screen.Back](t, ubrn+": back after the write", done, form)

		// The broadcast reaches every screen on the stack at once.
		send(ref, changed)
		send(wl, changed)
		if got := changed.Referral.Summary().State.Code; got != tr.state {
			t.Errorf("%s: the write returned state %s, want %s", ubrn, got, tr.state)
		}
		if shown := changed.Referral.Summary().State.Display; shown == "" || !strings.Contains(view(ref), "State                 "+shown) {
			t.Errorf("%s: the referral screen does not show the state %q:\n%s", ubrn, shown, view(ref))
		}
		press(wl, "/", "esc") // clear the filter
		if shown, now := counts(t, wl); now != total-i-1 || shown != now {
			t.Errorf("%s: after the broadcast the list holds %d of %d, want %d", ubrn, shown, now, total-i-1)
		}
		if !strings.Contains(view(wl), changed.Action+" "+ubrn) {
			t.Errorf("%s: the worklist does not say what happened:\n%s", ubrn, view(wl))
		}
	}

	// After a refresh the list is what e-RS says: none of the five.
	desk.calls(1)
	press(wl, "r")
	if _, now := counts(t, wl); now != total-len(day) {
		t.Errorf("after a refresh the list holds %d, want %d", now, total-len(day))
	}
	for _, u := range []*live.Env{clin, admin} {
		wlist, err := u.ERS.RetrieveWorklist(ctx, ersclient.WorklistQuery{ListType: ersclient.WorklistReferralsForReview})
		if err != nil {
			t.Fatal(err)
		}
		for _, tr := range day {
			if slices.ContainsFunc(wlist.Rows, func(r ersclient.WorklistRow) bool { return r.UBRN == tr.row.UBRN }) {
				t.Errorf("%s is still on %s's REFERRALS_FOR_REVIEW", tr.row.UBRN, u.Identity.Role.BusinessFunction)
			}
		}
	}
	for _, tr := range day {
		r, err := clin.ERS.RetrieveReferral(ctx, tr.row.UBRN)
		if err != nil {
			t.Fatal(err)
		}
		if got := r.Summary().State.Code; got != tr.state {
			t.Errorf("%s (%s): e-RS says %s, want %s", tr.row.UBRN, tr.action, got, tr.state)
		}
	}

	// The provider admin sees the same list, and can act on none of it.
	adminDesk := newDesk(t, admin)
	awl := adminDesk.open(screen.Open{Route: "worklist", Arg: admin.Identity}, 3)
	if _, n := counts(t, awl); n != total-len(day) {
		t.Errorf("the admin's list holds %d, want %d", n, total-len(day))
	}
	open := mustFind[screen.Open](t, "the admin opens a referral", press(awl, "enter"), awl)
	aref := adminDesk.open(open, 3)
	for _, b := range aref.KeyMap().ShortHelp() {
		if b.Enabled() && slices.Contains([]string{"a", "x", "p", "v"}, b.Help().Key) {
			t.Errorf("the provider admin is offered %q (%s)", b.Help().Key, b.Help().Desc)
		}
	}
	if _, err := admin.ERS.AcceptReferral(ctx, open.Arg.(ersclient.WorklistRow).UBRN, open.Arg.(ersclient.WorklistRow).Version); !ersclient.IsForbidden(err) {
		t.Errorf("e-RS let the provider admin accept a referral: %v", err)
	}
}

// pickFive chooses the day's work from the review list: four booked
// referrals (accept two, reject two) and one for triage.
func pickFive(t *testing.T, ctx context.Context, ers *ersclient.Client) []triage {
	t.Helper()
	wl, err := ers.RetrieveWorklist(ctx, ersclient.WorklistQuery{ListType: ersclient.WorklistReferralsForReview})
	if err != nil {
		t.Fatal(err)
	}
	// TRIAGE_DEFERRAL rows are awaiting triage or deferred to the
	// provider: a review outcome applies to both.
	var booked, triaged []ersclient.WorklistRow
	for _, r := range wl.Rows {
		switch r.ReferralType {
		case ersclient.ReferralTypeAppointment:
			booked = append(booked, r)
		case ersclient.ReferralTypeTriageDeferral:
			triaged = append(triaged, r)
		}
	}
	if len(booked) < 4 || len(triaged) < 1 {
		t.Fatalf("the seed's review list has %d booked and %d awaiting triage; need 4 and 1 (%d rows)", len(booked), len(triaged), len(wl.Rows))
	}
	return []triage{
		{row: booked[0], action: "a", state: ersclient.ReferralStateBooked},
		{row: booked[1], action: "x", state: ersclient.ReferralStateRejected},
		{row: triaged[0], action: "v", state: ersclient.ReferralStateTriagedProviderToAction},
		{row: booked[2], action: "a", state: ersclient.ReferralStateBooked},
		{row: booked[3], action: "x", state: ersclient.ReferralStateRejected},
	}
}

// fill completes an action form by keys and returns its confirmation.
func fill(t *testing.T, form screen.Screen, action string) screen.Confirm {
	t.Helper()
	var out []any
	switch action {
	case "x": // the first reason offered, a comment, then on to send
		press(form, "enter")
		typeText(form, "Synthetic: not appropriate for this clinic, refer to community service.")
		press(form, "tab")
	case "v": // accept and book later, a comment, a file from the picker
		press(form, "enter")
		typeText(form, "Synthetic: book into the urgent clinic.")
		press(form, "tab", "tab") // past the priority, to the files
		press(form, "a", "enter")
		if !strings.Contains(view(form), "triage-note.txt") {
			t.Fatalf("the file chosen is not listed:\n%s", view(form))
		}
		press(form, "tab")
	}
	// enter answers what is left (the PAS question at an indirectly
	// bookable service) and then sends.
	for range 4 {
		msgs := press(form, "enter")
		if c, ok := find[screen.Confirm](msgs); ok {
			return c
		}
		for _, m := range msgs {
			out = append(out, m)
		}
	}
	t.Fatalf("%s: no confirmation (%v); the form:\n%s", action, out, view(form))
	return screen.Confirm{}
}
