package uitest

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"

	"github.com/ers-workstation/ers-workstation/ersclient"
	"github.com/ers-workstation/ers-workstation/ui/screen"
)

// ErrNotScripted is what a FakeERS operation returns when the test did not
// script it: a screen calling an operation it should not is a failure the
// test sees.
var ErrNotScripted = errors.New("uitest: operation not scripted by the test")

// FakeERS is a scriptable screen.ERS. Set the function of each operation the
// test expects; the others fail with ErrNotScripted. Every call is recorded
// as "A005 <ubrn>"-style strings, in order. Safe for concurrent use.
type FakeERS struct {
	Worklist                       func(ersclient.WorklistQuery) (*ersclient.Worklist, error)
	AdviceWorklist                 func(ersclient.AdviceWorklistQuery) (*ersclient.Worklist, error)
	SearchServiceRequestsFn        func(ubrn string) (*ersclient.ServiceRequestMatches, error)
	Referral                       func(ubrn string) (*ersclient.Referral, error)
	Appointment                    func(id string) (*ersclient.AppointmentView, error)
	Actions                        func(ubrn, version string) (*ersclient.AvailableActions, error)
	ClinicalInformation            func(ubrn string, w io.Writer) (*ersclient.Download, error)
	Attachment                     func(id string, w io.Writer) (*ersclient.Download, error)
	ReferenceData                  func(codeSystemType string) (*ersclient.ReferenceData, error)
	Upload                         func(ersclient.Upload) (*ersclient.UploadedFile, error)
	Accept                         func(ubrn, version string) (*ersclient.Referral, error)
	Reject                         func(ersclient.RejectReferralRequest) (*ersclient.Referral, error)
	CancelAppointmentActionLaterFn func(ersclient.CancelAppointmentActionLaterRequest) (*ersclient.Referral, error)
	ReviewOutcome                  func(ersclient.ReviewOutcomeRequest) (*ersclient.Referral, error)
	Cancel                         func(ersclient.CancelReferralRequest) (*ersclient.CancelReferralResult, error)
	Reconcile                      func(ubrn, sentVersion string) (*ersclient.Reconciliation, error)

	ServiceSearch       func(ersclient.ServiceSearch) (*ersclient.ServiceSearchResults, error)
	Service             func(id string) (*ersclient.Service, error)
	ServiceVersion      func(id string) (string, ersclient.ResponseInfo, error)
	Services            func(ids []string) (*ersclient.ServiceList, error)
	Create              func(ersclient.CreateReferralRequest) (*ersclient.Referral, error)
	CreateForTriage     func(ersclient.CreateReferralRequest) (*ersclient.Referral, error)
	Letters             func(ersclient.MaintainLettersRequest) (*ersclient.Referral, error)
	Shortlist           func(ersclient.ChangeShortlistRequest) (*ersclient.Referral, error)
	ShortlistForTriage  func(ersclient.ChangeShortlistRequest) (*ersclient.ShortlistTriageResult, error)
	PatientLetter       func(ubrn string, w io.Writer) (*ersclient.Download, error)
	Slots               func(ersclient.SlotQuery) (*ersclient.SlotPage, error)
	Book                func(ersclient.BookRequest) (*ersclient.AppointmentView, error)
	Defer               func(ersclient.DeferRequest) (*ersclient.AppointmentView, error)
	Triage              func(ersclient.TriageRequest) (*ersclient.AppointmentView, error)
	CancelAppointmentFn func(ersclient.CancelAppointmentRequest) (*ersclient.AppointmentView, error)
	AdviceRequest       func(ubrn string) (*ersclient.AdviceRequest, error)
	AdviceConversation  func(ubrn, version string) (*ersclient.AdviceThread, error)
	AdviceResponse      func(ersclient.AdviceResponseRequest) (*ersclient.AdviceSent, error)
	ConvertAdvice       func(ersclient.ConvertAdviceRequest) (*ersclient.Referral, error)
	CreateAdvice        func(ersclient.CreateAdviceRequest) (*ersclient.AdviceSent, error)
	AdviceOverview      func(ubrn string, w io.Writer) (*ersclient.Download, error)
	ReconcileAdvice     func(ubrn, sentVersion string) (*ersclient.Reconciliation, error)

	mu    sync.Mutex
	calls []string
}

var _ screen.ERS = (*FakeERS)(nil)

// Calls returns the calls made so far, in order.
func (f *FakeERS) Calls() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.calls...)
}

// CallCount counts the calls whose record starts with prefix ("A014").
func (f *FakeERS) CallCount(prefix string) int {
	n := 0
	for _, c := range f.Calls() {
		if len(c) >= len(prefix) && c[:len(prefix)] == prefix {
			n++
		}
	}
	return n
}

