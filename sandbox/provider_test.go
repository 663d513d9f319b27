package sandbox

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/ers-workstation/ers-workstation/ersclient"
	"github.com/ers-workstation/ers-workstation/ersclient/fhir"
	"github.com/ers-workstation/ers-workstation/sandbox/refdata"
	"github.com/ers-workstation/ers-workstation/sandbox/store"
)

const (
	provUBRN   = "000000080001"
	provSlot   = "11000021"
	csReview   = "https://fhir.nhs.uk/STU3/CodeSystem/eRS-ReviewOutcome-1"
	csApptCanc = fhir.LocalSystemPrefix + "APPOINTMENT-CANCELLATION-REASON"
	csRefCanc  = fhir.LocalSystemPrefix + "REFERRAL-CANCELLATION-REASON"
)

func provBookedWorld(st *store.State) { provBooked(st, provUBRN, provSlot) }

// appHeaders make a raw call application-restricted as the provider's app.
func provAppHeaders(version string) map[string]string {
	h := map[string]string{HeaderSandboxApp: appProvider, HeaderSandboxAppRestricted: "true"}
	if version != "" {
		h["If-Match"] = `W/"` + version + `"`
	}
	return h
}

func TestAcceptReferral(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		name   string
		client func(e *testEnv) *ersclient.Client
	}{
		{"a service provider clinician accepts a booked referral", (*testEnv).spc},
		{"a clinician admin accepts on behalf of a clinician", (*testEnv).spca},
		{"a provider application accepts a booked referral", func(e *testEnv) *ersclient.Client { return e.appClient(appProvider) }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newTestEnv(t, provBookedWorld)
			ref, err := tc.client(e).AcceptReferral(ctx, provUBRN, "1")
			if err != nil {
				t.Fatalf("accept: %v", err)
			}
			if ref.Version != "2" || ref.ResponseInfo.Version != "2" {
				t.Errorf("version %q, ETag version %q; want 2 and 2", ref.Version, ref.ResponseInfo.Version)
			}
			if s := ref.Summary().State.Code; s != store.StateBooked {
				t.Errorf("state %s, want BOOKED", s)
			}
			r, a := provRead(t, e, provUBRN)
			if r.ContextStatus != "" || r.Version != 2 || a.Status != "booked" {
				t.Errorf("stored: context %q, version %d, appointment %s", r.ContextStatus, r.Version, a.Status)
			}
			if onWorklist(t, e.spc(), ersclient.WorklistReferralsForReview, provUBRN) {
				t.Error("the accepted referral is still on REFERRALS_FOR_REVIEW")
			}
			if read := mustState(t, e.rc(), provUBRN, store.StateBooked); read.Version != "2" {
				t.Errorf("a later read has version %s, want 2", read.Version)
			}
		})
	}
}

func TestAcceptReferralRefusals(t *testing.T) {
	path := provPath(provUBRN, "$ers.acceptReferral")
	spc := func(version string) map[string]string {
		return provHeaders(userSPC, ersclient.ServiceProviderClinician, orgTrust, version)
	}
	accepted := func(st *store.State) { provBooked(st, provUBRN, provSlot).ContextStatus = "" }
	triage := func(st *store.State) { provProposed(st, provUBRN, store.StateAwaitingTriage) }
	advice := func(st *store.State) {
		st.Advice[provUBRN] = &store.Advice{UBRN: provUBRN, Version: 1, ServiceID: svcAdvice, ReferringOrg: orgGP, Category: store.AdviceProviderResponseRequired}
	}
	runProvCases(t, []provCase{
		{name: "a service provider admin may not accept", build: provBookedWorld, path: path,
			headers: provHeaders(userSPA, ersclient.ServiceProviderAdmin, orgTrust, "1"), status: http.StatusForbidden},
		{name: "a referring clinician may not accept", build: provBookedWorld, path: path,
			headers: provHeaders(userRC, ersclient.ReferringClinician, orgGP, "1"), status: http.StatusForbidden},
		{name: "without If-Match the version is missing", build: provBookedWorld, path: path, headers: spc(""), status: http.StatusPreconditionFailed},
		{name: "a stale version conflicts", build: provBookedWorld, path: path, headers: spc("3"), status: http.StatusConflict},
		{name: "an accepted referral cannot be accepted again", build: accepted, path: path, headers: spc("1"),
			status: http.StatusUnprocessableEntity, code: "INVALID_REQUEST_STATE"},
		{name: "a triage referral is reviewed with A028, not accepted", build: triage, path: path, headers: spc("1"),
			status: http.StatusUnprocessableEntity, code: "INVALID_REQUEST_STATE"},
		{name: "another trust has no relationship with the referral", build: provBookedWorld, path: path,
			headers: provHeaders(userSPCR69, ersclient.ServiceProviderClinician, orgTrust2, "1"),
			status:  http.StatusUnprocessableEntity, code: "NO_RELATIONSHIP"},
		{name: "an unknown UBRN is not found", path: path, headers: spc("1"), status: http.StatusNotFound},
		{name: "an advice and guidance UBRN is the wrong kind of request", build: advice, path: path, headers: spc("1"),
			status: http.StatusUnprocessableEntity, code: "INVALID_REQUEST_TYPE"},
		{name: "the request takes no body", build: provBookedWorld, path: path, headers: spc("1"),
			body: provParams(), status: http.StatusUnprocessableEntity, code: "UNEXPECTED_FIELD"},
	})
}

