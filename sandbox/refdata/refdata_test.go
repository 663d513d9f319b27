package refdata

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ers-workstation/ers-workstation/ersclient"
)

func bfOf(s string) ersclient.BusinessFunction { return ersclient.BusinessFunction(s) }

func TestDefaultServesEveryCodeSystemTypeOfA004(t *testing.T) {
	s := Default()
	want := []string{Specialty, ClinicType, AppointmentCancellationReason, ReferralCancellationReason, AppointmentNonAttendance, Priority}
	if got := s.Types(); !slices.Equal(got, want) {
		t.Fatalf("Types() = %v, want %v", got, want)
	}
	for _, typ := range want {
		cs, ok := s.System(typ)
		if !ok || len(cs.Concepts) == 0 || cs.Name == "" || cs.Profile == "" || cs.Date.IsZero() {
			t.Errorf("%s: missing or incomplete code system", typ)
			continue
		}
		if len(cs.Properties) < 2 || cs.Properties[0].Code != PropEffectiveFrom || cs.Properties[1].Code != PropEffectiveTo {
			t.Errorf("%s: effectiveFrom and effectiveTo must be the first property definitions", typ)
		}
	}
	if _, ok := s.System("NOT-A-TYPE"); ok {
		t.Error("an unknown type was found")
	}
}

func TestEveryConceptIsWellFormed(t *testing.T) {
	s := Default()
	for _, typ := range s.Types() {
		cs, _ := s.System(typ)
		declared := map[string]bool{}
		for _, d := range cs.Properties {
			declared[d.Code] = true
			if d.Type == TypeCoding && d.System == "" {
				t.Errorf("%s: coding property %s has no system", typ, d.Code)
			}
		}
		seen := map[string]bool{}
		for _, c := range cs.Concepts {
			if seen[c.Code] {
				t.Errorf("%s: code %s appears twice", typ, c.Code)
			}
			seen[c.Code] = true
			if c.Code == "" || c.Display == "" || c.EffectiveFrom.IsZero() {
				t.Errorf("%s: %q lacks a code, display or effectiveFrom", typ, c.Code)
			}
			if c.Retired() && c.EffectiveTo.Before(c.EffectiveFrom) {
				t.Errorf("%s: %s ends before it starts", typ, c.Code)
			}
			for name := range c.Properties {
				if !declared[name] {
					t.Errorf("%s: %s carries undeclared property %s", typ, c.Code, name)
				}
			}
		}
	}
}

func TestSpecialtiesAreARealisticCurrentSetWithClinicTypes(t *testing.T) {
	s := Default()
	specs := s.Specialties()
	if len(specs) < 25 {
		t.Errorf("%d specialties in use, want about 25 or more", len(specs))
	}
	codes := make([]string, len(specs))
	for i, sp := range specs {
		codes[i] = sp.Code
		if sp.Retired() {
			t.Errorf("retired specialty %s is listed as in use", sp.Code)
		}
		cts := s.ClinicTypes(sp.Code)
		if len(cts) == 0 {
			t.Errorf("specialty %s has no clinic type in use", sp.Code)
		}
		for _, ct := range cts {
			if ct.Prop(PropSpecialty) != sp.Code || ct.Retired() {
				t.Errorf("clinic type %s listed under %s belongs to %s (retired: %v)", ct.Code, sp.Code, ct.Prop(PropSpecialty), ct.Retired())
			}
		}
	}
	if !slices.IsSorted(codes) {
		t.Errorf("specialties are not in code order: %v", codes)
	}
	for _, code := range []string{"CARDIOLOGY", "ALLERGY", "2WW"} {
		if !slices.Contains(codes, code) {
			t.Errorf("specialty %s is not in use", code)
		}
	}
	for _, retired := range []string{"ADULT_MENTAL_ILLNESS", "AUDIOLOGICAL_MEDICINE", "BONE_AND_MARROW_TRANSPLANTATION"} {
		if slices.Contains(codes, retired) {
			t.Errorf("retired specialty %s is listed as in use", retired)
		}
		if _, ok := s.Lookup(Specialty, retired); !ok {
			t.Errorf("retired specialty %s cannot be looked up for old records", retired)
		}
	}
	var cardio []string
	for _, ct := range s.ClinicTypes("CARDIOLOGY") {
		cardio = append(cardio, ct.Code)
	}
	for _, code := range []string{"CARDIOLOGY_GENERAL", "HEART_FAILURE"} {
		if !slices.Contains(cardio, code) {
			t.Errorf("clinic type %s is not under CARDIOLOGY: %v", code, cardio)
		}
	}
	if got := s.ClinicTypes("NOT_A_SPECIALTY"); len(got) != 0 {
		t.Errorf("an unknown specialty has clinic types %v", got)
	}
}

