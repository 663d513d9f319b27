package sandbox

import (
	"fmt"
	"strings"

	"github.com/ers-workstation/ers-workstation/ersclient"
	"github.com/ers-workstation/ers-workstation/sandbox/pdf"
	"github.com/ers-workstation/ers-workstation/sandbox/refdata"
	"github.com/ers-workstation/ers-workstation/sandbox/store"
)

// retrieveAdviceOverviewPDF is A043: the A&G request and its whole
// conversation as a PDF, named "<ubrn>_Advice_And_Guidance_<yyyymmddhhmmss>.pdf"
// after the time it was made (the simulator's clock, in UTC). A referral's
// UBRN is 422 INVALID_REQUEST_TYPE: its summary is A007.
func (s *Server) retrieveAdviceOverviewPDF(c *call) {
	if !c.requireNoBody() {
		return
	}
	ubrn := c.r.PathValue("ubrn")
	body, ok := c.renderPDF("advice overview "+ubrn, func(st *store.State) (pdf.Document, *problem) {
		a, p := c.adviceFor(st, ubrn)
		if p != nil {
			return pdf.Document{}, p
		}
		return c.adviceOverview(st, a), nil
	})
	if !ok {
		return
	}
	c.writePDF(ubrn+"_Advice_And_Guidance_", body)
}

// adviceOverview lays out the request and its conversation, oldest message
// first, with each file's name, type and availability.
func (c *call) adviceOverview(st *store.State, a *store.Advice) pdf.Document {
	const when = "02 Jan 2006 15:04"
	service := a.ServiceID
	provider := ""
	if svc := st.Services[a.ServiceID]; svc != nil {
		service = svc.Name + " (" + svc.ID + ")"
		provider = svc.Org
	}
	specialty := a.Specialty
	if concept, ok := c.s.ref.Lookup(refdata.Specialty, a.Specialty); ok && concept.Display != "" {
		specialty = concept.Display
	}
	conversion := "No"
	if a.ConversionAuthorisation == adviceConversionAllowed {
		conversion = "Yes"
	}
	lines := []string{
		"UBRN: " + a.UBRN,
		"Request ID: " + a.RequestID,
		"Status: " + ersclient.AdviceStatus(a.Category).Label() + " (" + a.Status + ")",
		"Priority: " + priorityText(a.Priority),
		"Specialty: " + specialty,
		"Clinic type: " + labelOf(a.ClinicType, "-"),
		"Service: " + service,
		"Provider organisation: " + labelOf(provider, "-"),
		"Patient NHS number: " + a.NHSNumber,
		"Referring organisation: " + a.ReferringOrg,
		"Referring clinician: " + adviceUserLabel(st, a.ReferrerID),
		"Provider may convert to a referral: " + conversion,
		"Requested: " + a.Created.UTC().Format(when),
		"Last updated: " + a.Updated.UTC().Format(when),
	}
	if len(a.Documents) > 0 {
		lines = append(lines, pdf.HeadingPrefix+"Files attached to the request")
		lines = append(lines, adviceFileLines(st, a.Documents)...)
	}
	lines = append(lines, pdf.HeadingPrefix+"Conversation")
	for _, m := range adviceOldestFirst(a.Messages) {
		who := ersclient.AdviceSentBy(m.SentBy).Label() + ": " + adviceUserLabel(st, m.SenderID)
		if m.SenderRole != "" {
			who += ", " + m.SenderRole.Label()
		}
		who += " at " + m.SenderOrg
		if m.OnBehalfOf != "" && m.OnBehalfOf != m.SenderID {
			who += ", for " + adviceUserLabel(st, m.OnBehalfOf)
		}
		lines = append(lines, pdf.HeadingPrefix+m.Sent.UTC().Format(when)+" - "+who)
		if m.Outcome != "" {
			outcome := "Outcome: " + ersclient.AdviceOutcome(m.Outcome).Label()
			if m.Recommendation != "" {
				outcome += "; recommendation: " + ersclient.AdviceRecommendation(m.Recommendation).Label()
			}
			lines = append(lines, outcome)
		}
		lines = append(lines, strings.Split(m.Text, "\n")...)
		lines = append(lines, adviceFileLines(st, m.Documents)...)
	}
	return pdf.Document{Title: "Advice and Guidance Overview - " + a.UBRN, Lines: lines}
}

func adviceFileLines(st *store.State, docs []store.Document) []string {
	var lines []string
	for _, d := range docs {
		name, status := d.Description, "unknown"
		if b := st.Binaries[d.BinaryID]; b != nil {
			name, status = b.FileName, b.Availability
		}
		lines = append(lines, fmt.Sprintf("Attachment: %s (%s, %s)", name, strings.ToLower(strings.ReplaceAll(d.Type, "_", " ")), status))
	}
	return lines
}

// adviceUserLabel names a user as e-RS prints them: name and SDS id.
func adviceUserLabel(st *store.State, sds string) string {
	if u := st.Users[sds]; u != nil {
		return u.Name() + " (" + sds + ")"
	}
	return sds
}