func TestRejectReferral(t *testing.T) {
	ctx := context.Background()
	e := newTestEnv(t, func(st *store.State) {
		provBooked(st, provUBRN, provSlot)
		provBookedIBS(st, "000000080002")
	})
	spc := e.spc()
	ref, err := spc.RejectReferral(ctx, ersclient.RejectReferralRequest{UBRN: provUBRN, Version: "1",
		Reason: fhir.Coding{System: csApptCanc, Code: "SERVICE_INAPPROPRIATE"}, Comments: "Please refer to the heart failure clinic."})
	if err != nil {
		t.Fatalf("reject: %v", err)
	}
	sum := ref.Summary()
	if sum.State.Code != store.StateRejected || sum.StateReason.Code != "SERVICE_INAPPROPRIATE" || sum.StateComments == "" || ref.Version != "2" {
		t.Errorf("rejected referral: state %s reason %s comments %q version %s", sum.State.Code, sum.StateReason.Code, sum.StateComments, ref.Version)
	}
	r, a := provRead(t, e, provUBRN)
	if a.Status != "cancelled" || a.Reason.Code != "SERVICE_INAPPROPRIATE" || a.ReferralVersion != r.Version || a.Version != 2 {
		t.Errorf("appointment: %+v", a)
	}
	if !slotFree(e, provSlot) {
		t.Error("the rejected booking's slot was not freed")
	}
	if onWorklist(t, spc, ersclient.WorklistReferralsForReview, provUBRN) {
		t.Error("the rejected referral is still on REFERRALS_FOR_REVIEW")
	}
	wl, err := e.rc().RetrieveWorklist(ctx, ersclient.WorklistQuery{ListType: ersclient.WorklistRejectedTriageResponse})
	if err != nil {
		t.Fatal(err)
	}
	row, ok := wl.Row(provUBRN)
	if !ok || row.StatusCode != "REJECTED" || row.ReasonCode != "SERVICE_INAPPROPRIATE" || row.ReasonDisplay != "Inappropriate service" {
		t.Errorf("the referrer's REJECTED_TRIAGE_RESPONSE row: %+v (found %t)", row, ok)
	}

	mustState(t, e.rc(), provUBRN, store.StateRejected)

	t.Run("an indirectly booked referral is rejected once cancelled in the PAS", func(t *testing.T) {
		ref, err := spc.RejectReferral(ctx, ersclient.RejectReferralRequest{UBRN: "000000080002", Version: "1",
			Reason: fhir.Coding{System: csApptCanc, Code: "OTHER"}, Comments: "Seen elsewhere.", AppointmentCancelledInPAS: fhir.Ptr(true)})
		if err != nil {
			t.Fatalf("reject: %v", err)
		}
		if s := ref.Summary().State.Code; s != store.StateRejected {
			t.Errorf("state %s, want REJECTED", s)
		}
	})
}

