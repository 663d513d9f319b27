package seed

import (
	"bytes"
	"fmt"
	"maps"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ers-workstation/ers-workstation/ersclient"
	"github.com/ers-workstation/ers-workstation/sandbox/refdata"
	"github.com/ers-workstation/ers-workstation/sandbox/store"
)

// testNow is the clock of the tests: fixed, so data sets are reproducible.
var testNow = time.Date(2026, 6, 1, 9, 0, 0, 0, time.UTC)

var ubrnPattern = regexp.MustCompile(`^[0-9]{12}$`)

// checkState fails the test for every broken reference or impossible record
// in a data set: what handlers rely on without checking.
func checkState(t *testing.T, st *store.State, now time.Time) {
	t.Helper()
	ref := refdata.Default()
	errorf := func(format string, args ...any) {
		t.Helper()
		t.Errorf(format, args...)
	}

	for id, u := range st.Users {
		if id != u.ID {
			errorf("user %s is filed under %s", u.ID, id)
		}
		for _, r := range u.Roles {
			if st.Orgs[r.Org] == nil {
				errorf("user %s has a role at unknown organisation %s", id, r.Org)
			}
			if r.ID == "" {
				errorf("user %s has a role without a PractitionerRole id", id)
			}
		}
		for org, ids := range u.OnBehalfOf {
			for _, c := range ids {
				if cu := st.Users[c]; cu == nil || !cu.Has(org, ersclient.ServiceProviderClinician) {
					errorf("user %s acts for %s, who is no clinician at %s", id, c, org)
				}
			}
		}
	}
	for id, a := range st.Apps {
		if id != a.ID || st.Orgs[a.ODS] == nil {
			errorf("app %s is misfiled or at an unknown organisation", id)
		}
	}

	for id, s := range st.Services {
		switch {
		case id != s.ID:
			errorf("service %s is filed under %s", s.ID, id)
		case st.Orgs[s.Org] == nil || st.Orgs[s.Org].Kind != store.OrgProvider:
			errorf("service %s belongs to %s, which is no provider", id, s.Org)
		case s.Flow != store.FlowBookable && s.Flow != store.FlowTriage && s.Flow != store.FlowAdvice:
			errorf("service %s has flow %q", id, s.Flow)
		case s.Flow == store.FlowBookable && s.Bookable != store.DirectlyBookable && s.Bookable != store.IndirectlyBookable:
			errorf("bookable service %s has bookable type %q", id, s.Bookable)
		case len(s.Priorities) == 0 || s.Version < 1 || !s.Active:
			errorf("service %s has no priorities, no version or is inactive", id)
		}
		if _, ok := ref.Lookup(refdata.Specialty, s.Specialty); !ok {
			errorf("service %s has unknown specialty %s", id, s.Specialty)
		}
		for _, c := range s.ClinicTypes {
			if _, ok := ref.Lookup(refdata.ClinicType, c); !ok {
				errorf("service %s has unknown clinic type %s", id, c)
			}
		}
		for _, c := range s.Clinicians {
			if st.Users[c] == nil {
				errorf("service %s names unknown clinician %s", id, c)
			}
		}
		if s.X == 0 && s.Y == 0 {
			errorf("service %s has no coordinates", id)
		}
	}

	indexed := map[string]int{}
	for svc, ids := range st.SlotsByService {
		var last time.Time
		for _, id := range ids {
			indexed[id]++
			s := st.Slots[id]
			switch {
			case s == nil:
				errorf("service %s lists unknown slot %s", svc, id)
				continue
			case s.ServiceID != svc:
				errorf("slot %s of service %s is listed under %s", id, s.ServiceID, svc)
			case s.Start.Before(last):
				errorf("slots of service %s are out of start order at %s", svc, id)
			case !s.End.After(s.Start):
				errorf("slot %s ends before it starts", id)
			}
			last = s.Start
		}
	}
	for id, s := range st.Slots {
		if id != s.ID || indexed[id] != 1 {
			errorf("slot %s is misfiled or indexed %d times", id, indexed[id])
		}
		if st.Services[s.ServiceID] == nil {
			errorf("slot %s is at unknown service %s", id, s.ServiceID)
		}
	}

	for id, a := range st.Appointments {
		r := st.Referrals[a.UBRN]
		switch {
		case id != a.ID:
			errorf("appointment %s is filed under %s", a.ID, id)
		case r == nil:
			errorf("appointment %s is of unknown referral %s", id, a.UBRN)
		case st.Services[a.ServiceID] == nil:
			errorf("appointment %s is at unknown service %s", id, a.ServiceID)
		case a.Version < 1:
			errorf("appointment %s has no version", id)
		}
		if a.SlotID != "" {
			if s := st.Slots[a.SlotID]; s == nil {
				errorf("appointment %s holds unknown slot %s", id, a.SlotID)
			} else if (a.Status == "booked" || a.Status == "noshow") && s.Free {
				errorf("appointment %s is %s in slot %s, which is free", id, a.Status, s.ID)
			}
		}
	}

	for id, r := range st.Referrals {
		checkReferral(t, st, id, r, now)
	}

	for id, a := range st.Advice {
		switch {
		case id != a.UBRN || !ubrnPattern.MatchString(id):
			errorf("advice %s is misfiled", id)
		case st.Services[a.ServiceID] == nil || st.Services[a.ServiceID].Flow != store.FlowAdvice:
			errorf("advice %s is at %s, which is no advice service", id, a.ServiceID)
		case !ersclient.ValidNHSNumber(a.NHSNumber):
			errorf("advice %s has invalid NHS number %s", id, a.NHSNumber)
		case len(a.Messages) == 0 || a.Version < 1:
			errorf("advice %s has no messages or no version", id)
		case !strings.HasPrefix(a.RequestID, "a."):
			errorf("advice %s has request id %s", id, a.RequestID)
		case a.Converted && (st.Referrals[id] == nil || !st.Referrals[id].FromAdvice):
			errorf("advice %s is converted but no referral came from it", id)
		}
		for _, m := range a.Messages {
			if st.Users[m.SenderID] == nil || m.Sent.After(now) {
				errorf("advice %s message %s is from unknown %s or sent in the future", id, m.ID, m.SenderID)
			}
			checkDocuments(t, st, "advice "+id, m.Documents)
		}
	}

	for id, b := range st.Binaries {
		switch {
		case id != b.ID || len(b.Data) == 0:
			errorf("file %s is misfiled or empty", id)
		case b.ContentType == "application/pdf" && !bytes.HasPrefix(b.Data, []byte("%PDF-")):
			errorf("file %s claims to be a PDF and is not", id)
		case b.ContentType == "image/png" && !bytes.HasPrefix(b.Data, []byte("\x89PNG")):
			errorf("file %s claims to be a PNG and is not", id)
		case !slices.Contains([]string{store.Available, store.Pending, store.ThreatsFound, store.ValidationFailed}, b.Availability):
			errorf("file %s has availability %q", id, b.Availability)
		}
	}
}