func TestEveryClinicTypeBelongsToAKnownSpecialty(t *testing.T) {
	s := Default()
	cs, _ := s.System(ClinicType)
	for _, ct := range cs.Concepts {
		if _, ok := s.Lookup(Specialty, ct.Prop(PropSpecialty)); !ok {
			t.Errorf("clinic type %s names unknown specialty %q", ct.Code, ct.Prop(PropSpecialty))
		}
	}
}

// TestTheCodesOfTheOfficialExamplesAreKnown lists every local code the
// official example requests and responses use (found by a search of the
// examples), so the examples data set never meets an unknown code.
func TestTheCodesOfTheOfficialExamplesAreKnown(t *testing.T) {
	s := Default()
	uses := map[string][]string{
		Specialty:  {"CARDIOLOGY", "2WW"},
		ClinicType: {"HEART_FAILURE"},
		AppointmentCancellationReason: {"FURTHER_INFORMATION_REQUIRED", "OTHER", "PATIENT_APPOINTMENT_CANCELLATION_OTHER",
			"PATIENT_HOLIDAY", "PATIENT_ILL", "SERVICE_INAPPROPRIATE"},
		ReferralCancellationReason: {"BOOKED_OUTSIDE_CAB", "INTEND_PRIVATE", "OUTPATIENT_SERVICE_NA", "PATIENT_REQUEST_CANCELLATION_OTHER",
			"RAISED_IN_ERROR", "REFERRER_CANCELLATION", "TREATMENT_NO_LONGER_REQUIRED"},
		Priority: {"ROUTINE", "URGENT", "TWO_WEEK_WAIT"},
	}
	for typ, codes := range uses {
		for _, code := range codes {
			if _, ok := s.Lookup(typ, code); !ok {
				t.Errorf("%s %s is used by the official examples but unknown", typ, code)
			}
		}
	}
	if _, ok := s.Lookup(AppointmentCancellationReason, "INTEND_PRIVATE"); ok {
		t.Error("INTEND_PRIVATE must not be an appointment cancellation reason: the A034 example CancellationInvalidReason relies on it")
	}
}

func TestDisplayFallsBackToTheCode(t *testing.T) {
	s := Default()
	if got := s.Display(Specialty, "CARDIOLOGY"); got != "Cardiology" {
		t.Errorf("Display(CARDIOLOGY) = %q", got)
	}
	if got := s.Display(Specialty, "MADE_UP"); got != "MADE_UP" {
		t.Errorf("Display(MADE_UP) = %q, want the code", got)
	}
	if got := s.Display("NO-SUCH-TYPE", "X"); got != "X" {
		t.Errorf("Display of an unknown type = %q, want the code", got)
	}
}

func TestConceptAccessors(t *testing.T) {
	c := concept("C", "d", "2020-01-01", "2021-01-01",
		prop("flag", "true"), prop("n", "7"), prop("bf", "A", "B"), prop("empty"))
	cases := []struct {
		name string
		ok   bool
	}{
		{"Prop returns the first value", c.Prop("bf") == "A"},
		{"Props returns every value", slices.Equal(c.Props("bf"), []string{"A", "B"})},
		{"Has finds a repeated value", c.Has("bf", "B") && !c.Has("bf", "C")},
		{"Bool reads true", c.Bool("flag")},
		{"Bool of an absent property is false", !c.Bool("absent")},
		{"Int reads digits", c.Int("n") == 7},
		{"Int of a non-number is 0", c.Int("bf") == 0},
		{"a property without values is left out", c.Props("empty") == nil},
		{"a concept is effective from its first instant", c.EffectiveAt(date("2020-01-01"))},
		{"a concept is not effective before it starts", !c.EffectiveAt(date("2019-12-31T23:59:59Z"))},
		{"a concept is not effective at its end", !c.EffectiveAt(date("2021-01-01"))},
		{"an open concept stays effective", concept("O", "o", "2020-01-01", "").EffectiveAt(date("2999-01-01"))},
	}
	for _, tc := range cases {
		if !tc.ok {
			t.Error(tc.name)
		}
	}
}

func TestBadTableDatesPanic(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("a malformed table date did not panic")
		}
	}()
	date("1 June 2004")
}

var now = time.Date(2026, 6, 1, 9, 0, 0, 0, time.UTC)