func TestRejectReferralRefusals(t *testing.T) {
	path := provPath(provUBRN, "$ers.rejectReferral")
	spc := provHeaders(userSPC, ersclient.ServiceProviderClinician, orgTrust, "1")
	reason := func(code string) string { return provCoding("rejectionReason", csApptCanc, code) }
	ibs := func(st *store.State) { provBookedIBS(st, provUBRN) }
	runProvCases(t, []provCase{
		{name: "an indirectly booked appointment needs appointmentCancelledInPAS", build: ibs, path: path, headers: spc,
			body: provParams(reason("OTHER")), status: http.StatusUnprocessableEntity, code: "VALUE_IS_REQUIRED"},
		{name: "a referrer's cancellation reason cannot reject", build: provBookedWorld, path: path, headers: spc,
			body: provParams(reason("PATIENT_ILL")), status: http.StatusUnprocessableEntity, code: "INAPPROPRIATE_VALUE"},
		{name: "an unknown reason is inappropriate", build: provBookedWorld, path: path, headers: spc,
			body: provParams(reason("NO_SUCH_REASON")), status: http.StatusUnprocessableEntity, code: "INAPPROPRIATE_VALUE"},
		{name: "a reason of another code system is an invalid code", build: provBookedWorld, path: path, headers: spc,
			body: provParams(provCoding("rejectionReason", csRefCanc, "OTHER")), status: http.StatusUnprocessableEntity, code: "INVALID_CODE"},
		{name: "the reason is mandatory", build: provBookedWorld, path: path, headers: spc,
			body: provParams(provString("rejectionComments", "x")), status: http.StatusUnprocessableEntity, code: "MISSING_VALUE"},
		{name: "comments are at most 2000 characters", build: provBookedWorld, path: path, headers: spc,
			body:   provParams(reason("OTHER"), provString("rejectionComments", strings.Repeat("a", 2001))),
			status: http.StatusUnprocessableEntity, code: "INVALID_VALUE"},
		{name: "an unknown parameter is refused", build: provBookedWorld, path: path, headers: spc,
			body: provParams(reason("OTHER"), provString("rejectionNote", "x")), status: http.StatusUnprocessableEntity, code: "UNEXPECTED_FIELD"},
		{name: "a triage referral cannot be rejected", build: func(st *store.State) { provProposed(st, provUBRN, store.StateAwaitingTriage) },
			path: path, headers: spc, body: provParams(reason("OTHER")), status: http.StatusUnprocessableEntity, code: "INVALID_REQUEST_STATE"},
		{name: "a stale version conflicts", build: provBookedWorld, path: path,
			headers: provHeaders(userSPC, ersclient.ServiceProviderClinician, orgTrust, "2"), body: provParams(reason("OTHER")), status: http.StatusConflict},
		{name: "a service provider admin may not reject", build: provBookedWorld, path: path,
			headers: provHeaders(userSPA, ersclient.ServiceProviderAdmin, orgTrust, "1"), body: provParams(reason("OTHER")), status: http.StatusForbidden},
		{name: "an application may not reject", build: provBookedWorld, path: path, headers: provAppHeaders("1"),
			body: provParams(reason("OTHER")), status: http.StatusForbidden},
		{name: "malformed JSON is an invalid structure", build: provBookedWorld, path: path, headers: spc,
			body: `{"resourceType":"Parameters","parameter":[`, status: http.StatusUnprocessableEntity, code: "INVALID_FHIR_STRUCTURE"},
	})
}

func TestARefusedRejectionChangesNothing(t *testing.T) {
	e := newTestEnv(t, provBookedWorld)
	status, _, _ := e.raw(http.MethodPost, provPath(provUBRN, "$ers.rejectReferral"),
		provParams(provCoding("rejectionReason", csApptCanc, "PATIENT_ILL")), provHeaders(userSPC, ersclient.ServiceProviderClinician, orgTrust, "1"))
	if status != http.StatusUnprocessableEntity {
		t.Fatalf("status %d, want 422", status)
	}
	r, a := provRead(t, e, provUBRN)
	if r.Version != 1 || r.State != store.StateBooked || a.Status != "booked" || a.Version != 1 || slotFree(e, provSlot) {
		t.Errorf("a refused rejection changed the record: referral v%d %s, appointment v%d %s", r.Version, r.State, a.Version, a.Status)
	}
}