func checkReferral(t *testing.T, st *store.State, id string, r *store.Referral, now time.Time) {
	t.Helper()
	errorf := func(format string, args ...any) {
		t.Helper()
		t.Errorf("referral "+id+": "+format, args...)
	}
	switch {
	case id != r.UBRN || !ubrnPattern.MatchString(id):
		errorf("misfiled or malformed UBRN")
	case r.Version < 1:
		errorf("no version")
	case !ersclient.ValidNHSNumber(r.NHSNumber):
		errorf("invalid NHS number %s", r.NHSNumber)
	case !strings.HasPrefix(r.RequestID, "r."):
		errorf("request id %s", r.RequestID)
	case len(r.Shortlist) == 0 || len(r.Shortlist) > 20:
		errorf("shortlist of %d services", len(r.Shortlist))
	case len(r.History) == 0 || r.History[len(r.History)-1].State != r.State:
		errorf("history does not end in its state %s", r.State)
	case (r.Status == "cancelled") != (r.State == store.StateCancelledReferral):
		errorf("status %s in state %s", r.Status, r.State)
	case r.Created.After(now) || r.Updated.Before(r.Created):
		errorf("created %s, updated %s", r.Created, r.Updated)
	}
	if o := st.Orgs[r.ReferringOrg]; o == nil || o.Kind != store.OrgReferrer {
		errorf("referring organisation %s is no referrer", r.ReferringOrg)
	}
	if u := st.Users[r.ReferrerID]; u == nil || !u.Has(r.ReferringOrg, ersclient.ReferringClinician) {
		errorf("referrer %s is no referring clinician at %s", r.ReferrerID, r.ReferringOrg)
	}
	for _, s := range r.Shortlist {
		if st.Services[s] == nil {
			errorf("shortlists unknown service %s", s)
		}
	}
	for i := 1; i < len(r.History); i++ {
		if r.History[i].At.Before(r.History[i-1].At) {
			errorf("history goes back in time at %d", i)
		}
	}
	if r.State != store.StateNotBooked && st.Services[r.ServiceID] == nil {
		errorf("%s at unknown service %q", r.State, r.ServiceID)
	}
	if r.AppointmentID != "" {
		a := st.Appointments[r.AppointmentID]
		switch {
		case a == nil:
			errorf("unknown appointment %s", r.AppointmentID)
		case a.UBRN != r.UBRN || a.ServiceID != r.ServiceID:
			errorf("appointment %s is of %s at %s", a.ID, a.UBRN, a.ServiceID)
		case r.State == store.StateBooked && a.Status != "booked":
			errorf("booked, but appointment %s is %s", a.ID, a.Status)
		}
	} else if r.State == store.StateBooked || r.State == store.StateDeferredToProvider || r.State == store.StateAwaitingTriage {
		errorf("%s without an appointment", r.State)
	}
	checkDocuments(t, st, "referral "+id, r.Documents)
}

