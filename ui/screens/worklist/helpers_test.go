package worklist

import (
	"fmt"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/ers-workstation/ers-workstation/ersclient"
	"github.com/ers-workstation/ers-workstation/session"
	"github.com/ers-workstation/ers-workstation/ui/screen"
	"github.com/ers-workstation/ers-workstation/ui/uitest"
)

func identity(bf string) session.Identity {
	return session.Identity{UserID: "555000000003", Name: "Pat Provider", Role: &session.Role{
		BusinessFunction: bf, ODS: "R1A", OrganisationName: "Example Hospital Trust"}}
}

// nhsNumber is a synthetic NHS number in the 999 test range with a valid
// check digit.
func nhsNumber(n int) string {
	for k := 0; ; k++ {
		s := fmt.Sprintf("999%06d", (n*10+k)%1000000)
		sum := 0
		for i := 0; i < 9; i++ {
			sum += int(s[i]-'0') * (10 - i)
		}
		if check := (11 - sum%11) % 11; check != 10 {
			return s + fmt.Sprint(check)
		}
	}
}

// reviewRows are n REFERRALS_FOR_REVIEW rows: UBRNs 000000100001..., one
// in three a two week wait, two services and specialties.
func reviewRows(n int) []ersclient.WorklistRow {
	start := time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC)
	prios := []ersclient.Priority{ersclient.PriorityRoutine, ersclient.PriorityUrgent, ersclient.PriorityTwoWeekWait}
	out := make([]ersclient.WorklistRow, n)
	for i := range out {
		out[i] = ersclient.WorklistRow{
			UBRN: fmt.Sprintf("%012d", 100001+i), Kind: ersclient.RequestKindReferral,
			ListType: ersclient.WorklistReferralsForReview, NHSNumber: nhsNumber(i + 1),
			Priority:      prios[i%3],
			SpecialtyCode: []string{"CARDIOLOGY", "DERMATOLOGY"}[i%2], SpecialtyDisplay: []string{"Cardiology", "Dermatology"}[i%2],
			ServiceID: []string{"1001", "1002"}[i%2], ServiceName: []string{"Cardiology OPD", "Skin clinic"}[i%2],
			ReferralType:         ersclient.ReferralTypeAppointment,
			PathwayStart:         start.AddDate(0, 0, i),
			RequestContextStatus: ersclient.ContextNeverReviewed,
			AllocatedClinician:   "555000000102",
			Version:              "3",
		}
	}
	return out
}

// fakeFor answers A008 and A023 from per-list rows, counting calls.
func fakeFor(lists map[ersclient.WorklistType][]ersclient.WorklistRow) *uitest.FakeERS {
	return &uitest.FakeERS{
		Worklist: func(q ersclient.WorklistQuery) (*ersclient.Worklist, error) {
			return &ersclient.Worklist{ListType: q.ListType, Rows: lists[q.ListType]}, nil
		},
		AdviceWorklist: func(q ersclient.AdviceWorklistQuery) (*ersclient.Worklist, error) {
			l := ersclient.WorklistAdviceAndGuidanceRequests
			return &ersclient.Worklist{ListType: l, Rows: lists[l]}, nil
		},
	}
}

func common(ers screen.ERS) screen.Common {
	c := uitest.Common(uitest.NewFakeAuth(), uitest.NewMemoryPrefs())
	c.ERS = ers
	return c
}

// started builds the screen at 120x40 and runs its Init.
func started(t *testing.T, ers screen.ERS, id session.Identity) *Model {
	t.Helper()
	m := New(common(ers), id)
	m.SetSize(120, 40)
	uitest.RunInit(screen.Screen(m), m.Init())
	return m
}

func run(m *Model, msgs ...tea.Msg) []tea.Msg {
	return uitest.Run(screen.Screen(m), msgs...).ToRoot()
}

func text(view string) string { return ansi.Strip(view) }

func selected(m *Model) string {
	_, v, _ := m.FocusedID()
	return v
}

func mustContain(t *testing.T, view string, wants ...string) {
	t.Helper()
	v := text(view)
	for _, w := range wants {
		if !strings.Contains(v, w) {
			t.Errorf("view lacks %q:\n%s", w, v)
		}
	}
}