// A reason whose comment is mandatory needs rejectionComments: the official
// reference data has no such rejection reason, so the test brings its own.
func TestARejectionReasonCanMakeTheCommentMandatory(t *testing.T) {
	def := refdata.Default()
	cs, _ := def.System(refdata.AppointmentCancellationReason)
	custom := *cs
	custom.Concepts = append(append([]refdata.Concept(nil), cs.Concepts...), refdata.Concept{
		Code: "CLINICAL_REVIEW_NEEDED", Display: "Clinical review needed",
		Properties: map[string][]string{
			refdata.PropBookingCancellationType: {refdata.ReasonProviderReject},
			refdata.PropCommentIsMandatory:      {"true"},
			refdata.PropBusinessFunction:        {string(ersclient.ServiceProviderClinician)},
			refdata.PropUsage:                   {refdata.UsageReject},
		},
	})
	var systems []*refdata.CodeSystem
	for _, typ := range def.Types() {
		s, _ := def.System(typ)
		if typ == refdata.AppointmentCancellationReason {
			s = &custom
		}
		systems = append(systems, s)
	}
	seed := func() *store.State { st := baseWorld(); provBookedWorld(st); return st }
	e := newTestEnvWith(t, store.New(seed, func() time.Time { return testNow }), Options{RefData: refdata.NewSet(systems...)})
	headers := provHeaders(userSPC, ersclient.ServiceProviderClinician, orgTrust, "1")
	path := provPath(provUBRN, "$ers.rejectReferral")
	status, _, body := e.raw(http.MethodPost, path, provParams(provCoding("rejectionReason", csApptCanc, "CLINICAL_REVIEW_NEEDED")), headers)
	if status != http.StatusUnprocessableEntity || outcomeCode(body) != "MISSING_VALUE" {
		t.Fatalf("without a comment: %d %s, want 422 MISSING_VALUE", status, body)
	}
	status, _, body = e.raw(http.MethodPost, path, provParams(provCoding("rejectionReason", csApptCanc, "CLINICAL_REVIEW_NEEDED"),
		provString("rejectionComments", "Needs a consultant's view first.")), headers)
	if status != http.StatusOK {
		t.Fatalf("with a comment: %d %s, want 200", status, body)
	}
}

func TestCancelAppointmentActionLater(t *testing.T) {
	ctx := context.Background()
	e := newTestEnv(t, func(st *store.State) {
		provBooked(st, provUBRN, provSlot)
		provBinary(st, "b2b22a7e-b3e9-4625-8d2c-00507bfdffb5", provUBRN)
	})
	ref, err := e.spca().CancelAppointmentActionLater(ctx, ersclient.CancelAppointmentActionLaterRequest{
		UBRN: provUBRN, Version: "1", Comments: "Please contact patient to rebook", Priority: ersclient.PriorityUrgent,
		Attachments: []ersclient.FileLink{{BinaryID: "b2b22a7e-b3e9-4625-8d2c-00507bfdffb5", Description: "Rebooking notes"}},
	})
	if err != nil {
		t.Fatalf("cancel appointment, action later: %v", err)
	}
	sum := ref.Summary()
	if sum.State.Code != store.StateTriagedToAction || sum.StateReason.Code != reviewCancelActionLater ||
		sum.StateComments != "Please contact patient to rebook" || sum.Priority != ersclient.PriorityUrgent {
		t.Errorf("referral: state %s reason %s comments %q priority %s", sum.State.Code, sum.StateReason.Code, sum.StateComments, sum.Priority)
	}
	r, a := provRead(t, e, provUBRN)
	if a.Status != "proposed" || a.Reason.Code != reviewCancelActionLater || a.SlotID != "" || !a.Start.IsZero() || a.ReferralVersion != r.Version {
		t.Errorf("appointment: %+v", a)
	}
	if !slotFree(e, provSlot) {
		t.Error("the cancelled booking's slot was not freed")
	}
	if len(r.Documents) != 1 || r.Documents[0].Type != "PROVIDER" || r.Documents[0].AttachedBy != userSPC2 {
		t.Errorf("documents: %+v", r.Documents)
	}
	if onWorklist(t, e.spc(), ersclient.WorklistReferralsForReview, provUBRN) {
		t.Error("the referral is still on REFERRALS_FOR_REVIEW")
	}
	mustState(t, e.rc(), provUBRN, store.StateTriagedToAction)
}

