package sandbox

import (
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/ers-workstation/ers-workstation/ersclient/fhir"
	"github.com/ers-workstation/ers-workstation/sandbox/pdf"
	"github.com/ers-workstation/ers-workstation/sandbox/store"
)

// pdfTimestamp is the time stamp in a generated PDF's file name.
const pdfTimestamp = "20060102150405"

// pdfTime is how the PDFs print a moment.
func pdfTime(t time.Time) string {
	if t.IsZero() {
		return "-"
	}
	return t.UTC().Format("02 Jan 2006 15:04") + " UTC"
}

// retrieveClinicalInfo is A007: the clinical information summary of a
// referral as a PDF, with its UBRN, patient, priority, specialty, state,
// referrer, service, appointment, attachments and history, and for a
// referral converted from advice and guidance the conversation it came
// from. Retrieving it as a provider marks the clinical information as
// printed (the worklists' clinicalInfoPrinted); that is not a new version
// of the referral.
func (s *Server) retrieveClinicalInfo(c *call) {
	if !c.requireNoBody() {
		return
	}
	ubrn := c.r.PathValue("ubrn")
	body, ok := c.renderPDF("clinical information PDF", func(st *store.State) (pdf.Document, *problem) {
		r, p := c.referralFor(st, ubrn)
		if p != nil {
			return pdf.Document{}, p
		}
		return c.clinicalInfoDocument(st, r), nil
	})
	if !ok {
		return
	}
	if c.Provider() {
		s.store.Write("", func(st *store.State) error { //nolint:errcheck // cannot fail
			if r := st.Referrals[ubrn]; r != nil {
				r.ClinicalInfoPrinted = true
			}
			return nil
		})
	}
	c.writePDF(ubrn+"_Clinical_Information_Summary_", body)
}

// generatePatientLetter is A019: the letter for the patient as a PDF, with
// the booking reference and how to book, or the appointment when there is
// one. A patient without an access code for the booking service cannot be
// sent one (422 NO_ACCESS_CODE), and a cancelled referral has nothing to
// book (422 INVALID_REQUEST_STATE).
func (s *Server) generatePatientLetter(c *call) {
	if !c.requireNoBody() {
		return
	}
	ubrn := c.r.PathValue("ubrn")
	body, ok := c.renderPDF("patient letter PDF", func(st *store.State) (pdf.Document, *problem) {
		r, p := c.referralFor(st, ubrn)
		if p != nil {
			return pdf.Document{}, p
		}
		if r.State == store.StateCancelledReferral || r.Status == "cancelled" {
			return pdf.Document{}, invalidState("Referral %s is cancelled: there is no letter to send.", ubrn)
		}
		if !r.PatientHasAccessCode {
			return pdf.Document{}, businessRule("NO_ACCESS_CODE", "The patient does not have an access code to book with, so no letter can be generated.")
		}
		return c.patientLetterDocument(st, r), nil
	})
	if !ok {
		return
	}
	c.writePDF(ubrn+"_Appointment_Confirmation_Summary_", body)
}

// renderPDF lays out a document from the state, under the read lock, and
// renders it; what names the document in a rendering error. On false the
// call has already been answered with the failure.
func (c *call) renderPDF(what string, layout func(st *store.State) (pdf.Document, *problem)) ([]byte, bool) {
	var doc pdf.Document
	err := c.s.store.Read(func(st *store.State) error {
		d, p := layout(st)
		if p != nil {
			return p
		}
		doc = d
		return nil
	})
	if err != nil {
		c.fail(err)
		return nil, false
	}
	body, err := pdf.Render(doc)
	if err != nil {
		c.fail(fmt.Errorf("%s: %w", what, err))
		return nil, false
	}
	return body, true
}

// writePDF answers with a generated PDF named prefix + the time + ".pdf".
func (c *call) writePDF(prefix string, body []byte) {
	name := prefix + c.Now().UTC().Format(pdfTimestamp) + ".pdf"
	c.w.Header().Set("Content-Disposition", `attachment; filename="`+name+`"`)
	c.writeBody(http.StatusOK, "application/pdf", body)
}

