package screen

import (
	"context"
	"io"

	"github.com/ers-workstation/ers-workstation/ersclient"
)

// ERS is the e-RS API as the screens use it: *ersclient.Client through the
// gateway in the product (the gateway sets the role headers), a fake in
// tests. It grows by one method when a screen needs one more operation;
// keep it to the operations screens call.
type ERS interface {
	// Worklists (A008, A023) and looking a referral up (A041).
	RetrieveWorklist(ctx context.Context, q ersclient.WorklistQuery) (*ersclient.Worklist, error)
	RetrieveAdviceWorklist(ctx context.Context, q ersclient.AdviceWorklistQuery) (*ersclient.Worklist, error)
	SearchServiceRequests(ctx context.Context, ubrn string) (*ersclient.ServiceRequestMatches, error)

	// The referral (A005, A038, A029) and its documents (A007, A042).
	RetrieveReferral(ctx context.Context, ubrn string) (*ersclient.Referral, error)
	RetrieveAppointment(ctx context.Context, id string) (*ersclient.AppointmentView, error)
	AvailableActions(ctx context.Context, ubrn, version string) (*ersclient.AvailableActions, error)
	RetrieveClinicalInformation(ctx context.Context, ubrn string, w io.Writer) (*ersclient.Download, error)
	RetrieveAttachment(ctx context.Context, attachmentID string, w io.Writer) (*ersclient.Download, error)

	// Reference data for the forms (A004) and uploads (A020).
	RetrieveReferenceData(ctx context.Context, codeSystemType string) (*ersclient.ReferenceData, error)
	UploadFile(ctx context.Context, u ersclient.Upload) (*ersclient.UploadedFile, error)

	// Provider actions (A013, A014, A022, A028, A036) and reading a write's
	// outcome back when it is unknown.
	AcceptReferral(ctx context.Context, ubrn, version string) (*ersclient.Referral, error)
	RejectReferral(ctx context.Context, req ersclient.RejectReferralRequest) (*ersclient.Referral, error)
	CancelAppointmentActionLater(ctx context.Context, req ersclient.CancelAppointmentActionLaterRequest) (*ersclient.Referral, error)
	RecordReviewOutcome(ctx context.Context, req ersclient.ReviewOutcomeRequest) (*ersclient.Referral, error)
	CancelReferral(ctx context.Context, req ersclient.CancelReferralRequest) (*ersclient.CancelReferralResult, error)
	ReconcileReferral(ctx context.Context, ubrn, sentVersion string) (*ersclient.Reconciliation, error)
}

// Broadcast marks a message the root delivers to every screen in the stack,
// not only the top one: a change other screens must reflect at once (a
// referral's new state in the worklist underneath).
type Broadcast interface{ Broadcast() }

// ReferralChanged: a write changed a referral. Screens showing it update
// from Referral (the new version) without a reload; a worklist moves or
// drops the row.
type ReferralChanged struct {
	UBRN     string
	Referral *ersclient.Referral
	// Action names what changed it ("Accepted", "Rejected", ...), for the
	// worklist's note on the row.
	Action string
}

// Broadcast implements Broadcast.
func (ReferralChanged) Broadcast() {}
