package sandbox

import (
	"net/http"
	"slices"

	"github.com/google/uuid"

	"github.com/ers-workstation/ers-workstation/ersclient"
	"github.com/ers-workstation/ers-workstation/ersclient/fhir"
	"github.com/ers-workstation/ers-workstation/sandbox/pdf"
	"github.com/ers-workstation/ers-workstation/sandbox/store"
)

// The review outcome a converted request's referral carries.
const (
	adviceConvertedReason        = "PROVIDER_CONVERTED_ADVICE_AND_GUIDANCE_ADMIN_TO_REFER"
	adviceConvertedReasonDisplay = "Provider Converted Advice and Guidance, Admin to Refer"
)

// adviceConversion is the A027 request once its shape has been checked.
type adviceConversion struct {
	ubrn           string
	version        int
	guidance       string
	priority       string
	reviewComments string
	guidanceFiles  []*fhir.Parameter
	reviewFiles    []*fhir.Parameter
}

// convertAdviceToReferral is A027: the provider turns a request the
// referrer authorised for conversion into a referral with the same UBRN,
// for its admin team to shortlist in the e-RS web application, and sends
// its final guidance to the referrer. The version goes in the body
// (createFrom), not If-Match: a stale one is 409.
//
// The referral is TRIAGED_PROVIDER_TO_ACTION with the review outcome
// PROVIDER_CONVERTED_ADVICE_AND_GUIDANCE_ADMIN_TO_REFER and a proposed
// appointment at the A&G service carrying the review comments; it holds the
// review files (PROVIDER), every file of the conversation, and the
// conversation itself as a PDF letter, as e-RS does. Its version continues
// the UBRN's: the request's version plus one. The request becomes
// ADVICE_CONVERTED (status completed) with the guidance as its last message.
func (s *Server) convertAdviceToReferral(c *call) {
	p, ok := c.readParameters("createFrom", "guidance", "newReferralPriority", "reviewComments", "guidanceAttachmentFile", "reviewAttachmentFile")
	if !ok {
		return
	}
	in, prob := parseAdviceConversion(p)
	if prob != nil {
		c.fail(prob)
		return
	}
	c.answerReferralChange(store.AdviceKey(in.ubrn), http.StatusCreated, func(st *store.State) (*store.Referral, error) {
		a, p := c.adviceFor(st, in.ubrn)
		if p != nil {
			return nil, p
		}
		if in.version != a.Version {
			return nil, versionConflict(in.version, a.Version)
		}
		if a.ConversionAuthorisation != adviceConversionAllowed {
			return nil, businessRule("INAPPROPRIATE_VALUE", "'createFrom' The referrer has not authorised the provider to convert advice and guidance request %s into a referral.", a.UBRN)
		}
		if p := adviceAwaitingProvider(a); p != nil {
			return nil, p
		}
		svc := st.Services[a.ServiceID]
		if svc != nil && len(svc.Priorities) > 0 && !slices.Contains(svc.Priorities, in.priority) {
			return nil, businessRule("UNSUPPORTED_PRIORITY", "'newReferralPriority' %s is not supported by service %s.", in.priority, a.ServiceID)
		}
		// Each linkFiles that succeeds allocates document ids; a refusal
		// after it must give them back, so that the state is as it was.
		nextDocument := st.NextDocument
		refuse := func(err error) (*store.Referral, error) {
			st.NextDocument = nextDocument
			return nil, err
		}
		guidanceDocs, p := c.linkFiles(st, a.UBRN, in.guidanceFiles, "GUIDANCE_RESPONSE")
		if p != nil {
			return nil, p
		}
		reviewDocs, p := c.linkFiles(st, a.UBRN, in.reviewFiles, "PROVIDER")
		if p != nil {
			return refuse(p)
		}
		now := c.Now()
		guidance := store.Message{
			SentBy: string(ersclient.SentByResponder), SenderID: c.UserID, SenderOrg: c.Org, SenderRole: c.Role, OnBehalfOf: c.OnBehalfOf,
			Sent: now, Text: in.guidance, Documents: guidanceDocs, Outcome: string(ersclient.AdviceProviderConverted), AtVersion: a.Version + 1,
		}
		// The conversation PDF is rendered from a preview of the request
		// with the guidance added, so that a failure leaves the state as
		// it was.
		preview := *a
		preview.Messages = append(slices.Clone(a.Messages), guidance)
		overview, err := pdf.Render(c.adviceOverview(st, &preview))
		if err != nil {
			return refuse(err)
		}

		// Nothing below can fail.
		guidance.ID = st.NewMessageID()
		a.Messages = append(a.Messages, guidance)
		a.Category, a.Status, a.Converted = store.AdviceConverted, "completed", true
		c.touchAdvice(a)

		letter := c.adviceConversationLetter(st, a.UBRN, overview)
		docs := slices.Clone(reviewDocs)
		for _, m := range adviceOldestFirst(a.Messages) {
			docs = append(docs, m.Documents...)
		}
		docs = append(docs, a.Documents...)
		docs = append(docs, letter)

		r := &store.Referral{
			UBRN: a.UBRN, Version: a.Version - 1, RequestID: "r." + uuid.NewString(), Status: "active",
			NHSNumber: a.NHSNumber, Priority: in.priority, Specialty: a.Specialty, ClinicType: a.ClinicType,
			ReferringOrg: a.ReferringOrg, ReferrerID: a.ReferrerID, CreatedBy: c.UserID,
			CommissioningRuleOrg: adviceCommissioner(svc), Shortlist: []string{a.ServiceID}, Criteria: a.Criteria,
			ServiceID: a.ServiceID, Documents: docs, PatientHasAccessCode: true, FromAdvice: true,
			PathwayStart: a.Created, Created: now, ClinicalInfoFirst: a.Created, ClinicalInfoLast: now,
		}
		r.Criteria.Priority = in.priority
		reason := store.Coding{System: fhir.CSReviewOutcome, Code: adviceConvertedReason, Display: adviceConvertedReasonDisplay}
		// changeState makes the referral's version the request's new one:
		// e-RS numbers the versions of a UBRN in one sequence.
		c.changeState(r, store.StateTriagedToAction, reason, in.reviewComments)
		appt := &store.Appointment{
			ID: st.NewAppointmentID(), Version: 1, UBRN: r.UBRN, ReferralVersion: r.Version, ServiceID: a.ServiceID,
			Status: "proposed", Created: now, Reason: reason, Comment: in.reviewComments,
		}
		st.Appointments[appt.ID] = appt
		r.AppointmentID = appt.ID
		// Only the examples data holds a referral under an A&G request's
		// UBRN before conversion (the official examples reuse 000000070000
		// for both); a conversion makes the referral, so it replaces that one.
		st.Referrals[r.UBRN] = r
		return r, nil
	})
}