func TestCancelAppointmentActionLaterRefusals(t *testing.T) {
	path := provPath(provUBRN, "$ers.cancelAppointmentActionLater")
	spc := provHeaders(userSPC, ersclient.ServiceProviderClinician, orgTrust, "1")
	comments := provString("comments", "Please rebook")
	runProvCases(t, []provCase{
		{name: "comments for the admin team are mandatory", build: provBookedWorld, path: path, headers: spc,
			body: provParams(provBool("appointmentCancelledInPAS", true)), status: http.StatusUnprocessableEntity, code: "MISSING_VALUE"},
		{name: "blank comments are missing", build: provBookedWorld, path: path, headers: spc,
			body: provParams(provString("comments", "  ")), status: http.StatusUnprocessableEntity, code: "MISSING_VALUE"},
		{name: "an unknown priority is an invalid code", build: provBookedWorld, path: path, headers: spc,
			body: provParams(comments, provCoding("priority", fhir.CSPriority, "SOON")), status: http.StatusUnprocessableEntity, code: "INVALID_CODE"},
		{name: "an indirectly booked appointment needs appointmentCancelledInPAS", build: func(st *store.State) { provBookedIBS(st, provUBRN) },
			path: path, headers: spc, body: provParams(comments), status: http.StatusUnprocessableEntity, code: "VALUE_IS_REQUIRED"},
		{name: "a file that was never uploaded cannot be attached", build: provBookedWorld, path: path, headers: spc,
			body:   provParams(comments, provFile("providerAttachmentFile", "0d0b8e43-5c83-4c1e-9d4e-3c3b7a0f0f0f", "PROVIDER")),
			status: http.StatusUnprocessableEntity, code: "REFERENCE_NOT_FOUND"},
		{name: "a referral awaiting triage has no booking to cancel", build: func(st *store.State) { provProposed(st, provUBRN, store.StateAwaitingTriage) },
			path: path, headers: spc, body: provParams(comments), status: http.StatusUnprocessableEntity, code: "INVALID_REQUEST_STATE"},
		{name: "a referring clinician may not use it", build: provBookedWorld, path: path,
			headers: provHeaders(userRC, ersclient.ReferringClinician, orgGP, "1"), body: provParams(comments), status: http.StatusForbidden},
		{name: "an application may not use it", build: provBookedWorld, path: path, headers: provAppHeaders("1"),
			body: provParams(comments), status: http.StatusForbidden},
		{name: "without If-Match the version is missing", build: provBookedWorld, path: path,
			headers: provHeaders(userSPC, ersclient.ServiceProviderClinician, orgTrust, ""), body: provParams(comments), status: http.StatusPreconditionFailed},
	})
}

func TestRecordReviewOutcome(t *testing.T) {
	ctx := context.Background()
	t.Run("a triage referral returned with advice goes back to the referrer", func(t *testing.T) {
		e := newTestEnv(t, func(st *store.State) { provProposed(st, provUBRN, store.StateAwaitingTriage) })
		if !onWorklist(t, e.spc(), ersclient.WorklistReferralsForReview, provUBRN) {
			t.Fatal("the triage referral is not on REFERRALS_FOR_REVIEW")
		}
		ref, err := e.spc().RecordReviewOutcome(ctx, ersclient.ReviewOutcomeRequest{UBRN: provUBRN, Version: "1",
			Outcome: ersclient.ReviewReturnToReferrer, Comments: "Condition not serious. No further action needed"})
		if err != nil {
			t.Fatalf("record review outcome: %v", err)
		}
		sum := ref.Summary()
		if sum.State.Code != store.StateTriageResponse || sum.StateReason.Code != reviewReturnToReferrer {
			t.Errorf("state %s reason %s, want TRIAGE_RESPONSE and RETURN_TO_REFERRER_WITH_ADVICE", sum.State.Code, sum.StateReason.Code)
		}
		_, a := provRead(t, e, provUBRN)
		if a.Status != "proposed" || a.Reason.Code != reviewReturnToReferrer || a.Comment == "" {
			t.Errorf("appointment: %+v", a)
		}
		if onWorklist(t, e.spc(), ersclient.WorklistReferralsForReview, provUBRN) {
			t.Error("the reviewed referral is still on REFERRALS_FOR_REVIEW")
		}
		if !onWorklist(t, e.rc(), ersclient.WorklistRejectedTriageResponse, provUBRN) {
			t.Error("the returned referral is not on the referrer's REJECTED_TRIAGE_RESPONSE")
		}
		mustState(t, e.rc(), provUBRN, store.StateTriageResponse)
	})
	t.Run("a deferred referral is accepted to book later with a new priority and a file", func(t *testing.T) {
		e := newTestEnv(t, func(st *store.State) {
			provProposed(st, provUBRN, store.StateDeferredToProvider)
			provBinary(st, "a7c98bb4-c0d0-4094-b26d-8dbd1677edc8", provUBRN)
		})
		ref, err := e.appClient(appProvider).RecordReviewOutcome(ctx, ersclient.ReviewOutcomeRequest{UBRN: provUBRN, Version: "1",
			Outcome: ersclient.ReviewAcceptBookLater, Comments: "Urgent action needed. To be booked ASAP", Priority: ersclient.PriorityUrgent,
			Attachments: []ersclient.FileLink{{BinaryID: "a7c98bb4-c0d0-4094-b26d-8dbd1677edc8", Description: "Condition details"}}})
		if err != nil {
			t.Fatalf("record review outcome: %v", err)
		}
		sum := ref.Summary()
		if sum.State.Code != store.StateTriagedToAction || sum.StateReason.Code != reviewAcceptBookLater || sum.Priority != ersclient.PriorityUrgent || len(sum.Attachments) != 1 {
			t.Errorf("state %s reason %s priority %s attachments %d", sum.State.Code, sum.StateReason.Code, sum.Priority, len(sum.Attachments))
		}
		if onWorklist(t, e.spc(), ersclient.WorklistAppointmentSlotIssues, provUBRN) {
			t.Error("the reviewed referral is still on APPOINTMENT_SLOT_ISSUES")
		}
		if !onWorklist(t, e.rc(), ersclient.WorklistAwaitingBooking, provUBRN) {
			t.Error("the referral to book later is not on the referrer's AWAITING_BOOKING")
		}
	})
}