func TestAppointmentCancellationReasonRules(t *testing.T) {
	s := Default()
	const rc, rca, spc, spca = "REFERRING_CLINICIAN", "REFERRING_CLINICIAN_ADMIN", "SERVICE_PROVIDER_CLINICIAN", "SERVICE_PROVIDER_CLINICIAN_ADMIN"
	cases := []struct {
		name  string
		code  string
		usage string
		bf    string
		at    time.Time
		ok    bool
	}{
		{"a referrer cancels for the patient's illness", "PATIENT_ILL", UsageCancel, rc, now, true},
		{"a referrer admin cancels for the patient's holiday", "PATIENT_HOLIDAY", UsageCancel, rca, now, true},
		{"a provider may not use a cancellation reason", "PATIENT_ILL", UsageCancel, spc, now, false},
		{"a rejection reason cannot cancel an appointment", "SERVICE_INAPPROPRIATE", UsageCancel, rc, now, false},
		{"a provider rejects as an inappropriate service", "SERVICE_INAPPROPRIATE", UsageReject, spc, now, true},
		{"a clinician admin rejects for further information", "FURTHER_INFORMATION_REQUIRED", UsageReject, spca, now, true},
		{"a referrer may not use a rejection reason", "OTHER", UsageReject, rc, now, false},
		{"a cancellation reason cannot reject", "PATIENT_ILL", UsageReject, spc, now, false},
		{"a reason for the professional application only is refused", "CLINIC_CANCELLED", UsageCancel, rc, now, false},
		{"a referral cancellation reason is not an appointment one", "INTEND_PRIVATE", UsageCancel, rc, now, false},
		{"an unknown code is refused", "NOPE", UsageCancel, rc, now, false},
		{"a reason before it took effect is refused", "PATIENT_ILL", UsageCancel, rc, date("2004-05-31"), false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c, ok := s.AppointmentCancellationReason(tc.code, tc.usage, bfOf(tc.bf), tc.at)
			if ok != tc.ok || (ok && c.Code != tc.code) {
				t.Errorf("got (%s, %v), want ok=%v", c.Code, ok, tc.ok)
			}
		})
	}
	if c, _ := s.AppointmentCancellationReason("PATIENT_APPOINTMENT_CANCELLATION_OTHER", UsageCancel, bfOf(rc), now); !c.Bool(PropCommentIsMandatory) {
		t.Error("PATIENT_APPOINTMENT_CANCELLATION_OTHER must make the comment mandatory (A034 example CancellationReasonOnlyCommentMandatory)")
	}
	if c, _ := s.AppointmentCancellationReason("PATIENT_ILL", UsageCancel, bfOf(rc), now); c.Bool(PropCommentIsMandatory) {
		t.Error("PATIENT_ILL must not need a comment (A034 example MinimalCancellationReasonOnlyCommentNotMandatory)")
	}
}

func TestAppointmentCancellationReasonHonoursEffectiveTo(t *testing.T) {
	s := NewSet(&CodeSystem{Type: AppointmentCancellationReason, Concepts: []Concept{
		concept("OLD", "Old", "2004-06-01", "2020-01-01", prop(PropUsage, UsageCancel), prop(PropBusinessFunction, bfRC)),
	}})
	if _, ok := s.AppointmentCancellationReason("OLD", UsageCancel, bfOf(bfRC), date("2019-12-31")); !ok {
		t.Error("refused while effective")
	}
	if _, ok := s.AppointmentCancellationReason("OLD", UsageCancel, bfOf(bfRC), date("2020-01-01")); ok {
		t.Error("accepted after it ended")
	}
}