// clinicalInfoDocument lays out A007's summary.
func (c *call) clinicalInfoDocument(st *store.State, r *store.Referral) pdf.Document {
	var l []string
	add := func(format string, args ...any) { l = append(l, fmt.Sprintf(format, args...)) }
	add("UBRN: %s", r.UBRN)
	add("NHS number: %s", r.NHSNumber)
	add("Priority: %s", priorityText(r.Priority))
	add("Specialty: %s", c.s.ref.Display(fhir.LocalSpecialty, r.Specialty))
	if r.ClinicType != "" {
		add("Clinic type: %s", c.s.ref.Display(fhir.LocalClinicType, r.ClinicType))
	}
	add("Status: %s", c.stateText(r))
	if r.StateComments != "" {
		add("Comments: %s", r.StateComments)
	}
	add("Referred by: %s", personAt(st, r.ReferrerID, r.ReferringOrg))
	add("Created: %s", pdfTime(r.Created))
	if !r.PathwayStart.IsZero() {
		add("Pathway start: %s", pdfTime(r.PathwayStart))
	}
	if !r.ClinicalInfoFirst.IsZero() {
		add("Clinical information first submitted: %s", pdfTime(r.ClinicalInfoFirst))
	}
	if !r.ClinicalInfoLast.IsZero() {
		add("Clinical information last updated: %s", pdfTime(r.ClinicalInfoLast))
	}
	if r.ServiceID != "" {
		add("Service: %s", serviceText(st, r.ServiceID))
	}
	if a := st.Appointments[r.AppointmentID]; a != nil {
		add("Appointment: %s", appointmentText(a))
	}
	if len(r.AdditionalRequirements) > 0 {
		add("Additional requirements: %s", strings.Join(r.AdditionalRequirements, ", "))
	}
	if len(r.RelatedUBRNs) > 0 {
		add("Related referrals: %s", strings.Join(r.RelatedUBRNs, ", "))
	}
	l = append(l, "", pdf.HeadingPrefix+"Shortlist")
	for _, id := range r.Shortlist {
		add("- %s", serviceText(st, id))
	}
	l = append(l, "", pdf.HeadingPrefix+"Attachments")
	docs := c.referralDocuments(st, r)
	if len(docs) == 0 {
		l = append(l, "None.")
	}
	for _, d := range docs {
		l = append(l, documentText(st, d))
	}
	l = append(l, "", pdf.HeadingPrefix+"History")
	for _, h := range r.History {
		line := fmt.Sprintf("- %s %s", pdfTime(h.At), labelOf(ersDisplays[fhir.CSReferralState][h.State], h.State))
		if !h.Reason.IsZero() {
			line += " (" + labelOf(c.storeCoding(h.Reason).Display, h.Reason.Code) + ")"
		}
		if h.By != "" {
			line += " by " + personAt(st, h.By, h.Org)
		}
		l = append(l, line)
	}
	if a := st.Advice[r.UBRN]; r.FromAdvice && a != nil {
		l = append(l, "", pdf.HeadingPrefix+"Advice and guidance conversation")
		for i := range a.Messages {
			m := &a.Messages[i]
			l = append(l, fmt.Sprintf("%s, %s, %s:", pdfTime(m.Sent), labelOf(m.SentBy, "message"), personAt(st, m.SenderID, m.SenderOrg)))
			l = append(l, strings.Split(m.Text, "\n")...)
			for _, d := range m.Documents {
				l = append(l, documentText(st, d))
			}
			l = append(l, "")
		}
	}
	return pdf.Document{Title: "Clinical Information Summary - UBRN " + r.UBRN, Lines: l}
}