func TestRecordReviewOutcomeRefusals(t *testing.T) {
	path := provPath(provUBRN, "$ers.recordReviewOutcome")
	spc := provHeaders(userSPC, ersclient.ServiceProviderClinician, orgTrust, "1")
	triage := func(st *store.State) { provProposed(st, provUBRN, store.StateAwaitingTriage) }
	outcome := func(code string) string { return provCoding("reviewOutcome", csReview, code) }
	comments := provString("reviewComments", "See attached")
	runProvCases(t, []provCase{
		{name: "the priority cannot change when returning with advice", build: triage, path: path, headers: spc,
			body:   provParams(provCoding("reviewPriority", fhir.CSPriority, "URGENT"), outcome(reviewReturnToReferrer), comments),
			status: http.StatusUnprocessableEntity, code: "PRIORITY_NOT_CURRENT"},
		{name: "review comments are mandatory", build: triage, path: path, headers: spc,
			body: provParams(outcome(reviewAcceptBookLater)), status: http.StatusUnprocessableEntity, code: "MISSING_VALUE"},
		{name: "the outcome is mandatory", build: triage, path: path, headers: spc,
			body: provParams(comments), status: http.StatusUnprocessableEntity, code: "MISSING_VALUE"},
		{name: "cancel-appointment-action-later is not a review outcome here", build: triage, path: path, headers: spc,
			body: provParams(outcome(reviewCancelActionLater), comments), status: http.StatusUnprocessableEntity, code: "INAPPROPRIATE_VALUE"},
		{name: "an unknown outcome is an invalid code", build: triage, path: path, headers: spc,
			body: provParams(outcome("REFER_BOOK_NOW"), comments), status: http.StatusUnprocessableEntity, code: "INVALID_CODE"},
		{name: "a booked referral is accepted or rejected, not triaged", build: provBookedWorld, path: path, headers: spc,
			body: provParams(outcome(reviewAcceptBookLater), comments), status: http.StatusUnprocessableEntity, code: "INVALID_REQUEST_STATE"},
		{name: "a service provider admin may not record an outcome", build: triage, path: path,
			headers: provHeaders(userSPA, ersclient.ServiceProviderAdmin, orgTrust, "1"), body: provParams(outcome(reviewAcceptBookLater), comments),
			status: http.StatusForbidden},
		{name: "a stale version conflicts", build: triage, path: path, headers: provHeaders(userSPC, ersclient.ServiceProviderClinician, orgTrust, "7"),
			body: provParams(outcome(reviewAcceptBookLater), comments), status: http.StatusConflict},
		{name: "a wrong content type is unsupported", build: triage, path: path,
			headers: map[string]string{HeaderSandboxUser: userSPC, headerBusinessFunction: string(ersclient.ServiceProviderClinician), headerODS: orgTrust,
				"If-Match": `W/"1"`, "Content-Type": "text/plain"},
			body: provParams(outcome(reviewAcceptBookLater), comments), status: http.StatusUnsupportedMediaType},
	})
}

