package ersclient

import (
	"context"
	"strings"
	"time"

	"github.com/ers-workstation/ers-workstation/ersclient/fhir"
)

// Appointment statuses e-RS uses.
const (
	AppointmentProposed  = "proposed"
	AppointmentBooked    = "booked"
	AppointmentCancelled = "cancelled"
)

// AppointmentView is an appointment as a screen shows it: a booking, a
// deferral to the provider or a triage request (A016, A038, A034).
type AppointmentView struct {
	ResponseInfo
	ID string
	// Version is the appointment's version for A034's If-Match:
	// meta.versionId, or the ETag's number when the body carries none.
	Version string
	// Status is proposed (deferred or sent for triage), booked, cancelled...
	Status string
	// Start and End are zero when there is no booking; Created is when the
	// appointment was made.
	Start, End, Created time.Time
	// The reason: eRS-ReviewReason-1 (NO_SLOTS_AT_SERVICE, SLOT_NOT_AVAILABLE,
	// BOOKING_ATTEMPT_PROBLEM, TRIAGE), eRS-ReviewOutcome-1, or a local
	// APPOINTMENT-CANCELLATION-REASON code.
	ReasonSystem  string
	ReasonCode    string
	ReasonDisplay string
	Comment       string
	ServiceID     string
	ServiceName   string
	NHSNumber     string
	// ClinicianSDS is the named clinician (CON participant), if any.
	ClinicianSDS string
	SlotIDs      []string
	// UBRN and ReferralVersion are the referral the appointment belongs to,
	// at the version it was made against (incomingReferral).
	UBRN            string
	ReferralVersion string
	// Resource is the raw appointment, as A034 needs it.
	Resource *fhir.Appointment
}

// IsTriage reports an appointment that sends the referral for triage.
func (a *AppointmentView) IsTriage() bool {
	return fhir.MatchSystem(a.ReasonSystem, fhir.CSReviewReason) && a.ReasonCode == "TRIAGE"
}

// IsDeferral reports a referral deferred to the provider for booking.
func (a *AppointmentView) IsDeferral() bool {
	return a.Status == AppointmentProposed && fhir.MatchSystem(a.ReasonSystem, fhir.CSReviewReason) && a.ReasonCode != "TRIAGE"
}

// appointmentView reads the facts of an appointment.
func appointmentView(info ResponseInfo, a *fhir.Appointment) *AppointmentView {
	v := &AppointmentView{ResponseInfo: info, Resource: a, ID: a.ID, Status: a.Status, Comment: a.Comment,
		Version: a.Version()}
	if v.Version == "" {
		v.Version = info.Version
	}
	v.Start, _ = ParseFHIRTime(a.Start)
	v.End, _ = ParseFHIRTime(a.End)
	v.Created, _ = ParseFHIRTime(a.Created)
	if len(a.Reason) > 0 && len(a.Reason[0].Coding) > 0 {
		cd := a.Reason[0].Coding[0]
		v.ReasonSystem, v.ReasonCode, v.ReasonDisplay = cd.System, cd.Code, cd.Display
	}
	for _, s := range a.Slot {
		v.SlotIDs = append(v.SlotIDs, strings.TrimPrefix(s.Reference, "Slot/"))
	}
	if len(a.IncomingReferral) > 0 {
		v.UBRN, v.ReferralVersion = splitReferralReference(a.IncomingReferral[0].Reference)
	}
	for _, p := range a.Participant {
		if p.Actor == nil || p.Actor.Identifier == nil {
			continue
		}
		id := p.Actor.Identifier
		switch id.System {
		case fhir.SystemERSService:
			v.ServiceID, v.ServiceName = id.Value, p.Actor.Display
		case fhir.SystemNHSNumberSTU3, fhir.SystemNHSNumberR4:
			v.NHSNumber = id.Value
		case fhir.SystemSDSUserSTU3, fhir.SystemSDSUserR4:
			v.ClinicianSDS = id.Value
		}
	}
	return v
}

// splitReferralReference reads "ReferralRequest/{ubrn}[/_history/{v}]".
func splitReferralReference(ref string) (ubrn, version string) {
	rest, ok := strings.CutPrefix(ref, "ReferralRequest/")
	if !ok {
		return "", ""
	}
	ubrn, version, _ = strings.Cut(rest, "/_history/")
	return ubrn, version
}

// RetrieveAppointment is A038: the appointment with its current version.
// Its id is the referral's Extension-eRS-Appointment-Reference-1
// ("Appointment/{id}").
//
// Roles: RC, RCA, SPC, SPCA. Application-restricted: no.
func (c *Client) RetrieveAppointment(ctx context.Context, id string) (*AppointmentView, error) {
	o := op(OpRetrieveAppointment)
	if msg := appointmentIDProblem(id); msg != "" {
		return nil, invalid(o.ID, "%s", msg)
	}
	return c.appointmentCall(ctx, call{op: o, pathValues: []string{id}})
}

// RetrieveAppointmentVersion is A038v: the appointment at a version. e-RS
// serves only the latest version; any other gives 404 HISTORY_NOT_SUPPORTED
// (IsNotFound), which tells the caller its copy is stale.
//
// Roles: RC, RCA, SPC, SPCA. Application-restricted: no.
func (c *Client) RetrieveAppointmentVersion(ctx context.Context, id, version string) (*AppointmentView, error) {
	o := op(OpRetrieveAppointmentVer)
	if msg := appointmentIDProblem(id); msg != "" {
		return nil, invalid(o.ID, "%s", msg)
	}
	if msg := versionProblem(version); msg != "" {
		return nil, invalid(o.ID, "%s", msg)
	}
	return c.appointmentCall(ctx, call{op: o, pathValues: []string{id, version}})
}

