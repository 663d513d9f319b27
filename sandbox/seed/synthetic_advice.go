package seed

import (
	"time"

	"github.com/ers-workstation/ers-workstation/ersclient"
	"github.com/ers-workstation/ers-workstation/sandbox/store"
)

// adviceMix is the share of each advice request category, in percent.
var adviceMix = []struct {
	category string
	weight   int
}{
	{store.AdviceProviderResponseRequired, 30},
	{store.AdviceReferrerToReview, 20},
	{store.AdviceReferrerToSubmitInfo, 15},
	{store.AdviceEndedClosed, 10},
	{store.AdviceEndedCancelled, 5},
	{store.AdviceConverted, 20},
}

// One advice request per adviceEvery referrals.
const adviceEvery = 8

// The texts of generated conversations.
var (
	askTexts = []string{
		"Please advise on management: symptoms for three months despite first-line treatment.",
		"Abnormal result on routine testing; is referral needed or can this be managed in primary care?",
		"Patient anxious about family history; grateful for advice on investigation.",
	}
	moreInfoTexts = []string{
		"Please send recent blood results and a current medication list.",
		"Could you arrange an ECG and send the report?",
		"Please describe the duration and any red-flag symptoms.",
	}
	replyTexts = []string{
		"Results attached; no red-flag symptoms.",
		"ECG attached: sinus rhythm, no acute changes.",
		"Medication list attached; symptoms unchanged.",
	}
	adviceTexts = []string{
		"Manage in primary care: start the recommended treatment and review in six weeks.",
		"No referral needed at present; re-refer if symptoms progress.",
		"Please refer: the patient should be seen in clinic.",
	}
)

// addAdvice adds advice and guidance conversations of one to four turns,
// with attachments; the converted ones become referrals with the same UBRN.
func (g *generator) addAdvice() {
	if len(g.advice) == 0 {
		return
	}
	weights := make([]int, len(adviceMix))
	for i, m := range adviceMix {
		weights[i] = m.weight
	}
	maxConverted := g.referrals / 10
	converted := 0
	for range max(g.referrals/adviceEvery, 3) {
		category := adviceMix[g.weighted(weights...)].category
		if category == store.AdviceConverted {
			if converted >= maxConverted {
				category = store.AdviceReferrerToReview
			} else {
				converted++
			}
		}
		g.addConversation(category)
	}
}

// conversation is an advice request being written.
type conversation struct {
	a         *store.Advice
	svc       *store.Service
	responder string
	t         time.Time
	// files are the conversation's uploads, by id.
	files map[string]*store.Binary
}

// addConversation adds one advice request that has reached the category.
func (g *generator) addConversation(category string) {
	svc := pick(g, g.advice)
	p := pick(g, g.practices)
	referrer := pick(g, p.rcs)
	created := g.between(g.now.AddDate(0, 0, -90), g.now.Add(-12*time.Hour))
	a := &store.Advice{
		UBRN: g.st.NewUBRN(), RequestID: "a." + g.uuid(), Status: "active", Category: category,
		NHSNumber: g.patient(), Priority: pick(g, svc.Priorities), Specialty: svc.Specialty, ServiceID: svc.ID,
		ReferringOrg: p.ods, ReferrerID: referrer, CreatedBy: referrer, ConversionAuthorisation: "NOT_AUTHORISED_TO_CONVERT",
		Created: created,
	}
	if len(svc.ClinicTypes) > 0 {
		a.ClinicType = pick(g, svc.ClinicTypes)
	}
	if category == store.AdviceConverted || g.chance(0.6) {
		a.ConversionAuthorisation = "AUTHORISED_TO_CONVERT"
	}
	a.Criteria = store.SearchCriteria{Priority: a.Priority, Specialty: a.Specialty, ClinicType: a.ClinicType, AgeAndGenderAppropriate: true}
	c := &conversation{a: a, svc: svc, responder: g.providerClinician(svc), t: created, files: map[string]*store.Binary{}}

	g.say(c, true, pick(g, askTexts), "", "")
	for range g.rng.IntN(3) {
		if category == store.AdviceEndedCancelled {
			break
		}
		g.say(c, false, pick(g, moreInfoTexts), "REQUIRE_FURTHER_INFORMATION", "")
		g.say(c, true, pick(g, replyTexts), "", "")
	}
	switch category {
	case store.AdviceReferrerToSubmitInfo:
		g.say(c, false, pick(g, moreInfoTexts), "REQUIRE_FURTHER_INFORMATION", "")
	case store.AdviceReferrerToReview, store.AdviceEndedClosed:
		rec := []string{"ADVICE_ONLY_NO_REFERRAL_RECOMMENDED", "ADVICE_FOLLOWED_BY_REFERRAL_IF_REQUIRED", "REFERRAL_RECOMMENDED", "OTHER"}[g.rng.IntN(4)]
		g.say(c, false, pick(g, adviceTexts), "RETURN_TO_REFERRER_WITH_ADVICE", rec)
	case store.AdviceConverted:
		g.say(c, false, "Converted to a referral: the service will arrange an appointment.", "PROVIDER_CONVERTED", "")
	}
	c.fit(g.now.Add(-time.Minute))
	a.Version = len(a.Messages)
	switch category {
	case store.AdviceEndedClosed:
		a.Status, a.Version = "completed", a.Version+1
	case store.AdviceEndedCancelled:
		a.Status, a.Version = "cancelled", a.Version+1
	case store.AdviceConverted:
		a.Status, a.Converted, a.Version = "completed", true, a.Version+1
		g.convert(c)
	}
	a.Updated = c.t
	g.st.Advice[a.UBRN] = a
}

