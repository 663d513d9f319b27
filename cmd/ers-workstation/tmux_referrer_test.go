package main

import (
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/ers-workstation/ers-workstation/ersclient"
	"github.com/ers-workstation/ers-workstation/sandbox/cis2"
)

// TestTheReferrerBooksInARealTerminal runs the built binary in tmux as a
// referring clinician would: service search for a synthetic patient,
// shortlist the first directly bookable service, create the referral
// (confirmed with y), and from the referral it opens book the first slot.
func TestTheReferrerBooksInARealTerminal(t *testing.T) {
	x := startInTmux(t, "--persona "+cis2.PersonaReferrer)
	x.waitFor("the role picker", ersclient.ReferringClinician.Label(), cis2.ReferrerODS)
	x.keys("Enter")
	x.waitFor("the home screen", "What would you like to do?", "s  Service search")
	x.keys("s")
	x.waitFor("the search form", "NHS number")
	x.keys("Tab")
	x.text("9990000018") // a synthetic patient the simulator knows
	x.keys("Tab", "Enter")
	x.text("routine")
	x.keys("Enter", "BTab", "BTab", "Enter")
	results := x.waitFor("the results", "Results (", "Directly")
	// The grid's rows follow its header; the first directly bookable
	// appointment service is picked by moving down to it.
	lines := strings.Split(results, "\n")
	head := slices.IndexFunc(lines, func(l string) bool { return strings.Contains(l, "Service") && strings.Contains(l, "Booking") })
	row := -1
	for i, l := range lines[head+1:] {
		if strings.Contains(l, "Directly") && strings.Contains(l, "Appointment") {
			row = i
			break
		}
	}
	if head < 0 || row < 0 {
		t.Fatalf("no directly bookable appointment service in the results:\n%s", results)
	}
	for range row {
		x.keys("Down")
	}
	x.keys("Space")
	x.waitFor("the shortlist", "Shortlist 1 of 20")
	x.keys("c")
	x.waitFor("the create screen", "Create referral")
	x.keys("Enter")
	// The top bar names the screen too: the modal's yes line is its own.
	x.confirm("y Create referral")
	ref := x.waitFor("the referral", "UBRN")
	if !ubrnOnScreen.MatchString(ref) {
		t.Fatalf("the referral screen shows no UBRN:\n%s", ref)
	}
	x.keys("b")
	x.waitFor("the slots", "Service 1 of 1", "enter/b")
	x.keys("Enter") // the first slot, highlighted
	x.confirm("Book appointment?")
	// "Not Booked" holds "Booked": the toast and the state line do not.
	booked := x.waitFor("the booking", "Done: Booked", "State                 Booked")
	if !strings.Contains(booked, ubrnOnScreen.FindString(ref)) {
		t.Errorf("the booking does not name the referral:\n%s", booked)
	}
	x.keys("C-c")
}

var ubrnOnScreen = regexp.MustCompile(`UBRN\s+\d{12}`)
