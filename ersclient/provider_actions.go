package ersclient

import (
	"context"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/ers-workstation/ers-workstation/ersclient/fhir"
)

// Profiles of the provider action bodies, named in meta.profile as the
// official examples do.
const (
	profileRejectReferralParams = "https://fhir.nhs.uk/STU3/StructureDefinition/eRS-RejectReferral-Parameters-1"
	profileCAALParams           = "https://fhir.nhs.uk/STU3/StructureDefinition/eRS-cancelAppointmentActionLater-Parameters-1"
	profileReviewOutcomeParams  = "https://fhir.nhs.uk/STU3/StructureDefinition/eRS-RecordReviewOutcome-Parameters-1"
	maxProviderCommentRunes     = 2000
)

// ReviewOutcome is the triage decision A028 records (eRS-ReviewOutcome-1).
type ReviewOutcome string

// The outcomes A028 accepts. "Refer/book now" is not supported by the API.
const (
	// ReviewReturnToReferrer sends the referral back with advice; the
	// comments go to the referrer. The priority cannot change with it.
	ReviewReturnToReferrer ReviewOutcome = "RETURN_TO_REFERRER_WITH_ADVICE"
	// ReviewAcceptBookLater accepts the referral and tasks the provider's
	// admin team (in the e-RS user interface) to shortlist and book; the
	// comments go to that team.
	ReviewAcceptBookLater ReviewOutcome = "ACCEPT_REFER_BOOK_LATER"
)

// Label is the outcome in words.
func (o ReviewOutcome) Label() string {
	switch o {
	case ReviewReturnToReferrer:
		return "Return to referrer with advice"
	case ReviewAcceptBookLater:
		return "Accept, refer/book later"
	}
	return strings.ReplaceAll(string(o), "_", " ")
}

// RejectReferralRequest is the input of A014.
type RejectReferralRequest struct {
	UBRN    string
	Version string
	// Reason is an APPOINTMENT-CANCELLATION-REASON coding exactly as A004
	// returned it (system and code), one whose
	// appointmentBookingCancellationReasonType is PROVIDER_REJECT.
	Reason fhir.Coding
	// Comments are optional unless the reason's commentIsMandatory is true;
	// at most 2000 characters.
	Comments string
	// AppointmentCancelledInPAS says whether the appointment was cancelled
	// in the hospital's own system. Mandatory for indirectly bookable
	// services; nil leaves it out.
	AppointmentCancelledInPAS *bool
}

// CancelAppointmentActionLaterRequest is the input of A022.
type CancelAppointmentActionLaterRequest struct {
	UBRN    string
	Version string
	// Comments tell the admin team what to do. Mandatory.
	Comments string
	// Priority, if set, changes the referral's priority.
	Priority Priority
	// AppointmentCancelledInPAS is mandatory for indirectly bookable
	// services; when false the referral goes onto the "Indirectly Booked
	// Appointments to Cancel in PAS" worklist. Nil leaves it out.
	AppointmentCancelledInPAS *bool
	Attachments               []FileLink
}

// ReviewOutcomeRequest is the input of A028.
type ReviewOutcomeRequest struct {
	UBRN     string
	Version  string
	Outcome  ReviewOutcome
	Comments string
	// Priority, if set, changes the referral's priority; not allowed with
	// ReviewReturnToReferrer.
	Priority    Priority
	Attachments []FileLink
}

// AcceptReferral is A013: the provider accepts a referral booked into a
// bookable service (not a triage referral). The request has no body; the
// version goes in If-Match. The state stays BOOKED.
//
// Roles: SPC, SPCA. Application-restricted: yes (provider; needs a use-case
// review).
func (c *Client) AcceptReferral(ctx context.Context, ubrn, version string) (*Referral, error) {
	o := op(OpAcceptReferral)
	if err := checkReferralTarget(o.ID, ubrn, version); err != nil {
		return nil, err
	}
	return c.referralCall(ctx, call{op: o, pathValues: []string{ubrn}, ifMatch: IfMatch(version)})
}