func TestCancelReferral(t *testing.T) {
	ctx := context.Background()
	reason := func(code string) fhir.Coding { return fhir.Coding{System: csRefCanc, Code: code} }

	t.Run("a referrer cancels an unbooked referral and no appointment is returned", func(t *testing.T) {
		e := newTestEnv(t, func(st *store.State) { addReferral(st, provUBRN, store.StateNotBooked, nil) })
		res, err := e.rc().CancelReferral(ctx, ersclient.CancelReferralRequest{UBRN: provUBRN, Version: "1", Reason: reason("RAISED_IN_ERROR")})
		if err != nil {
			t.Fatalf("cancel: %v", err)
		}
		sum := res.UpdatedReferral.Summary()
		if res.UpdatedAppointment != nil || sum.Status != "cancelled" || sum.State.Code != store.StateCancelledReferral || sum.StateReason.Code != "RAISED_IN_ERROR" {
			t.Errorf("status %s state %s reason %s appointment %v", sum.Status, sum.State.Code, sum.StateReason.Code, res.UpdatedAppointment)
		}
		if onWorklist(t, e.rc(), ersclient.WorklistAwaitingBooking, provUBRN) || onWorklist(t, e.rc(), ersclient.WorklistAssessmentReturnedCancelledDNA, provUBRN) {
			t.Error("a referral the referrer cancelled is still on one of its worklists")
		}
		if read := mustState(t, e.rc(), provUBRN, store.StateCancelledReferral); read.Summary().Status != "cancelled" {
			t.Errorf("a later read has status %s", read.Summary().Status)
		}
	})
	t.Run("a referrer cancels a booked referral and its appointment", func(t *testing.T) {
		e := newTestEnv(t, provBookedWorld)
		res, err := e.rc().CancelReferral(ctx, ersclient.CancelReferralRequest{UBRN: provUBRN, Version: "1", Reason: reason("TREATMENT_NO_LONGER_REQUIRED")})
		if err != nil {
			t.Fatalf("cancel: %v", err)
		}
		if res.UpdatedAppointment == nil || res.UpdatedAppointment.Status != "cancelled" {
			t.Fatalf("the booked appointment was not returned cancelled: %+v", res.UpdatedAppointment)
		}
		raw, ok := res.UpdatedReferral.Resource.FindContained("#" + containedAppointment)
		var contained fhir.Appointment
		if !ok || raw.Decode(&contained) != nil || contained.Status != "cancelled" {
			t.Errorf("the updated referral's contained appointment is %q (found %t), want cancelled", contained.Status, ok)
		}
		_, a := provRead(t, e, provUBRN)
		if a.Reason.Code != apptCancelledWithReferralByPatient || !slotFree(e, provSlot) {
			t.Errorf("appointment reason %s, slot free %t", a.Reason.Code, slotFree(e, provSlot))
		}
	})
	t.Run("a provider ends a triage and the referrer sees the cancellation", func(t *testing.T) {
		e := newTestEnv(t, func(st *store.State) {
			provProposed(st, provUBRN, store.StateAwaitingTriage)
			r := st.Referrals[provUBRN]
			r.State, r.StateReason = store.StateTriagedToAction, store.Coding{System: csReview, Code: reviewAcceptBookLater}
		})
		res, err := e.spc().CancelReferral(ctx, ersclient.CancelReferralRequest{UBRN: provUBRN, Version: "1",
			Reason: reason("OUTPATIENT_SERVICE_NA"), Comments: "Sent to the community clinic."})
		if err != nil {
			t.Fatalf("cancel: %v", err)
		}
		if res.UpdatedAppointment != nil {
			t.Error("a proposed appointment was returned as cancelled")
		}
		wl, err := e.rc().RetrieveWorklist(ctx, ersclient.WorklistQuery{ListType: ersclient.WorklistAssessmentReturnedCancelledDNA})
		if err != nil {
			t.Fatal(err)
		}
		if row, ok := wl.Row(provUBRN); !ok || row.StatusCode != "CANCELLED_REFERRAL" || row.ReasonCode != "OUTPATIENT_SERVICE_NA" {
			t.Errorf("ASSESSMENT_RETURNED_CANCELLED_DNA row %+v (found %t)", row, ok)
		}
	})
	t.Run("a provider application cancels a booked referral booked outside e-RS", func(t *testing.T) {
		e := newTestEnv(t, provBookedWorld)
		res, err := e.appClient(appProvider).CancelReferral(ctx, ersclient.CancelReferralRequest{UBRN: provUBRN, Version: "1", Reason: reason("BOOKED_OUTSIDE_CAB")})
		if err != nil {
			t.Fatalf("cancel: %v", err)
		}
		if res.UpdatedAppointment == nil || res.UpdatedAppointment.Status != "cancelled" {
			t.Fatalf("appointment %+v", res.UpdatedAppointment)
		}
		if _, a := provRead(t, e, provUBRN); a.Reason.Code != apptCancelledWithReferralByProvider {
			t.Errorf("appointment reason %s, want %s", a.Reason.Code, apptCancelledWithReferralByProvider)
		}
	})
}

