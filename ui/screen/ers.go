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

	// Service search (A010), service details (A033, revalidated with A037's
	// HEAD) and several services at once (A035).
	SearchServicesForPatient(ctx context.Context, s ersclient.ServiceSearch) (*ersclient.ServiceSearchResults, error)
	RetrieveService(ctx context.Context, id string) (*ersclient.Service, error)
	RetrieveServiceVersion(ctx context.Context, id string) (string, ersclient.ResponseInfo, error)
	SearchServices(ctx context.Context, ids []string) (*ersclient.ServiceList, error)

	// Creating and maintaining a referral: create (A011, or A021 with
	// triage), letters (A012 replaces the whole set), the shortlist (A031,
	// or A032 with triage) and the patient letter (A019).
	CreateReferral(ctx context.Context, req ersclient.CreateReferralRequest) (*ersclient.Referral, error)
	CreateReferralAndSendForTriage(ctx context.Context, req ersclient.CreateReferralRequest) (*ersclient.Referral, error)
	MaintainReferralLetters(ctx context.Context, req ersclient.MaintainLettersRequest) (*ersclient.Referral, error)
	ChangeShortlist(ctx context.Context, req ersclient.ChangeShortlistRequest) (*ersclient.Referral, error)
	ChangeShortlistAndSendForTriage(ctx context.Context, req ersclient.ChangeShortlistRequest) (*ersclient.ShortlistTriageResult, error)
	GeneratePatientLetter(ctx context.Context, ubrn string, w io.Writer) (*ersclient.Download, error)

	// Booking: slots (A015), book, defer or send for triage (A016) and
	// cancelling a booked appointment (A034).
	RetrieveSlots(ctx context.Context, q ersclient.SlotQuery) (*ersclient.SlotPage, error)
	BookAppointment(ctx context.Context, req ersclient.BookRequest) (*ersclient.AppointmentView, error)
	DeferToProvider(ctx context.Context, req ersclient.DeferRequest) (*ersclient.AppointmentView, error)
	SendForTriage(ctx context.Context, req ersclient.TriageRequest) (*ersclient.AppointmentView, error)
	CancelAppointment(ctx context.Context, req ersclient.CancelAppointmentRequest) (*ersclient.AppointmentView, error)

	// Advice & Guidance: the request (A024), its conversation (A025), a
	// response (A026), conversion (A027), a new request (A044), the overview
	// PDF (A043) and reading a request back after an unknown outcome.
	RetrieveAdviceRequest(ctx context.Context, ubrn string) (*ersclient.AdviceRequest, error)
	RetrieveAdviceConversation(ctx context.Context, ubrn, version string) (*ersclient.AdviceThread, error)
	SendAdviceResponse(ctx context.Context, req ersclient.AdviceResponseRequest) (*ersclient.AdviceSent, error)
	ConvertAdviceToReferral(ctx context.Context, req ersclient.ConvertAdviceRequest) (*ersclient.Referral, error)
	CreateAdviceRequest(ctx context.Context, req ersclient.CreateAdviceRequest) (*ersclient.AdviceSent, error)
	RetrieveAdviceOverview(ctx context.Context, ubrn string, w io.Writer) (*ersclient.Download, error)
	ReconcileAdviceRequest(ctx context.Context, ubrn, sentVersion string) (*ersclient.Reconciliation, error)
}

// The product's implementation is the e-RS client itself.
var _ ERS = (*ersclient.Client)(nil)

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

// AdviceChanged: a write changed an A&G request (a response sent). The
// worklist's A&G tab shows the new status on the row at once and reloads.
type AdviceChanged struct {
	UBRN string
	// Request is the request as e-RS returned it after the write; nil when
	// the write's answer did not carry it.
	Request *ersclient.AdviceRequest
	// Action names the change ("Responded"), for the worklist's note.
	Action string
}

// Broadcast implements Broadcast.
func (AdviceChanged) Broadcast() {}