// RejectReferral is A014: the provider rejects a booked referral; the
// appointment is cancelled and the referral goes to the referrer's
// REJECTED_TRIAGE_RESPONSE worklist. A 504 PAS_NOT_RESPONDING leaves the
// outcome unknown: reconcile with ReconcileReferral.
//
// Roles: SPC, SPCA. Application-restricted: no.
func (c *Client) RejectReferral(ctx context.Context, req RejectReferralRequest) (*Referral, error) {
	o := op(OpRejectReferral)
	if err := checkReferralTarget(o.ID, req.UBRN, req.Version); err != nil {
		return nil, err
	}
	reason, err := actionReason(o.ID, "rejection reason", req.Reason, fhir.LocalAppointmentCancellationReason)
	if err != nil {
		return nil, err
	}
	if err := checkActionComment(o.ID, "rejection comments", req.Comments); err != nil {
		return nil, err
	}
	p := fhir.NewParameters(profileRejectReferralParams)
	p.Add(fhir.Parameter{Name: "rejectionReason", Value: fhir.Value{ValueCoding: &reason}})
	if req.Comments != "" {
		p.Add(actionStringParam("rejectionComments", req.Comments))
	}
	if req.AppointmentCancelledInPAS != nil {
		p.Add(fhir.Parameter{Name: "appointmentCancelledInPAS", Value: fhir.Value{ValueBoolean: fhir.Ptr(*req.AppointmentCancelledInPAS)}})
	}
	return c.versionedWrite(ctx, o, req.UBRN, req.Version, p)
}

// CancelAppointmentActionLater is A022: the provider cancels the current
// appointment of a booked referral and tasks its admin team to rebook or
// redirect it ("Appointments For Booking", worked in the e-RS user
// interface). The state becomes TRIAGED_PROVIDER_TO_ACTION.
//
// Roles: SPC, SPCA. Application-restricted: no.
func (c *Client) CancelAppointmentActionLater(ctx context.Context, req CancelAppointmentActionLaterRequest) (*Referral, error) {
	o := op(OpCancelApptActionLater)
	if err := checkReferralTarget(o.ID, req.UBRN, req.Version); err != nil {
		return nil, err
	}
	if strings.TrimSpace(req.Comments) == "" {
		return nil, invalid(o.ID, "comments for the admin team are required")
	}
	if err := checkActionPriority(o.ID, req.Priority); err != nil {
		return nil, err
	}
	files, err := fileLinkResources(o.ID, AttachmentProvider, req.Attachments, time.Now())
	if err != nil {
		return nil, err
	}
	p := fhir.NewParameters(profileCAALParams)
	p.Add(actionStringParam("comments", req.Comments))
	if req.Priority != "" {
		p.Add(actionPriorityParam("priority", req.Priority))
	}
	if req.AppointmentCancelledInPAS != nil {
		p.Add(fhir.Parameter{Name: "appointmentCancelledInPAS", Value: fhir.Value{ValueBoolean: fhir.Ptr(*req.AppointmentCancelledInPAS)}})
	}
	for _, f := range files {
		p.Add(fhir.Parameter{Name: "providerAttachmentFile", Resource: f})
	}
	return c.versionedWrite(ctx, o, req.UBRN, req.Version, p)
}