func (f *FakeERS) record(ctx context.Context, op ersclient.OperationID, arg string) error {
	f.mu.Lock()
	f.calls = append(f.calls, fmt.Sprintf("%s %s", op, arg))
	f.mu.Unlock()
	return ctx.Err()
}

// call records the operation, then runs fn when scripted.
func call[T any](f *FakeERS, ctx context.Context, op ersclient.OperationID, arg string, fn func() (T, error), scripted bool) (T, error) {
	var zero T
	if err := f.record(ctx, op, arg); err != nil {
		return zero, err
	}
	if !scripted {
		return zero, fmt.Errorf("%s: %w", op, ErrNotScripted)
	}
	return fn()
}

func (f *FakeERS) RetrieveWorklist(ctx context.Context, q ersclient.WorklistQuery) (*ersclient.Worklist, error) {
	return call(f, ctx, ersclient.OpRetrieveWorklist, string(q.ListType), func() (*ersclient.Worklist, error) { return f.Worklist(q) }, f.Worklist != nil)
}

func (f *FakeERS) RetrieveAdviceWorklist(ctx context.Context, q ersclient.AdviceWorklistQuery) (*ersclient.Worklist, error) {
	return call(f, ctx, ersclient.OpAdviceWorklist, "", func() (*ersclient.Worklist, error) { return f.AdviceWorklist(q) }, f.AdviceWorklist != nil)
}

func (f *FakeERS) SearchServiceRequests(ctx context.Context, ubrn string) (*ersclient.ServiceRequestMatches, error) {
	return call(f, ctx, ersclient.OpSearchServiceRequest, ubrn, func() (*ersclient.ServiceRequestMatches, error) { return f.SearchServiceRequestsFn(ubrn) }, f.SearchServiceRequestsFn != nil)
}

func (f *FakeERS) RetrieveReferral(ctx context.Context, ubrn string) (*ersclient.Referral, error) {
	return call(f, ctx, ersclient.OpRetrieveReferral, ubrn, func() (*ersclient.Referral, error) { return f.Referral(ubrn) }, f.Referral != nil)
}

func (f *FakeERS) RetrieveAppointment(ctx context.Context, id string) (*ersclient.AppointmentView, error) {
	return call(f, ctx, ersclient.OpRetrieveAppointment, id, func() (*ersclient.AppointmentView, error) { return f.Appointment(id) }, f.Appointment != nil)
}

func (f *FakeERS) AvailableActions(ctx context.Context, ubrn, version string) (*ersclient.AvailableActions, error) {
	return call(f, ctx, ersclient.OpAvailableActions, ubrn, func() (*ersclient.AvailableActions, error) { return f.Actions(ubrn, version) }, f.Actions != nil)
}

func (f *FakeERS) RetrieveClinicalInformation(ctx context.Context, ubrn string, w io.Writer) (*ersclient.Download, error) {
	return call(f, ctx, ersclient.OpRetrieveClinicalInfo, ubrn, func() (*ersclient.Download, error) { return f.ClinicalInformation(ubrn, w) }, f.ClinicalInformation != nil)
}

func (f *FakeERS) RetrieveAttachment(ctx context.Context, attachmentID string, w io.Writer) (*ersclient.Download, error) {
	return call(f, ctx, ersclient.OpRetrieveAttachment, attachmentID, func() (*ersclient.Download, error) { return f.Attachment(attachmentID, w) }, f.Attachment != nil)
}

func (f *FakeERS) RetrieveReferenceData(ctx context.Context, codeSystemType string) (*ersclient.ReferenceData, error) {
	return call(f, ctx, ersclient.OpRetrieveReferenceData, codeSystemType, func() (*ersclient.ReferenceData, error) { return f.ReferenceData(codeSystemType) }, f.ReferenceData != nil)
}

func (f *FakeERS) UploadFile(ctx context.Context, u ersclient.Upload) (*ersclient.UploadedFile, error) {
	return call(f, ctx, ersclient.OpUploadFile, u.FileName, func() (*ersclient.UploadedFile, error) { return f.Upload(u) }, f.Upload != nil)
}

func (f *FakeERS) AcceptReferral(ctx context.Context, ubrn, version string) (*ersclient.Referral, error) {
	return call(f, ctx, ersclient.OpAcceptReferral, ubrn, func() (*ersclient.Referral, error) { return f.Accept(ubrn, version) }, f.Accept != nil)
}

func (f *FakeERS) RejectReferral(ctx context.Context, req ersclient.RejectReferralRequest) (*ersclient.Referral, error) {
	return call(f, ctx, ersclient.OpRejectReferral, req.UBRN, func() (*ersclient.Referral, error) { return f.Reject(req) }, f.Reject != nil)
}