// appointmentCall runs a call whose success body is an Appointment.
func (c *Client) appointmentCall(ctx context.Context, cl call) (*AppointmentView, error) {
	resp, err := fetch[fhir.Appointment](ctx, c, cl)
	if err != nil {
		return nil, err
	}
	if resp.Resource.ResourceType != "Appointment" {
		return nil, badResponse(cl.op.ID, resp.ResponseInfo, "expected an Appointment, got %q", resp.Resource.ResourceType)
	}
	return appointmentView(resp.ResponseInfo, resp.Resource), nil
}

func appointmentIDProblem(id string) string {
	switch {
	case id == "":
		return "no appointment id given"
	case strings.ContainsAny(id, "/?# "):
		return "\"" + id + "\" is not an appointment id"
	}
	return ""
}

// CancelAppointmentRequest is the input of A034.
type CancelAppointmentRequest struct {
	// Appointment is the appointment as read with A038 (AppointmentView's
	// Resource). It is sent back with the status, reason and comment changed.
	Appointment *fhir.Appointment
	// AppointmentID and Version name the appointment when Appointment is
	// nil: it is then read at that version first (A038v), which fails if
	// someone changed it since. Version, if set with Appointment, must be
	// its version.
	AppointmentID string
	Version       string
	// Reason is an APPOINTMENT-CANCELLATION-REASON coding exactly as A004
	// returned it, one with usage CANCEL for the user's role and in effect.
	Reason fhir.Coding
	// Comment is required when the reason's commentIsMandatory is true
	// (e-RS otherwise answers 422 MISSING_VALUE).
	Comment string
}

// CancelAppointment is A034: it cancels a booked appointment at a directly
// bookable service (a PUT of the appointment with status cancelled, a reason
// and a comment; If-Match is the APPOINTMENT's version, not the referral's).
// Only the current appointment can be cancelled; rebook afterwards with
// ChangeShortlist and A016.
//
// Roles: RC, RCA. Application-restricted: no.
func (c *Client) CancelAppointment(ctx context.Context, req CancelAppointmentRequest) (*AppointmentView, error) {
	o := op(OpCancelAppointment)
	if req.Reason.Code == "" {
		return nil, invalid(o.ID, "no cancellation reason given")
	}
	if !fhir.IsLocalSystem(req.Reason.System, fhir.LocalAppointmentCancellationReason) {
		return nil, invalid(o.ID, "the reason %q is not an appointment cancellation reason: pass the coding as A004 (APPOINTMENT-CANCELLATION-REASON) returned it", req.Reason.Code)
	}
	appt := req.Appointment
	if appt == nil {
		if msg := appointmentIDProblem(req.AppointmentID); msg != "" {
			return nil, invalid(o.ID, "%s", msg)
		}
		if msg := versionProblem(req.Version); msg != "" {
			return nil, invalid(o.ID, "%s", msg)
		}
		current, err := c.RetrieveAppointmentVersion(ctx, req.AppointmentID, req.Version)
		if err != nil {
			return nil, err
		}
		appt = current.Resource
		if appt.Version() == "" {
			appt.Meta = metaWithVersion(appt.Meta, req.Version)
		}
	}
	body, version, err := cancellation(o.ID, appt, req)
	if err != nil {
		return nil, err
	}
	cl := call{op: o, pathValues: []string{body.ID}, ifMatch: IfMatch(version)}
	if err := cl.resource(body); err != nil {
		return nil, err
	}
	return c.appointmentCall(ctx, cl)
}

// cancellation builds the A034 body from the appointment as read, without
// changing the caller's copy.
func cancellation(opID OperationID, appt *fhir.Appointment, req CancelAppointmentRequest) (*fhir.Appointment, string, error) {
	if req.AppointmentID != "" && appt.ID != req.AppointmentID {
		return nil, "", invalid(opID, "the appointment given is %q, not %q", appt.ID, req.AppointmentID)
	}
	if msg := appointmentIDProblem(appt.ID); msg != "" {
		return nil, "", invalid(opID, "%s", msg)
	}
	version := appt.Version()
	if req.Version != "" {
		if version != "" && version != req.Version {
			return nil, "", invalid(opID, "the appointment given is version %s, not %s: reload it", version, req.Version)
		}
		version = req.Version
	}
	if msg := versionProblem(version); msg != "" {
		return nil, "", invalid(opID, "%s", msg)
	}
	if appt.Status != "" && appt.Status != AppointmentBooked {
		return nil, "", invalid(opID, "only a booked appointment can be cancelled; this one is %s", appt.Status)
	}
	body := *appt
	body.Meta = metaWithVersion(appt.Meta, version)
	body.Status = AppointmentCancelled
	body.Reason = []fhir.CodeableConcept{{Coding: []fhir.Coding{req.Reason}}}
	body.Comment = req.Comment
	return &body, version, nil
}

// metaWithVersion copies meta with the version set.
func metaWithVersion(m *fhir.Meta, version string) *fhir.Meta {
	var cp fhir.Meta
	if m != nil {
		cp = *m
	}
	cp.VersionID = version
	return &cp
}