// say adds a message by the referrer (requester) or the provider's
// clinician, sometimes with a file.
func (g *generator) say(c *conversation, requester bool, text, outcome, recommendation string) {
	// An hour to a week after the last message, never after now.
	from, to := c.t.Add(time.Hour), minTime(c.t.AddDate(0, 0, 7), g.now.Add(-time.Minute))
	if to.After(from) {
		c.t = g.between(from, to)
	} else {
		c.t = c.t.Add(time.Minute)
	}
	m := store.Message{ID: g.st.NewMessageID(), Sent: c.t, Text: text, Outcome: outcome, Recommendation: recommendation,
		AtVersion: len(c.a.Messages) + 1}
	docType, title := "GUIDANCE_RESPONSE", "Guidance"
	if requester {
		m.SentBy, m.SenderID, m.SenderOrg, m.SenderRole = sentByRequester, c.a.ReferrerID, c.a.ReferringOrg, ersclient.ReferringClinician
		docType, title = "ADVICE_REQUEST", "Test results"
	} else {
		m.SentBy, m.SenderID, m.SenderOrg, m.SenderRole = sentByResponder, c.responder, c.svc.Org, ersclient.ServiceProviderClinician
	}
	if g.chance(0.35) {
		b := g.binary(c.a.UBRN, title, m.SenderID, m.SenderOrg, c.t)
		c.files[b.ID] = b
		m.Documents = []store.Document{{ID: g.st.NewDocumentID(), BinaryID: b.ID, Type: docType, Description: title,
			Indexed: c.t, AttachedBy: m.SenderID, AttachedOrg: m.SenderOrg}}
	}
	c.a.Messages = append(c.a.Messages, m)
}

// fit moves a conversation back in time, if need be, so that its last
// message is no later than end: the turns keep their spacing.
func (c *conversation) fit(end time.Time) {
	over := c.t.Sub(end)
	if over <= 0 {
		return
	}
	c.a.Created = c.a.Created.Add(-over)
	for i := range c.a.Messages {
		m := &c.a.Messages[i]
		m.Sent = m.Sent.Add(-over)
		for j := range m.Documents {
			m.Documents[j].Indexed = m.Documents[j].Indexed.Add(-over)
			if b := c.files[m.Documents[j].BinaryID]; b != nil {
				b.Created = b.Created.Add(-over)
			}
		}
	}
	c.t = c.t.Add(-over)
}

// convert makes the referral a converted advice request becomes: same UBRN,
// at the advice service, for the provider to action
// (TRIAGED_PROVIDER_TO_ACTION), with the conversation's files.
func (g *generator) convert(c *conversation) {
	a := c.a
	reason := reviewOutcome("PROVIDER_CONVERTED_ADVICE_AND_GUIDANCE_ADMIN_TO_REFER")
	r := &store.Referral{
		UBRN: a.UBRN, RequestID: "r." + g.uuid(), Status: "active", NHSNumber: a.NHSNumber, Priority: a.Priority,
		Specialty: a.Specialty, ClinicType: a.ClinicType, ReferringOrg: a.ReferringOrg, ReferrerID: a.ReferrerID, CreatedBy: a.CreatedBy,
		CommissioningRuleOrg: pick(g, c.svc.Commissioners), Shortlist: []string{c.svc.ID}, Criteria: a.Criteria,
		ServiceID: c.svc.ID, LetterIntention: "NOT_INTENDING_TO_ADD", ContextStatus: "NEVER_REVIEWED",
		PatientHasAccessCode: g.chance(0.92), FromAdvice: true, AllocatedClinician: c.responder,
		PathwayStart: a.Created, Created: c.t, Updated: c.t,
		History: []store.StateChange{{At: c.t, State: store.StateTriagedToAction, Reason: reason, By: c.responder, Org: c.svc.Org}},
		State:   store.StateTriagedToAction, StateReason: reason, StateComments: "Converted from advice and guidance.",
	}
	for _, m := range a.Messages {
		r.Documents = append(r.Documents, m.Documents...)
	}
	if len(r.Documents) > 0 {
		r.ClinicalInfoFirst, r.ClinicalInfoLast = r.Documents[0].Indexed, r.Documents[len(r.Documents)-1].Indexed
	}
	r.Version = 1 + len(r.Documents)
	appt := &store.Appointment{ID: g.st.NewAppointmentID(), Version: 1, UBRN: r.UBRN, ReferralVersion: 1,
		ServiceID: c.svc.ID, Status: "proposed", Created: c.t, Reason: reason}
	g.st.Appointments[appt.ID] = appt
	r.AppointmentID = appt.ID
	r.ContactBy = g.ref.ContactBy(r.Priority, true, c.t)
	g.st.Referrals[r.UBRN] = r
}

// minTime is the earlier of two times.
func minTime(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}