func (f *FakeERS) CancelAppointmentActionLater(ctx context.Context, req ersclient.CancelAppointmentActionLaterRequest) (*ersclient.Referral, error) {
	return call(f, ctx, ersclient.OpCancelApptActionLater, req.UBRN, func() (*ersclient.Referral, error) { return f.CancelAppointmentActionLaterFn(req) }, f.CancelAppointmentActionLaterFn != nil)
}

func (f *FakeERS) RecordReviewOutcome(ctx context.Context, req ersclient.ReviewOutcomeRequest) (*ersclient.Referral, error) {
	return call(f, ctx, ersclient.OpRecordReviewOutcome, req.UBRN, func() (*ersclient.Referral, error) { return f.ReviewOutcome(req) }, f.ReviewOutcome != nil)
}

func (f *FakeERS) CancelReferral(ctx context.Context, req ersclient.CancelReferralRequest) (*ersclient.CancelReferralResult, error) {
	return call(f, ctx, ersclient.OpCancelReferral, req.UBRN, func() (*ersclient.CancelReferralResult, error) { return f.Cancel(req) }, f.Cancel != nil)
}

// ReconcileReferral is recorded as "reconcile <ubrn>": it reads A005 back.
func (f *FakeERS) ReconcileReferral(ctx context.Context, ubrn, sentVersion string) (*ersclient.Reconciliation, error) {
	return call(f, ctx, "reconcile", ubrn, func() (*ersclient.Reconciliation, error) { return f.Reconcile(ubrn, sentVersion) }, f.Reconcile != nil)
}

func (f *FakeERS) SearchServicesForPatient(ctx context.Context, s ersclient.ServiceSearch) (*ersclient.ServiceSearchResults, error) {
	return call(f, ctx, ersclient.OpPatientServiceSearch, s.NHSNumber, func() (*ersclient.ServiceSearchResults, error) { return f.ServiceSearch(s) }, f.ServiceSearch != nil)
}

func (f *FakeERS) RetrieveService(ctx context.Context, id string) (*ersclient.Service, error) {
	return call(f, ctx, ersclient.OpRetrieveService, id, func() (*ersclient.Service, error) { return f.Service(id) }, f.Service != nil)
}

func (f *FakeERS) RetrieveServiceVersion(ctx context.Context, id string) (string, ersclient.ResponseInfo, error) {
	type answer struct {
		version string
		info    ersclient.ResponseInfo
	}
	a, err := call(f, ctx, ersclient.OpRetrieveServiceVersion, id, func() (answer, error) {
		v, info, err := f.ServiceVersion(id)
		return answer{v, info}, err
	}, f.ServiceVersion != nil)
	return a.version, a.info, err
}

func (f *FakeERS) SearchServices(ctx context.Context, ids []string) (*ersclient.ServiceList, error) {
	return call(f, ctx, ersclient.OpSearchServices, strings.Join(ids, ","), func() (*ersclient.ServiceList, error) { return f.Services(ids) }, f.Services != nil)
}

func (f *FakeERS) CreateReferral(ctx context.Context, req ersclient.CreateReferralRequest) (*ersclient.Referral, error) {
	return call(f, ctx, ersclient.OpCreateReferral, req.NHSNumber, func() (*ersclient.Referral, error) { return f.Create(req) }, f.Create != nil)
}

func (f *FakeERS) CreateReferralAndSendForTriage(ctx context.Context, req ersclient.CreateReferralRequest) (*ersclient.Referral, error) {
	return call(f, ctx, ersclient.OpCreateReferralAndTriage, req.NHSNumber, func() (*ersclient.Referral, error) { return f.CreateForTriage(req) }, f.CreateForTriage != nil)
}

func (f *FakeERS) MaintainReferralLetters(ctx context.Context, req ersclient.MaintainLettersRequest) (*ersclient.Referral, error) {
	return call(f, ctx, ersclient.OpMaintainReferralLetter, req.UBRN, func() (*ersclient.Referral, error) { return f.Letters(req) }, f.Letters != nil)
}

func (f *FakeERS) ChangeShortlist(ctx context.Context, req ersclient.ChangeShortlistRequest) (*ersclient.Referral, error) {
	return call(f, ctx, ersclient.OpChangeShortlist, req.UBRN, func() (*ersclient.Referral, error) { return f.Shortlist(req) }, f.Shortlist != nil)
}

func (f *FakeERS) ChangeShortlistAndSendForTriage(ctx context.Context, req ersclient.ChangeShortlistRequest) (*ersclient.ShortlistTriageResult, error) {
	return call(f, ctx, ersclient.OpChangeShortlistAndTriage, req.UBRN, func() (*ersclient.ShortlistTriageResult, error) { return f.ShortlistForTriage(req) }, f.ShortlistForTriage != nil)
}