// RecordReviewOutcome is A028: the provider records a triage decision on a
// referral sent to a triage service, or on a deferred one pending review
// (check with AvailableActions that RECORD_REVIEW_OUTCOME is offered).
// Both outcomes leave the referral TRIAGED_PROVIDER_TO_ACTION in the
// official examples, with the outcome as the state's reason.
//
// Roles: SPC, SPCA. Application-restricted: yes (provider; non-clinical
// actions only, after a use-case review).
func (c *Client) RecordReviewOutcome(ctx context.Context, req ReviewOutcomeRequest) (*Referral, error) {
	o := op(OpRecordReviewOutcome)
	if err := checkReferralTarget(o.ID, req.UBRN, req.Version); err != nil {
		return nil, err
	}
	switch req.Outcome {
	case ReviewReturnToReferrer, ReviewAcceptBookLater:
	case "":
		return nil, invalid(o.ID, "choose a review outcome")
	default:
		return nil, invalid(o.ID, "review outcome %q is not one e-RS accepts here: return to referrer with advice, or accept and refer/book later", req.Outcome)
	}
	if strings.TrimSpace(req.Comments) == "" {
		return nil, invalid(o.ID, "review comments are required")
	}
	if req.Priority != "" && req.Outcome == ReviewReturnToReferrer {
		// e-RS would answer 422 PRIORITY_NOT_CURRENT.
		return nil, invalid(o.ID, "the priority cannot be changed when returning the referral with advice")
	}
	if err := checkActionPriority(o.ID, req.Priority); err != nil {
		return nil, err
	}
	files, err := fileLinkResources(o.ID, AttachmentProvider, req.Attachments, time.Now())
	if err != nil {
		return nil, err
	}
	p := fhir.NewParameters(profileReviewOutcomeParams)
	if req.Priority != "" {
		p.Add(actionPriorityParam("reviewPriority", req.Priority))
	}
	p.Add(fhir.Parameter{Name: "reviewOutcome", Value: fhir.Value{ValueCoding: &fhir.Coding{System: fhir.CSReviewOutcome, Code: string(req.Outcome)}}})
	p.Add(actionStringParam("reviewComments", req.Comments))
	for _, f := range files {
		p.Add(fhir.Parameter{Name: "reviewAttachmentFile", Resource: f})
	}
	return c.versionedWrite(ctx, o, req.UBRN, req.Version, p)
}

// versionedWrite posts a Parameters body to a referral with If-Match and
// returns the updated referral.
func (c *Client) versionedWrite(ctx context.Context, o Operation, ubrn, version string, body *fhir.Parameters) (*Referral, error) {
	cl := call{op: o, pathValues: []string{ubrn}, ifMatch: IfMatch(version)}
	if err := cl.resource(body); err != nil {
		return nil, err
	}
	return c.referralCall(ctx, cl)
}

func checkReferralTarget(opID OperationID, ubrn, version string) error {
	if msg := ubrnProblem(ubrn); msg != "" {
		return invalid(opID, "%s", msg)
	}
	if msg := versionProblem(version); msg != "" {
		return invalid(opID, "%s", msg)
	}
	return nil
}

// localReason checks that a reason is a coding of the expected local code
// system (matched by suffix, whatever base URL is in front) and keeps only
// its system and code, which is what e-RS expects.
func actionReason(opID OperationID, what string, cd fhir.Coding, codeSystemType string) (fhir.Coding, error) {
	if cd.Code == "" {
		return fhir.Coding{}, invalid(opID, "choose a %s", what)
	}
	if !fhir.MatchSystem(cd.System, codeSystemType) {
		return fhir.Coding{}, invalid(opID, "the %s must come from the %s list (A004); got system %q", what, codeSystemType, cd.System)
	}
	return fhir.Coding{System: cd.System, Code: cd.Code}, nil
}

func checkActionComment(opID OperationID, what, s string) error {
	if n := utf8.RuneCountInString(s); n > maxProviderCommentRunes {
		return invalid(opID, "%s are %d characters long; e-RS allows at most %d", what, n, maxProviderCommentRunes)
	}
	return nil
}

func checkActionPriority(opID OperationID, p Priority) error {
	switch p {
	case "", PriorityRoutine, PriorityUrgent, PriorityTwoWeekWait:
		return nil
	}
	return invalid(opID, "priority %q is not ROUTINE, URGENT or TWO_WEEK_WAIT", p)
}

func actionStringParam(name, s string) fhir.Parameter {
	return fhir.Parameter{Name: name, Value: fhir.Value{ValueString: fhir.Ptr(s)}}
}

func actionPriorityParam(name string, p Priority) fhir.Parameter {
	return fhir.Parameter{Name: name, Value: fhir.Value{ValueCoding: &fhir.Coding{System: fhir.CSPriority, Code: string(p)}}}
}