// patientLetterDocument lays out A019's letter: the appointment when the
// referral is booked, otherwise how to book and where.
func (c *call) patientLetterDocument(st *store.State, r *store.Referral) pdf.Document {
	var l []string
	add := func(format string, args ...any) { l = append(l, fmt.Sprintf(format, args...)) }
	add("Your booking reference number (UBRN): %s", r.UBRN)
	add("NHS number: %s", r.NHSNumber)
	add("Referred by: %s", personAt(st, r.ReferrerID, r.ReferringOrg))
	add("Priority: %s", priorityText(r.Priority))
	add("Specialty: %s", c.s.ref.Display(fhir.LocalSpecialty, r.Specialty))
	l = append(l, "")
	a := st.Appointments[r.AppointmentID]
	switch {
	case r.State == store.StateBooked && a != nil:
		l = append(l, pdf.HeadingPrefix+"Your appointment")
		add("%s", appointmentText(a))
		add("Service: %s", serviceText(st, a.ServiceID))
		if svc := st.Services[a.ServiceID]; svc != nil {
			if svc.SiteName != "" {
				add("Where: %s %s", svc.SiteName, svc.Postcode)
			}
			if svc.Phone != "" {
				add("To change or cancel it, call %s.", svc.Phone)
			}
		}
	case r.State == store.StateDeferredToProvider || r.State == store.StateAwaitingTriage || r.State == store.StateTriagedToAction:
		l = append(l, pdf.HeadingPrefix+"What happens next")
		add("Your referral has been sent to %s.", serviceText(st, r.ServiceID))
		if !r.ContactBy.IsZero() {
			add("The service will contact you by %s.", r.ContactBy.UTC().Format("02 Jan 2006"))
		} else {
			add("The service will contact you.")
		}
	default:
		l = append(l, pdf.HeadingPrefix+"How to book your appointment")
		l = append(l, "Book online at www.nhs.uk/referrals or call the NHS e-Referral Service on 0345 608 8888,",
			"with your booking reference number and the password you were given.", "", "You can choose from:")
		for _, id := range r.Shortlist {
			line := "- " + serviceText(st, id)
			if svc := st.Services[id]; svc != nil && svc.Bookable == store.IndirectlyBookable && svc.Phone != "" {
				line += ": call the service on " + svc.Phone + " to book"
			}
			l = append(l, line)
		}
	}
	return pdf.Document{Title: "Appointment Confirmation Summary - UBRN " + r.UBRN, Lines: l}
}

// stateText is a referral's state with its reason, in words.
func (c *call) stateText(r *store.Referral) string {
	s := labelOf(ersDisplays[fhir.CSReferralState][r.State], r.State)
	if !r.StateReason.IsZero() {
		s += " (" + labelOf(c.storeCoding(r.StateReason).Display, r.StateReason.Code) + ")"
	}
	return s
}

// priorityText is an eRS-Priority-1 code in words.
func priorityText(code string) string { return labelOf(ersDisplays[fhir.CSPriority][code], code) }

// personAt is a user and organisation in words: "Dr A Name (SDS id), Org (ODS)".
func personAt(st *store.State, userID, org string) string {
	var parts []string
	if userID != "" {
		if u := st.Users[userID]; u != nil {
			parts = append(parts, u.Name()+" ("+userID+")")
		} else {
			parts = append(parts, userID)
		}
	}
	if org != "" {
		if o := st.Orgs[org]; o != nil {
			parts = append(parts, o.Name+" ("+org+")")
		} else {
			parts = append(parts, org)
		}
	}
	if len(parts) == 0 {
		return "-"
	}
	return strings.Join(parts, ", ")
}

// serviceText is a service in words: its name, id and organisation.
func serviceText(st *store.State, id string) string {
	svc := st.Services[id]
	if svc == nil {
		return "service " + id
	}
	s := svc.Name + " (" + id + ")"
	if o := st.Orgs[svc.Org]; o != nil {
		s += ", " + o.Name
	}
	return s
}

// appointmentText is an appointment in words.
func appointmentText(a *store.Appointment) string {
	s := labelOf(a.Status, "appointment")
	if !a.Start.IsZero() {
		s += ", " + pdfTime(a.Start)
		if !a.End.IsZero() {
			s += " to " + a.End.UTC().Format("15:04")
		}
	}
	if a.Comment != "" {
		s += ": " + a.Comment
	}
	return s
}

// documentText is an attachment in words.
func documentText(st *store.State, d store.Document) string {
	title, availability := d.BinaryID, "missing"
	if b := st.Binaries[d.BinaryID]; b != nil {
		title, availability = b.FileName, availabilityOf(b)
	}
	s := fmt.Sprintf("- %s (%s, %s), attached %s by %s", title, labelOf(ersDisplays[fhir.CSAttachmentType][d.Type], d.Type),
		availability, pdfTime(d.Indexed), personAt(st, d.AttachedBy, d.AttachedOrg))
	if d.Description != "" {
		s += ": " + d.Description
	}
	return s
}

// labelOf is text, or the fallback when it is empty.
func labelOf(text, fallback string) string {
	if text != "" {
		return text
	}
	return fallback
}
