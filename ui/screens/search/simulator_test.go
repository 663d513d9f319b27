package search

import (
	"context"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"

	"github.com/ers-workstation/ers-workstation/ersclient"
	"github.com/ers-workstation/ers-workstation/ui/screens/create"
	"github.com/ers-workstation/ers-workstation/ui/uitest"
	"github.com/ers-workstation/ers-workstation/ui/uitest/live"
)

// drive presses keys as a person would, running each key's commands to
// their end against the real gateway and simulator; it returns what was
// asked of the root.
func drive(m *Model, msgs ...tea.Msg) []tea.Msg {
	var toRoot []tea.Msg
	for _, msg := range msgs {
		_, cmd := m.Update(msg)
		toRoot = append(toRoot, live.Drive(m, cmd)...)
	}
	return toRoot
}

// TestSearchDetailsShortlistAndContinueAgainstTheSimulator signs the
// referring clinician in, searches by the keys, reads a service's details
// (A033, then A037 when it comes back to it), shortlists two services and
// continues; the shortlist and criteria handed on are then accepted by
// e-RS as a referral (A011), which is what the create screen will send.
func TestSearchDetailsShortlistAndContinueAgainstTheSimulator(t *testing.T) {
	env := live.Referrer(t)
	m := New(env.Common, env.Identity)
	m.SetSize(120, 40)
	live.Drive(m, m.Init())
	if err := m.refDataErr(); err != nil {
		t.Fatalf("reference data: %v", err)
	}
	drive(m, keys("tab")...)
	drive(m, uitest.Type(testNHS)...)
	drive(m, keys("tab", "enter")...)
	drive(m, typed("routine", "enter")...)
	drive(m, keys("shift+tab", "shift+tab", "enter")...)
	if m.searchErr != nil {
		t.Fatalf("search failed: %v", m.searchErr)
	}
	if m.found == nil || len(m.found.res.Services) < 2 {
		t.Fatalf("too few services found:\n%s", view(m))
	}
	drive(m, keys("i")...)
	first, _ := m.selected()
	if d, ok := m.details[first.ID]; !ok || d.ID == "" {
		t.Fatalf("no details for %s: %v\n%s", first.ID, m.detailErr, view(m))
	}
	drive(m, keys("space", "j", "space", "k")...)
	if m.detailErr != nil {
		t.Fatalf("revalidating the details: %v", m.detailErr)
	}
	if v := strings.Join(m.detailLines(120), "\n"); !strings.Contains(v, "From the directory of services") {
		t.Errorf("the directory's details are not in the pane:\n%s", v)
	}
	got := opens(drive(m, keys("c")...))
	if len(got) != 1 || got[0].Route != create.RouteName {
		t.Fatalf("continue asked %v", got)
	}
	req := got[0].Arg.(create.Request)
	if req.NHSNumber != testNHS || len(req.Services) != 2 {
		t.Fatalf("create request %+v", req)
	}
	var list []ersclient.ShortlistedService
	for _, s := range req.Services {
		list = append(list, ersclient.ShortlistedService{ID: s.ID, Name: s.Name})
	}
	ctx, cancel := context.WithTimeout(context.Background(), env.Common.Timeout)
	defer cancel()
	ref, err := env.ERS.CreateReferral(ctx, ersclient.CreateReferralRequest{NHSNumber: req.NHSNumber, Services: list,
		Criteria: req.Criteria, LetterIntention: ersclient.LetterToFollow, FirstReminderLetterFollowUpDays: 7})
	if err != nil {
		t.Fatalf("e-RS refused the shortlist handed on: %v", err)
	}
	if s := ref.Summary(); len(s.Shortlist) != 2 || s.Shortlist[0].ID != req.Services[0].ID {
		t.Fatalf("referral shortlist %+v", s.Shortlist)
	}

	// Changing that referral's shortlist starts from its criteria and
	// services, searching with its commissioning rule organisation.
	c := New(env.Common, Request{Referral: ref})
	c.SetSize(120, 40)
	live.Drive(c, c.Init())
	if c.searchErr != nil {
		t.Fatalf("the change search failed: %v", c.searchErr)
	}
	// The search is limited to what the referral's commissioning rule
	// organisation commissions, so a service may drop out: it must then be
	// named, not silently lost.
	if len(c.shortlist) == 0 || c.shortlist[0].ID != req.Services[0].ID {
		t.Fatalf("the referral's shortlist was not kept: %+v\n%s", c.shortlist, view(c))
	}
	for _, s := range req.Services {
		if c.listed(s.ID) < 0 && !strings.Contains(c.note.text, s.Name) {
			t.Errorf("%s left the shortlist without a word:\n%s", s.Name, view(c))
		}
	}
	if got := opens(drive(c, keys("enter")...)); len(got) != 1 || got[0].Arg.(create.Request).Referral != ref {
		t.Fatalf("continue asked %v", got)
	}
}

// TestAdviceSearchAgainstTheSimulator finds advice services and hands one
// on to a new A&G request.
func TestAdviceSearchAgainstTheSimulator(t *testing.T) {
	env := live.Referrer(t)
	m := New(env.Common, env.Identity)
	m.SetSize(120, 40)
	live.Drive(m, m.Init())
	drive(m, keys("space", "tab")...)
	drive(m, uitest.Type(testNHS)...)
	drive(m, keys("tab", "enter")...)
	drive(m, typed("routine", "enter")...)
	drive(m, keys("shift+tab", "shift+tab", "enter")...)
	if m.searchErr != nil || m.found == nil || len(m.found.res.Services) == 0 {
		t.Fatalf("advice search: %v\n%s", m.searchErr, view(m))
	}
	for _, s := range m.found.res.Services {
		if !s.Supports(ersclient.FlowAdviceAndGuidance) {
			t.Errorf("%s does not take advice requests", s.Name)
		}
	}
	drive(m, keys("space")...)
	if got := opens(drive(m, keys("enter")...)); len(got) != 1 || got[0].Route != "advice-new" {
		t.Fatalf("continue asked %v", got)
	}
}