func TestReferralCancellationReasonRules(t *testing.T) {
	s := Default()
	const triaged, booked = "TRIAGED_PROVIDER_TO_ACTION", "BOOKED"
	cases := []struct {
		name    string
		code    string
		bf      string
		hasAppt bool
		state   string
		ok      bool
	}{
		{"a referrer cancels a referral raised in error", "RAISED_IN_ERROR", bfRC, false, "NOT_BOOKED", true},
		{"a referrer cancels a booked referral and its appointment", "REFERRER_CANCELLATION", bfRCA, true, booked, true},
		{"a provider may not use a referrer's reason", "RAISED_IN_ERROR", bfSPC, false, booked, false},
		{"a provider cancels a referral booked outside e-RS", "BOOKED_OUTSIDE_CAB", bfSPC, true, booked, true},
		{"a provider application cancels for a patient's death", "PATIENT_DIED", bfApp, true, booked, true},
		{"a referrer may not use a provider's reason", "BOOKED_OUTSIDE_CAB", bfRC, true, booked, false},
		{"a provider ending a triage uses an end-of-triage reason", "OUTPATIENT_SERVICE_NA", bfSPCA, false, triaged, true},
		{"a provider ending a triage may not use a patient reason", "INTEND_PRIVATE", bfSPC, false, triaged, false},
		{"outside triage a provider may not use an end-of-triage reason", "TRIAGE_ENDED", bfSPC, false, booked, false},
		{"outside triage a provider uses a patient reason", "INTEND_PRIVATE", bfSPC, true, booked, true},
		{"a reason that cannot cancel an appointment is refused when one exists", "BOOKED_CLINICAL_NEED", bfSPC, true, booked, false},
		{"a reason for the professional application only is refused", "PROVIDER_CANCELLATION", bfSPC, false, booked, false},
		{"an appointment cancellation reason is not a referral one", "PATIENT_ILL", bfRC, false, booked, false},
		{"a service provider admin holds no reason", "INTEND_PRIVATE", "SERVICE_PROVIDER_ADMIN", false, booked, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c, ok := s.ReferralCancellationReason(tc.code, bfOf(tc.bf), tc.hasAppt, tc.state, now)
			if ok != tc.ok || (ok && c.Code != tc.code) {
				t.Errorf("got (%s, %v), want ok=%v", c.Code, ok, tc.ok)
			}
		})
	}
	// A referrer with no appointment may use a reason that cannot cancel one.
	rs := NewSet(&CodeSystem{Type: ReferralCancellationReason, Concepts: []Concept{
		concept("NO_APPT", "n", since, "", prop(PropReferrerUsage, CancelReferralUsage), prop(PropBusinessFunction, bfRC), prop(PropCanCancelAppointment, "false")),
	}})
	if _, ok := rs.ReferralCancellationReason("NO_APPT", bfOf(bfRC), false, "NOT_BOOKED", now); !ok {
		t.Error("refused a reason without an appointment to cancel")
	}
	if _, ok := rs.ReferralCancellationReason("NO_APPT", bfOf(bfRC), true, "BOOKED", now); ok {
		t.Error("accepted a reason that cannot cancel the current appointment")
	}
}

func TestContactDaysByPriority(t *testing.T) {
	s := Default()
	cases := []struct {
		priority string
		triage   bool
		want     int
	}{
		{"ROUTINE", false, 40}, {"ROUTINE", true, 40},
		{"URGENT", false, 10}, {"URGENT", true, 5},
		{"TWO_WEEK_WAIT", false, 5}, {"TWO_WEEK_WAIT", true, 2},
		{"UNKNOWN", false, 0},
	}
	for _, tc := range cases {
		if got := s.ContactDays(tc.priority, tc.triage); got != tc.want {
			t.Errorf("ContactDays(%s, triage %v) = %d, want %d", tc.priority, tc.triage, got, tc.want)
		}
	}
}

func TestContactByCountsWorkingDays(t *testing.T) {
	monday := time.Date(2022, 1, 3, 11, 21, 45, 0, time.UTC)
	friday := time.Date(2022, 1, 7, 16, 0, 0, 0, time.UTC)
	cases := []struct {
		name string
		from time.Time
		n    int
		want time.Time
	}{
		{"two working days from a Monday are the Wednesday (the A004 example)", monday, 2, monday.AddDate(0, 0, 2)},
		{"one working day from a Friday is the Monday", friday, 1, friday.AddDate(0, 0, 3)},
		{"five working days are a week", monday, 5, monday.AddDate(0, 0, 7)},
		{"no working days is the same instant", friday, 0, friday},
		{"from a Saturday the first working day is the Monday", friday.AddDate(0, 0, 1), 1, friday.AddDate(0, 0, 3)},
	}
	for _, tc := range cases {
		if got := AddWorkingDays(tc.from, tc.n); !got.Equal(tc.want) {
			t.Errorf("%s: got %s, want %s", tc.name, got.Format(time.RFC3339), tc.want.Format(time.RFC3339))
		}
	}
	s := Default()
	if got, want := s.ContactBy("TWO_WEEK_WAIT", true, monday), monday.AddDate(0, 0, 2); !got.Equal(want) {
		t.Errorf("ContactBy(TWO_WEEK_WAIT, triage) = %s, want %s", got, want)
	}
}

func TestCodeSystemsAreNotSharedBetweenSets(t *testing.T) {
	a, b := Default(), Default()
	csA, _ := a.System(Specialty)
	csA.Concepts[0].Display = "changed"
	csB, _ := b.System(Specialty)
	if strings.EqualFold(csB.Concepts[0].Display, "changed") {
		t.Error("two Default sets share their concepts")
	}
}
