package sandbox

import (
	"context"
	"testing"

	"github.com/ers-workstation/ers-workstation/ersclient"
	"github.com/ers-workstation/ers-workstation/ersclient/fhir"
)

// These tests follow a referral through its life as the workstation will,
// through ersclient's typed methods: the referrer's and the provider's sides
// in turn.

func cardiologyCriteria() ersclient.SearchCriteria {
	return ersclient.SearchCriteria{
		Priority:  ersclient.PriorityCoding(ersclient.PriorityRoutine),
		Specialty: fhir.Coding{System: fhir.LocalSystemPrefix + fhir.LocalSpecialty, Code: "CARDIOLOGY"},
	}
}

// createReferral creates a routine cardiology referral to the services.
func createReferral(t *testing.T, rc *ersclient.Client, services ...string) *ersclient.Referral {
	t.Helper()
	req := ersclient.CreateReferralRequest{NHSNumber: "9990001235", Criteria: cardiologyCriteria(), LetterIntention: ersclient.LetterToFollow, FirstReminderLetterFollowUpDays: 7}
	for _, s := range services {
		req.Services = append(req.Services, ersclient.ShortlistedService{ID: s})
	}
	ref, err := rc.CreateReferral(context.Background(), req)
	if err != nil {
		t.Fatalf("create referral: %v", err)
	}
	return ref
}

func mustState(t *testing.T, c *ersclient.Client, ubrn, want string) *ersclient.Referral {
	t.Helper()
	ref, err := c.RetrieveReferral(context.Background(), ubrn)
	if err != nil {
		t.Fatalf("read %s: %v", ubrn, err)
	}
	if got := ref.Summary().State.Code; got != want {
		t.Fatalf("referral %s is %s, want %s", ubrn, got, want)
	}
	return ref
}

func onWorklist(t *testing.T, c *ersclient.Client, list ersclient.WorklistType, ubrn string) bool {
	t.Helper()
	wl, err := c.RetrieveWorklist(context.Background(), ersclient.WorklistQuery{ListType: list})
	if err != nil {
		t.Fatalf("worklist %s: %v", list, err)
	}
	for _, row := range wl.Rows {
		if row.UBRN == ubrn {
			return true
		}
	}
	return false
}

func TestLifecycleCreateLetterBookAccept(t *testing.T) {
	ctx := context.Background()
	e := newTestEnv(t, nil)
	rc, spc := e.rc(), e.spc()

	ref := createReferral(t, rc, svcDBS)
	ubrn := ref.Summary().UBRN
	mustState(t, rc, ubrn, "NOT_BOOKED")
	if !onWorklist(t, rc, ersclient.WorklistLettersOutstanding, ubrn) {
		t.Error("a referral with a letter to follow is not on LETTERS_OUTSTANDING")
	}

	up, err := rc.UploadFile(ctx, ersclient.Upload{FileName: "letter.txt", ReferralID: ubrn, Data: []byte("Dear colleague, please see this patient.")})
	if err != nil {
		t.Fatalf("upload: %v", err)
	}
	ref, err = rc.MaintainReferralLetters(ctx, ersclient.MaintainLettersRequest{UBRN: ubrn, Version: ref.Version, Letters: []ersclient.FileLink{{BinaryID: up.AttachmentID, Description: "Referral letter"}}})
	if err != nil {
		t.Fatalf("maintain letters: %v", err)
	}
	if onWorklist(t, rc, ersclient.WorklistLettersOutstanding, ubrn) {
		t.Error("the referral stays on LETTERS_OUTSTANDING after its letter was added")
	}

	slots, err := rc.RetrieveSlots(ctx, ersclient.SlotQuery{ServiceID: svcDBS, Priority: ersclient.PriorityRoutine, CommRuleOrg: ref.Summary().CommissioningRuleOrg})
	if err != nil || len(slots.Slots) == 0 {
		t.Fatalf("slots: %v (%d)", err, len(slots.Slots))
	}
	appt, err := rc.BookAppointment(ctx, ersclient.BookRequest{UBRN: ubrn, Version: ref.Version, Slot: slots.Slots[0], NHSNumber: "9990001235"})
	if err != nil {
		t.Fatalf("book: %v", err)
	}
	if appt.Status != "booked" {
		t.Errorf("appointment status %q, want booked", appt.Status)
	}
	after, err := rc.RetrieveSlots(ctx, ersclient.SlotQuery{ServiceID: svcDBS, Priority: ersclient.PriorityRoutine, CommRuleOrg: ref.Summary().CommissioningRuleOrg})
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range after.Slots {
		if s.ID == slots.Slots[0].ID {
			t.Error("the booked slot is still offered")
		}
	}

	booked := mustState(t, spc, ubrn, "BOOKED")
	if !onWorklist(t, spc, ersclient.WorklistReferralsForReview, ubrn) {
		t.Fatal("the booked referral is not on the provider's REFERRALS_FOR_REVIEW")
	}
	if _, err := spc.AcceptReferral(ctx, ubrn, booked.Version); err != nil {
		t.Fatalf("accept: %v", err)
	}
	if onWorklist(t, spc, ersclient.WorklistReferralsForReview, ubrn) {
		t.Error("the accepted referral is still on REFERRALS_FOR_REVIEW")
	}
	if _, err := spc.AcceptReferral(ctx, ubrn, booked.Version); !ersclient.IsVersionConflict(err) {
		t.Errorf("accepting again at the old version: %v, want a version conflict", err)
	}
}