// adviceCommissioner is the commissioning-rule organisation of a converted
// referral: the service's first commissioner, else its provider.
func adviceCommissioner(svc *store.Service) string {
	switch {
	case svc == nil:
		return ""
	case len(svc.Commissioners) > 0:
		return svc.Commissioners[0]
	}
	return svc.Org
}

// adviceConversationLetter stores the conversation PDF as a file of the new
// referral, the REFERRER letter e-RS adds on conversion.
func (c *call) adviceConversationLetter(st *store.State, ubrn string, data []byte) store.Document {
	now := c.Now()
	b := &store.Binary{
		ID: uuid.NewString(), ContentType: "application/pdf", FileName: "Advice and guidance conversation - " + ubrn + ".pdf",
		Data: data, IntendedUBRN: ubrn, UploadedBy: c.ActingUser(), UploadedOrg: c.Org, Created: now, Availability: store.Available,
	}
	st.Binaries[b.ID] = b
	return store.Document{
		ID: st.NewDocumentID(), BinaryID: b.ID, Type: "REFERRER", Description: "Advice and guidance conversation",
		Indexed: now, AttachedBy: c.ActingUser(), AttachedOrg: c.Org, OnBehalfOf: c.OnBehalfOf,
	}
}

// parseAdviceConversion checks the A027 body.
func parseAdviceConversion(p *fhir.Parameters) (adviceConversion, *problem) {
	ap := adviceParams{p}
	var in adviceConversion
	prm, prob := ap.one("createFrom", true)
	if prob != nil {
		return in, prob
	}
	if prm.ValueReference == nil || prm.ValueReference.Reference == "" {
		return in, missingValue("createFrom")
	}
	var ok bool
	if in.ubrn, in.version, ok = versionedRef(prm.ValueReference.Reference, "CommunicationRequest"); !ok {
		return in, invalidValue("'createFrom' (%s) is not CommunicationRequest/{ubrn}/_history/{version}.", prm.ValueReference.Reference)
	}
	if in.guidance, prob = ap.text("guidance", adviceTextLimit); prob != nil {
		return in, prob
	}
	if in.priority, prob = ap.coding("newReferralPriority", true, fhir.CSPriority, advicePriorities); prob != nil {
		return in, prob
	}
	// reviewComments have no documented limit; the A&G limit keeps them
	// bounded.
	if in.reviewComments, prob = ap.text("reviewComments", adviceTextLimit); prob != nil {
		return in, prob
	}
	in.guidanceFiles, in.reviewFiles = ap.files("guidanceAttachmentFile"), ap.files("reviewAttachmentFile")
	return in, nil
}