func checkDocuments(t *testing.T, st *store.State, what string, docs []store.Document) {
	t.Helper()
	seen := map[string]bool{}
	for _, d := range docs {
		if st.Binaries[d.BinaryID] == nil {
			t.Errorf("%s: document %s names unknown file %s", what, d.ID, d.BinaryID)
		}
		if seen[d.ID] || d.ID == "" {
			t.Errorf("%s: document id %q is empty or repeated", what, d.ID)
		}
		seen[d.ID] = true
	}
}

func TestTheExamplesDataSetIsConsistent(t *testing.T) {
	for _, now := range []time.Time{testNow, time.Date(2024, 6, 1, 9, 0, 0, 0, time.UTC)} {
		t.Run(now.Format("2006-01-02"), func(t *testing.T) { checkState(t, Examples(now), now) })
	}
}

func TestTheSyntheticDataSetIsConsistent(t *testing.T) {
	for _, opts := range []SyntheticOptions{
		{Seed: 1, Referrals: 2000, Now: testNow},
		{Seed: 2, Referrals: 50, Services: 3, Now: testNow},
		{Seed: 3, Referrals: 5000, Services: 400, Now: testNow},
	} {
		st := Synthetic(opts)
		checkState(t, st, testNow)
		if len(st.Referrals) != opts.Referrals {
			t.Errorf("seed %d made %d referrals, want %d", opts.Seed, len(st.Referrals), opts.Referrals)
		}
	}
}

func TestTheSameSeedGivesTheSameDataAndAnotherSeedOther(t *testing.T) {
	opts := SyntheticOptions{Seed: 42, Referrals: 3000, Services: 120, Now: testNow}
	a, b := Synthetic(opts), Synthetic(opts)
	if diff := stateDiff(a, b); diff != "" {
		t.Fatalf("two data sets of seed 42 differ: %s", diff)
	}
	opts.Seed = 43
	if stateDiff(a, Synthetic(opts)) == "" {
		t.Error("seeds 42 and 43 made the same data set")
	}
}

func TestSyntheticDataFillsEveryStateCategoryAndAvailability(t *testing.T) {
	st := Synthetic(SyntheticOptions{Seed: 7, Referrals: 3000, Now: testNow})
	states := map[string]int{}
	lettersOutstanding, converted, related, additional := 0, 0, 0, 0
	for _, r := range st.Referrals {
		states[r.State]++
		if r.LetterIntention == "NEED_TO_ADD_LATER" && !slices.ContainsFunc(r.Documents, func(d store.Document) bool { return d.Type == "REFERRER" }) {
			lettersOutstanding++
		}
		if r.FromAdvice {
			converted++
		}
		if len(r.RelatedUBRNs) > 0 {
			related++
		}
		if len(r.AdditionalRequirements) > 0 {
			additional++
		}
		if !strings.HasPrefix(r.NHSNumber, "999") {
			t.Errorf("referral %s has NHS number %s, outside the 999 test range", r.UBRN, r.NHSNumber)
		}
	}
	for _, m := range stateMix {
		if states[m.state] == 0 {
			t.Errorf("no referral is %s", m.state)
		}
	}
	if lettersOutstanding == 0 || converted == 0 || related == 0 || additional == 0 {
		t.Errorf("letters outstanding %d, converted %d, related %d, with additional requirements %d: want some of each",
			lettersOutstanding, converted, related, additional)
	}

	categories := map[string]int{}
	longest := 0
	for _, a := range st.Advice {
		categories[a.Category]++
		longest = max(longest, len(a.Messages))
	}
	for _, m := range adviceMix {
		if categories[m.category] == 0 {
			t.Errorf("no advice request is %s", m.category)
		}
	}
	if longest < 4 {
		t.Errorf("the longest conversation has %d messages, want several turns", longest)
	}

	availability := map[string]int{}
	for _, b := range st.Binaries {
		availability[b.Availability]++
	}
	for _, a := range []string{store.Available, store.Pending, store.ThreatsFound, store.ValidationFailed} {
		if availability[a] == 0 {
			t.Errorf("no file is %s", a)
		}
	}

	roles := map[ersclient.BusinessFunction]int{}
	for _, u := range st.Users {
		for _, r := range u.Roles {
			roles[r.BusinessFunction]++
		}
	}
	for _, bf := range []ersclient.BusinessFunction{ersclient.ReferringClinician, ersclient.ReferringClinicianAdmin, ersclient.ReferringAdmin,
		ersclient.ServiceProviderClinician, ersclient.ServiceProviderAdmin, ersclient.ServiceProviderClinicianAdmin} {
		if roles[bf] < 2 {
			t.Errorf("%d users are %s, want several", roles[bf], bf)
		}
	}

	free := 0
	for _, s := range st.Slots {
		if s.Free && s.Start.After(testNow) {
			free++
			if s.Start.After(testNow.AddDate(0, 0, 7*slotWeeks+1)) {
				t.Errorf("free slot %s starts %s, beyond six weeks", s.ID, s.Start)
			}
		}
	}
	if free == 0 {
		t.Error("no free slots")
	}
}

