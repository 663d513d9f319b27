package create_test

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"testing"

	tea "charm.land/bubbletea/v2"

	"github.com/ers-workstation/ers-workstation/ersclient"
	"github.com/ers-workstation/ers-workstation/ui/screen"
	"github.com/ers-workstation/ers-workstation/ui/screens/create"
	"github.com/ers-workstation/ers-workstation/ui/screens/letters"
	"github.com/ers-workstation/ers-workstation/ui/uitest"
	"github.com/ers-workstation/ers-workstation/ui/uitest/live"
)

// The referrer's journey against the simulator through the real gateway:
// two services found by A010, a referral created from them on the create
// screen, a letter uploaded and set on the letters screen, and the
// patient letter asked for.
func TestAReferrerCreatesAReferralAndSetsItsLetterOnTheSimulator(t *testing.T) {
	env := live.Referrer(t)
	ctx := context.Background()
	const patient = "9990000018"
	found, err := env.ERS.SearchServicesForPatient(ctx, ersclient.ServiceSearch{NHSNumber: patient,
		RequestType: ersclient.RequestAppointment,
		Criteria:    ersclient.SearchCriteria{Priority: ersclient.PriorityCoding(ersclient.PriorityRoutine)}})
	if err != nil {
		t.Fatal(err)
	}
	var two []ersclient.ServiceResult
	for _, s := range found.Services {
		if slices.Contains(s.RequestFlowTypes, "APPOINTMENT_REQUEST") && len(two) < 2 {
			two = append(two, s)
		}
	}
	if len(two) < 2 {
		t.Fatalf("the seed has %d appointment services for the patient: %+v", len(two), found.Services)
	}

	form := create.New(env.Common, create.Request{NHSNumber: patient, Criteria: found.Criteria, Services: two})
	form.SetSize(120, 40)
	ubrn := openedUBRN(t, confirmAndDrive(t, form, uitest.Key("enter")))
	ref, err := env.ERS.RetrieveReferral(ctx, ubrn)
	if err != nil {
		t.Fatal(err)
	}
	s := ref.Summary()
	if s.NHSNumber != patient || len(s.Shortlist) != 2 || s.Shortlist[0].ID != two[0].ID || s.Shortlist[1].ID != two[1].ID {
		t.Fatalf("e-RS has %+v, want the patient and both services in order", s)
	}

	// The letter, from a folder the picker starts in.
	home := t.TempDir()
	if err := os.WriteFile(filepath.Join(home, "gp-letter.txt"), []byte("Synthetic referral letter."), 0o600); err != nil {
		t.Fatal(err)
	}
	ls := letters.NewWithHome(env.Common, letters.Request{Referral: ref}, func() (string, error) { return home, nil })
	ls.SetSize(120, 40)
	uitest.Run(screen.Screen(ls), uitest.Keys("a")...)
	live.Drive(ls, nil)
	uitest.Run(screen.Screen(ls), uitest.Keys("enter")...)
	if !ls.Dirty() {
		t.Fatalf("the letter was not chosen:\n%s", ls.View())
	}
	confirmAndDrive(t, ls, uitest.Key("s"))
	after, err := env.ERS.RetrieveReferral(ctx, ubrn)
	if err != nil {
		t.Fatal(err)
	}
	if got := ersclient.LettersOnReferral(after.Resource); len(got) != 1 || got[0].Description != "gp-letter.txt" {
		t.Fatalf("letters on the referral = %+v, want the one uploaded\n%s", got, ls.View())
	}

	live.Drive(ls, func() tea.Msg { return uitest.Key("P") })
	if path := ls.PatientLetterPath(); path != "" {
		if info, err := os.Stat(path); err != nil || info.Mode().Perm() != 0o600 {
			t.Errorf("patient letter at %s: %v", path, err)
		}
	} else if !ls.NoAccessCode() {
		t.Errorf("no patient letter and no NO_ACCESS_CODE explanation:\n%s", ls.View())
	}
}

// confirmAndDrive presses key, confirms what it asks and runs the write
// to its end; it returns what went to the root.
func confirmAndDrive(t *testing.T, s screen.Screen, k tea.KeyPressMsg) []tea.Msg {
	t.Helper()
	for _, msg := range live.Drive(s, func() tea.Msg { return k }) {
		if c, ok := msg.(screen.Confirm); ok {
			return live.Drive(s, c.OnYes)
		}
	}
	t.Fatalf("%s asked nothing:\n%s", k, s.View())
	return nil
}

func openedUBRN(t *testing.T, msgs []tea.Msg) string {
	t.Helper()
	for _, m := range msgs {
		if o, ok := m.(screen.Open); ok && o.Route == "referral" {
			if u, ok := o.Arg.(string); ok && u != "" {
				return u
			}
		}
	}
	t.Fatalf("no referral opened: %#v", msgs)
	return ""
}