func TestCancelReferralRefusals(t *testing.T) {
	path := provPath(provUBRN, "$ers.cancelReferral")
	rc := provHeaders(userRC, ersclient.ReferringClinician, orgGP, "1")
	spc := provHeaders(userSPC, ersclient.ServiceProviderClinician, orgTrust, "1")
	reason := func(code string) string { return provCoding("cancellationReason", csRefCanc, code) }
	triaged := func(st *store.State) {
		provProposed(st, provUBRN, store.StateAwaitingTriage).State = store.StateTriagedToAction
	}
	cancelled := func(st *store.State) {
		addReferral(st, provUBRN, store.StateCancelledReferral, func(r *store.Referral) { r.Status = "cancelled" })
	}
	rejected := func(st *store.State) { provBooked(st, provUBRN, provSlot).State = store.StateRejected }
	runProvCases(t, []provCase{
		{name: "an end-of-triage reason needs a comment", build: triaged, path: path, headers: spc,
			body: provParams(reason("OUTPATIENT_SERVICE_NA")), status: http.StatusUnprocessableEntity, code: "MISSING_VALUE"},
		{name: "a provider may not use a referrer's reason", build: provBookedWorld, path: path, headers: spc,
			body: provParams(reason("RAISED_IN_ERROR")), status: http.StatusUnprocessableEntity, code: "INAPPROPRIATE_VALUE"},
		{name: "a referrer may not use an end-of-triage reason", build: provBookedWorld, path: path, headers: rc,
			body: provParams(reason("NO_LONGER_REQUIRED"), provString("cancellationComments", "x")), status: http.StatusUnprocessableEntity, code: "INAPPROPRIATE_VALUE"},
		{name: "a cancelled referral stays cancelled", build: cancelled, path: path, headers: rc,
			body: provParams(reason("RAISED_IN_ERROR")), status: http.StatusUnprocessableEntity, code: "INVALID_REQUEST_STATE"},
		{name: "a provider cannot cancel a referral it rejected", build: rejected, path: path, headers: spc,
			body: provParams(reason("INTEND_PRIVATE")), status: http.StatusUnprocessableEntity, code: "INVALID_REQUEST_STATE"},
		{name: "comments are at most 2000 characters", build: provBookedWorld, path: path, headers: rc,
			body:   provParams(reason("RAISED_IN_ERROR"), provString("cancellationComments", strings.Repeat("é", 2001))),
			status: http.StatusUnprocessableEntity, code: "INVALID_VALUE"},
		{name: "another practice has no relationship with the referral", build: provBookedWorld, path: path,
			headers: provHeaders(userRC2, ersclient.ReferringClinician, orgGP2, "1"), body: provParams(reason("RAISED_IN_ERROR")),
			status: http.StatusUnprocessableEntity, code: "NO_RELATIONSHIP"},
		{name: "a referring admin may not cancel", build: provBookedWorld, path: path,
			headers: provHeaders(userRA, ersclient.ReferringAdmin, orgGP, "1"), body: provParams(reason("RAISED_IN_ERROR")), status: http.StatusForbidden},
		{name: "without If-Match the version is missing", build: provBookedWorld, path: path,
			headers: provHeaders(userRC, ersclient.ReferringClinician, orgGP, ""), body: provParams(reason("RAISED_IN_ERROR")), status: http.StatusPreconditionFailed},
		{name: "a stale version conflicts", build: provBookedWorld, path: path,
			headers: provHeaders(userRC, ersclient.ReferringClinician, orgGP, "4"), body: provParams(reason("RAISED_IN_ERROR")), status: http.StatusConflict},
	})
}