func (f *FakeERS) GeneratePatientLetter(ctx context.Context, ubrn string, w io.Writer) (*ersclient.Download, error) {
	return call(f, ctx, ersclient.OpGeneratePatientLetter, ubrn, func() (*ersclient.Download, error) { return f.PatientLetter(ubrn, w) }, f.PatientLetter != nil)
}

func (f *FakeERS) RetrieveSlots(ctx context.Context, q ersclient.SlotQuery) (*ersclient.SlotPage, error) {
	return call(f, ctx, ersclient.OpRetrieveSlots, q.ServiceID, func() (*ersclient.SlotPage, error) { return f.Slots(q) }, f.Slots != nil)
}

// BookAppointment, DeferToProvider and SendForTriage are all A016; the
// record says which: "A016 book <ubrn>", "A016 defer <ubrn>", "A016 triage <ubrn>".
func (f *FakeERS) BookAppointment(ctx context.Context, req ersclient.BookRequest) (*ersclient.AppointmentView, error) {
	return call(f, ctx, ersclient.OpBookOrDefer, "book "+req.UBRN, func() (*ersclient.AppointmentView, error) { return f.Book(req) }, f.Book != nil)
}

func (f *FakeERS) DeferToProvider(ctx context.Context, req ersclient.DeferRequest) (*ersclient.AppointmentView, error) {
	return call(f, ctx, ersclient.OpBookOrDefer, "defer "+req.UBRN, func() (*ersclient.AppointmentView, error) { return f.Defer(req) }, f.Defer != nil)
}

func (f *FakeERS) SendForTriage(ctx context.Context, req ersclient.TriageRequest) (*ersclient.AppointmentView, error) {
	return call(f, ctx, ersclient.OpBookOrDefer, "triage "+req.UBRN, func() (*ersclient.AppointmentView, error) { return f.Triage(req) }, f.Triage != nil)
}

func (f *FakeERS) CancelAppointment(ctx context.Context, req ersclient.CancelAppointmentRequest) (*ersclient.AppointmentView, error) {
	return call(f, ctx, ersclient.OpCancelAppointment, req.AppointmentID, func() (*ersclient.AppointmentView, error) { return f.CancelAppointmentFn(req) }, f.CancelAppointmentFn != nil)
}

func (f *FakeERS) RetrieveAdviceRequest(ctx context.Context, ubrn string) (*ersclient.AdviceRequest, error) {
	return call(f, ctx, ersclient.OpRetrieveAdviceRequest, ubrn, func() (*ersclient.AdviceRequest, error) { return f.AdviceRequest(ubrn) }, f.AdviceRequest != nil)
}

func (f *FakeERS) RetrieveAdviceConversation(ctx context.Context, ubrn, version string) (*ersclient.AdviceThread, error) {
	return call(f, ctx, ersclient.OpRetrieveAdviceThread, ubrn, func() (*ersclient.AdviceThread, error) { return f.AdviceConversation(ubrn, version) }, f.AdviceConversation != nil)
}

func (f *FakeERS) SendAdviceResponse(ctx context.Context, req ersclient.AdviceResponseRequest) (*ersclient.AdviceSent, error) {
	return call(f, ctx, ersclient.OpSendAdviceResponse, req.UBRN, func() (*ersclient.AdviceSent, error) { return f.AdviceResponse(req) }, f.AdviceResponse != nil)
}

func (f *FakeERS) ConvertAdviceToReferral(ctx context.Context, req ersclient.ConvertAdviceRequest) (*ersclient.Referral, error) {
	return call(f, ctx, ersclient.OpConvertAdviceToReferral, req.UBRN, func() (*ersclient.Referral, error) { return f.ConvertAdvice(req) }, f.ConvertAdvice != nil)
}

func (f *FakeERS) CreateAdviceRequest(ctx context.Context, req ersclient.CreateAdviceRequest) (*ersclient.AdviceSent, error) {
	return call(f, ctx, ersclient.OpCreateAdviceRequest, req.NHSNumber, func() (*ersclient.AdviceSent, error) { return f.CreateAdvice(req) }, f.CreateAdvice != nil)
}

func (f *FakeERS) RetrieveAdviceOverview(ctx context.Context, ubrn string, w io.Writer) (*ersclient.Download, error) {
	return call(f, ctx, ersclient.OpRetrieveAdviceOverviewPDF, ubrn, func() (*ersclient.Download, error) { return f.AdviceOverview(ubrn, w) }, f.AdviceOverview != nil)
}

// ReconcileAdviceRequest is recorded as "reconcile-advice <ubrn>": it reads A024 back.
func (f *FakeERS) ReconcileAdviceRequest(ctx context.Context, ubrn, sentVersion string) (*ersclient.Reconciliation, error) {
	return call(f, ctx, "reconcile-advice", ubrn, func() (*ersclient.Reconciliation, error) { return f.ReconcileAdvice(ubrn, sentVersion) }, f.ReconcileAdvice != nil)
}