func TestNHSNumbersAreValidUniqueAndInTheTestRange(t *testing.T) {
	var g nhsNumbers
	seen := map[string]bool{}
	for range 100_000 {
		n := g.take()
		if !ersclient.ValidNHSNumber(n) || !strings.HasPrefix(n, "999") || seen[n] {
			t.Fatalf("number %s is invalid, outside 999 or repeated", n)
		}
		seen[n] = true
	}
}

func TestEachExamplesCallGivesAFreshWorld(t *testing.T) {
	a, b := Examples(testNow), Examples(testNow)
	a.Referrals["000000070000"].State = store.StateBooked
	a.Slots["11000021"].Free = false
	if b.Referrals["000000070000"].State != store.StateNotBooked || !b.Slots["11000021"].Free {
		t.Error("changing one examples data set changed another")
	}
}

func BenchmarkSynthetic100000(b *testing.B) {
	for b.Loop() {
		st := Synthetic(SyntheticOptions{Seed: 1, Referrals: 100_000, Now: testNow})
		if len(st.Referrals) != 100_000 {
			b.Fatalf("%d referrals", len(st.Referrals))
		}
	}
}

// stateDiff describes the first difference between two states, or "" when
// they hold the same records.
func stateDiff(a, b *store.State) string {
	if d := mapDiff("organisation", a.Orgs, b.Orgs); d != "" {
		return d
	}
	if d := mapDiff("user", a.Users, b.Users); d != "" {
		return d
	}
	if d := mapDiff("app", a.Apps, b.Apps); d != "" {
		return d
	}
	if d := mapDiff("service", a.Services, b.Services); d != "" {
		return d
	}
	if d := mapDiff("slot", a.Slots, b.Slots); d != "" {
		return d
	}
	if d := mapDiff("appointment", a.Appointments, b.Appointments); d != "" {
		return d
	}
	if d := mapDiff("referral", a.Referrals, b.Referrals); d != "" {
		return d
	}
	if d := mapDiff("advice", a.Advice, b.Advice); d != "" {
		return d
	}
	if d := mapDiff("file", a.Binaries, b.Binaries); d != "" {
		return d
	}
	if d := mapDiff("slot index", a.SlotsByService, b.SlotsByService); d != "" {
		return d
	}
	if a.NextUBRN != b.NextUBRN || a.NextAppointment != b.NextAppointment || a.NextMessage != b.NextMessage || a.NextDocument != b.NextDocument {
		return "the id counters differ"
	}
	return ""
}

func mapDiff[V any](what string, a, b map[string]V) string {
	if len(a) != len(b) {
		return fmt.Sprintf("%d %ss against %d", len(a), what, len(b))
	}
	keys := slices.Sorted(maps.Keys(a))
	for _, k := range keys {
		w, ok := b[k]
		if !ok {
			return fmt.Sprintf("%s %s is only in the first", what, k)
		}
		if !reflect.DeepEqual(a[k], w) {
			return fmt.Sprintf("%s %s differs", what, k)
		}
	}
	return ""
}