func TestLifecycleDeferThenRecordReviewOutcome(t *testing.T) {
	ctx := context.Background()
	e := newTestEnv(t, nil)
	rc, spc := e.rc(), e.spc()

	ref := createReferral(t, rc, svcDBSEmpty)
	ubrn := ref.Summary().UBRN
	if _, err := rc.DeferToProvider(ctx, ersclient.DeferRequest{UBRN: ubrn, Version: ref.Version, Reason: ersclient.NoSlotsAtService, ServiceID: svcDBSEmpty, NHSNumber: "9990001235"}); err != nil {
		t.Fatalf("defer: %v", err)
	}
	deferred := mustState(t, spc, ubrn, "DEFERRED_TO_PROVIDER")
	if !onWorklist(t, spc, ersclient.WorklistAppointmentSlotIssues, ubrn) {
		t.Fatal("the deferred referral is not on APPOINTMENT_SLOT_ISSUES")
	}
	if _, err := spc.RecordReviewOutcome(ctx, ersclient.ReviewOutcomeRequest{UBRN: ubrn, Version: deferred.Version, Outcome: ersclient.ReviewAcceptBookLater, Comments: "We will call the patient."}); err != nil {
		t.Fatalf("record review outcome: %v", err)
	}
	mustState(t, rc, ubrn, "TRIAGED_PROVIDER_TO_ACTION")
	if onWorklist(t, spc, ersclient.WorklistAppointmentSlotIssues, ubrn) {
		t.Error("the reviewed referral is still on APPOINTMENT_SLOT_ISSUES")
	}
}

func TestLifecycleDeferralIsRefusedWhileSlotsExist(t *testing.T) {
	e := newTestEnv(t, nil)
	rc := e.rc()
	ref := createReferral(t, rc, svcDBS)
	_, err := rc.DeferToProvider(context.Background(), ersclient.DeferRequest{UBRN: ref.Summary().UBRN, Version: ref.Version, Reason: ersclient.NoSlotsAtService, ServiceID: svcDBS, NHSNumber: "9990001235"})
	if !ersclient.HasCode(err, "SLOTS_CURRENTLY_AVAILABLE") {
		t.Fatalf("deferral with free slots: %v, want SLOTS_CURRENTLY_AVAILABLE", err)
	}
}

func TestLifecycleReferrerCancelsABookedReferral(t *testing.T) {
	ctx := context.Background()
	e := newTestEnv(t, nil)
	rc := e.rc()
	ref := createReferral(t, rc, svcDBS)
	ubrn := ref.Summary().UBRN
	slots, err := rc.RetrieveSlots(ctx, ersclient.SlotQuery{ServiceID: svcDBS, Priority: ersclient.PriorityRoutine, CommRuleOrg: ref.Summary().CommissioningRuleOrg})
	if err != nil || len(slots.Slots) == 0 {
		t.Fatalf("slots: %v", err)
	}
	if _, err := rc.BookAppointment(ctx, ersclient.BookRequest{UBRN: ubrn, Version: ref.Version, Slot: slots.Slots[0], NHSNumber: "9990001235"}); err != nil {
		t.Fatalf("book: %v", err)
	}
	booked := mustState(t, rc, ubrn, "BOOKED")
	res, err := rc.CancelReferral(ctx, ersclient.CancelReferralRequest{UBRN: ubrn, Version: booked.Version,
		Reason: fhir.Coding{System: fhir.LocalSystemPrefix + fhir.LocalReferralCancellationReason, Code: "TREATMENT_NO_LONGER_REQUIRED"}})
	if err != nil {
		t.Fatalf("cancel referral: %v", err)
	}
	if res.UpdatedAppointment == nil || res.UpdatedAppointment.Status != "cancelled" {
		t.Errorf("the booked appointment was not returned cancelled: %+v", res.UpdatedAppointment)
	}
	cancelled := mustState(t, rc, ubrn, "CANCELLED_REFERRAL")
	if s := cancelled.Summary().Status; s != "cancelled" {
		t.Errorf("status %q, want cancelled", s)
	}
}

func TestAProviderCannotSeeAnotherTrustsReferral(t *testing.T) {
	e := newTestEnv(t, nil)
	ref := createReferral(t, e.rc(), svcDBS)
	other := e.client(userSPCR69, ersclient.ServiceProviderClinician, orgTrust2, "")
	_, err := other.RetrieveReferral(context.Background(), ref.Summary().UBRN)
	if !ersclient.HasCode(err, "NO_RELATIONSHIP") {
		t.Fatalf("another trust reading the referral: %v, want NO_RELATIONSHIP", err)
	}
	otherGP := e.client(userRC2, ersclient.ReferringClinician, orgGP2, "")
	if _, err := otherGP.RetrieveReferral(context.Background(), ref.Summary().UBRN); !ersclient.HasCode(err, "NO_RELATIONSHIP") {
		t.Fatalf("another practice reading the referral: %v, want NO_RELATIONSHIP", err)
	}
}
