package actions

import (
	"fmt"
	"testing"
	"time"

	"github.com/ers-workstation/ers-workstation/ersclient"
	"github.com/ers-workstation/ers-workstation/ersclient/fhir"
	"github.com/ers-workstation/ers-workstation/ui/screen"
	"github.com/ers-workstation/ers-workstation/ui/uitest"
)

// Synthetic patient and referral: 9990000018 has a valid check digit.
const (
	testNHS  = "9990000018"
	testUBRN = "000000070002"
)

// referral builds a synthetic referral at a version, in a state, with an
// optional booked appointment (with or without a slot).
func referral(t testing.TB, version, state, reason, priority string, appt string) *ersclient.Referral {
	t.Helper()
	reasonExt := ""
	if reason != "" {
		reasonExt = fmt.Sprintf(`,{"url":"reason","valueCoding":{"system":"x","code":%q}}`, reason)
	}
	apptExt, contained := "", ""
	switch appt {
	case "slot", "noslot":
		slot := `,"slot":[{"reference":"Slot/1"}]`
		if appt == "noslot" {
			slot = ""
		}
		apptExt = `{"url":"https://fhir.nhs.uk/STU3/StructureDefinition/Extension-eRS-Appointment-1","valueReference":{"reference":"#appointment"}},`
		contained = `"contained":[{"resourceType":"Appointment","id":"appointment","status":"booked","start":"2026-12-01T10:00:00Z"` + slot + `}],`
	}
	body := fmt.Sprintf(`{"resourceType":"ReferralRequest","id":%q,"meta":{"versionId":%q},%s
	 "extension":[%s
	  {"url":"https://fhir.nhs.uk/STU3/StructureDefinition/Extension-eRS-ReferralPriority-1",
	   "valueCodeableConcept":{"coding":[{"system":"https://fhir.nhs.uk/STU3/CodeSystem/eRS-Priority-1","code":%q}]}},
	  {"url":"https://fhir.nhs.uk/STU3/StructureDefinition/Extension-eRS-ReferralState-1",
	   "extension":[{"url":"state","valueCoding":{"system":"https://fhir.nhs.uk/STU3/CodeSystem/eRS-ReferralState-1","code":%q}}%s]}],
	 "subject":{"identifier":{"system":"https://fhir.nhs.uk/Id/nhs-number","value":%q}},
	 "specialty":{"coding":[{"system":"x/SPECIALTY","code":"CARDIOLOGY","display":"Cardiology"}]}}`,
		testUBRN, version, contained, apptExt, priority, state, reasonExt, testNHS)
	var rr fhir.ReferralRequest
	if err := fhir.Unmarshal([]byte(body), &rr); err != nil {
		t.Fatal(err)
	}
	return &ersclient.Referral{Resource: &rr, Version: version}
}

func concept(system, code, display string, props map[string][]string) ersclient.ReferenceConcept {
	return ersclient.ReferenceConcept{Code: code, Display: display, System: system, Properties: props}
}

const (
	apptReasons = "https://example.test/STU3/CodeSystem/APPOINTMENT-CANCELLATION-REASON"
	refReasons  = "https://example.test/STU3/CodeSystem/REFERRAL-CANCELLATION-REASON"
)

// rejectData has two usable reject reasons (one needs a comment) and
// reasons A014 must not offer: another type, another role, expired.
func rejectData() *ersclient.ReferenceData {
	spc := []string{"SERVICE_PROVIDER_CLINICIAN", "SERVICE_PROVIDER_CLINICIAN_ADMIN"}
	return &ersclient.ReferenceData{Type: "APPOINTMENT-CANCELLATION-REASON", System: apptReasons, Concepts: []ersclient.ReferenceConcept{
		concept(apptReasons, "INAPPROPRIATE", "Referral inappropriate", map[string][]string{
			propBookingCancellationType: {reasonProviderReject}, propBusinessFunction: spc, propUsage: {usageReject}, propCommentIsMandatory: {"true"}}),
		concept(apptReasons, "WRONG_SERVICE", "Wrong service", map[string][]string{
			propBookingCancellationType: {reasonProviderReject}, propBusinessFunction: spc, propUsage: {usageReject}, propCommentIsMandatory: {"false"}}),
		concept(apptReasons, "PATIENT_CANCEL", "Patient cancelled", map[string][]string{
			propBookingCancellationType: {"PATIENT"}, propBusinessFunction: spc, propUsage: {"CANCEL"}}),
		concept(apptReasons, "REFERRER_ONLY", "Referrer only", map[string][]string{
			propBookingCancellationType: {reasonProviderReject}, propBusinessFunction: {"REFERRING_CLINICIAN"}, propUsage: {usageReject}}),
		{Code: "EXPIRED", Display: "Expired reason", System: apptReasons, EffectiveTo: time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC),
			Properties: map[string][]string{propBookingCancellationType: {reasonProviderReject}, propBusinessFunction: spc, propUsage: {usageReject}}},
	}}
}

// cancelData has triage-ending, provider, patient and referrer reasons.
func cancelData() *ersclient.ReferenceData {
	spc := []string{"SERVICE_PROVIDER_CLINICIAN", "SERVICE_PROVIDER_CLINICIAN_ADMIN"}
	both := append([]string{"REFERRING_CLINICIAN"}, spc...)
	row := func(code, display, kind, canCancel, mandatory string, roles []string) ersclient.ReferenceConcept {
		return concept(refReasons, code, display, map[string][]string{propReferrerUsage: {usageCancelReferral},
			propRequestCancellationType: {kind}, propCanCancelAppointment: {canCancel}, propCommentIsMandatory: {mandatory},
			propBusinessFunction: roles})
	}
	return &ersclient.ReferenceData{Type: "REFERRAL-CANCELLATION-REASON", System: refReasons, Concepts: []ersclient.ReferenceConcept{
		row("TRIAGE_ENDED", "Triage Ended", reasonProviderTriage, "false", "false", spc),
		row("NO_LONGER_REQUIRED", "Referral is no longer required", reasonProviderTriage, "false", "true", spc),
		row("BOOKED_OUTSIDE_CAB", "Patient booked outside e-RS", reasonProvider, "true", "false", spc),
		row("PATIENT_DIED", "Patient died", reasonPatient, "true", "false", both),
		row("RAISED_IN_ERROR", "Referral created by mistake", "UNKNOWN", "true", "false", []string{"REFERRING_CLINICIAN"}),
	}}
}

// newAction builds the form for action on ref with a fake e-RS, sized and
// initialised (its reasons loaded).
func newAction(t testing.TB, f *uitest.FakeERS, action string, ref *ersclient.Referral) screen.Screen {
	t.Helper()
	if f.ReferenceData == nil {
		f.ReferenceData = func(typ string) (*ersclient.ReferenceData, error) {
			if typ == "REFERRAL-CANCELLATION-REASON" {
				return cancelData(), nil
			}
			return rejectData(), nil
		}
	}
	c := uitest.Common(uitest.NewFakeAuth(), uitest.NewMemoryPrefs())
	c.ERS = f
	s := New(c, Request{Referral: ref, Action: action})
	s.SetSize(120, 40)
	return uitest.RunInit(s, s.Init()).Model
}
