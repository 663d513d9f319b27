package seed

import (
	"fmt"
	"slices"
	"time"

	"github.com/ers-workstation/ers-workstation/sandbox/refdata"
	"github.com/ers-workstation/ers-workstation/sandbox/store"
)

// stateMix is the share of each referral state in the data set, in
// percent: every state, so every worklist has items.
var stateMix = []struct {
	state  string
	weight int
}{
	{store.StateNotBooked, 14},
	{store.StateBooked, 30},
	{store.StateDeferredToProvider, 7},
	{store.StateAwaitingTriage, 9},
	{store.StateTriagedToAction, 6},
	{store.StateTriageResponse, 4},
	{store.StateAssessmentResult, 2},
	{store.StateRejected, 5},
	{store.StateCancelledByPatient, 5},
	{store.StateCancelledByProvider, 3},
	{store.StateDidNotAttend, 4},
	{store.StateCancelledReferral, 11},
}

// letterKinds are the descriptions of generated referral letters.
var letterKinds = []string{"Referral letter", "Blood test results", "ECG report", "Clinical photograph", "Discharge summary", "Imaging report"}

// addReferrals adds referrals until the data set has as many as asked for
// (advice conversions made some already).
func (g *generator) addReferrals() {
	weights := make([]int, len(stateMix))
	for i, m := range stateMix {
		weights[i] = m.weight
	}
	for len(g.st.Referrals) < g.referrals {
		g.addReferral(stateMix[g.weighted(weights...)].state)
	}
}

// referralStory is a referral being written: its record, where it is in
// time, and who acts on each side.
type referralStory struct {
	r        *store.Referral
	svc      *store.Service
	t        time.Time // when the last thing happened
	provider string    // the provider clinician who acts on it
	slot     *store.Slot
}

// addReferral adds one referral that has reached the state, with the
// history, appointment and files that led there.
func (g *generator) addReferral(state string) {
	svc := g.serviceFor(state)
	if svc == nil {
		state, svc = store.StateNotBooked, pick(g, g.referable)
	}
	p := pick(g, g.practices)
	referrer := pick(g, p.rcs)
	creator := referrer
	if g.chance(0.2) {
		creator = pick(g, p.rcas)
	}
	created := g.between(g.now.AddDate(0, 0, -150), g.now.Add(-2*time.Hour))
	r := &store.Referral{
		UBRN: g.st.NewUBRN(), RequestID: "r." + g.uuid(), Status: "active",
		NHSNumber: g.patient(), Priority: pick(g, svc.Priorities), Specialty: svc.Specialty,
		ReferringOrg: p.ods, ReferrerID: referrer, CreatedBy: creator, CommissioningRuleOrg: pick(g, svc.Commissioners),
		State: store.StateNotBooked, LetterIntention: "NOT_INTENDING_TO_ADD", PatientHasAccessCode: g.chance(0.92),
		PathwayStart: created.Add(-time.Duration(g.rng.IntN(14*24)) * time.Hour), Created: created,
		History: []store.StateChange{{At: created, State: store.StateNotBooked, By: creator, Org: p.ods}},
	}
	if len(svc.ClinicTypes) > 0 {
		r.ClinicType = pick(g, svc.ClinicTypes)
	}
	// After the clinic type: the other services must fit it.
	r.Shortlist = g.shortlist(svc, r)
	if g.chance(0.06) {
		r.AdditionalRequirements = someOf(g, []string{"ADVOCACY", "INTERPRETER", "TRANSPORT"}, 1+g.rng.IntN(3))
	}
	if len(g.recent) > 0 && g.chance(0.03) {
		r.RelatedUBRNs = []string{pick(g, g.recent)}
	}
	r.Criteria = store.SearchCriteria{Priority: r.Priority, Specialty: r.Specialty, ClinicType: r.ClinicType,
		Postcode: g.st.Orgs[p.ods].Postcode, AgeAndGenderAppropriate: true}
	s := &referralStory{r: r, svc: svc, t: created, provider: g.providerClinician(svc)}
	g.letters(s, state)
	if state != store.StateNotBooked {
		r.ServiceID = svc.ID
	}
	g.tell(s, state)
	r.Version = len(r.History) + len(r.Documents)
	r.Updated = s.t
	if r.State != store.StateNotBooked && r.ContextStatus == "" && g.chance(0.7) {
		r.ClinicalInfoPrinted = true
	}
	g.st.Referrals[r.UBRN] = r
	g.recent = append(g.recent, r.UBRN)
	if len(g.recent) > 5000 {
		g.recent = g.recent[len(g.recent)-1000:]
	}
}

// serviceFor picks a service whose flow can lead to the state, or nil when
// the data set has none.
func (g *generator) serviceFor(state string) *store.Service {
	var from []*store.Service
	switch state {
	case store.StateNotBooked:
		from = g.referable
	case store.StateBooked, store.StateRejected, store.StateDidNotAttend:
		from = g.dbs
		if len(g.ibs) > 0 && g.chance(0.2) {
			from = g.ibs
		}
	case store.StateDeferredToProvider, store.StateCancelledByPatient, store.StateCancelledByProvider:
		from = g.dbs
	case store.StateAwaitingTriage, store.StateTriageResponse, store.StateAssessmentResult:
		from = g.triage
	case store.StateTriagedToAction:
		from = g.triage
		if g.chance(0.35) {
			from = g.dbs
		}
	case store.StateCancelledReferral:
		from = g.dbs
		if g.chance(0.3) {
			from = g.triage
		}
	}
	if len(from) == 0 {
		return nil
	}
	return pick(g, from)
}

// shortlist is the service chosen and up to four others of its specialty
// that a search with the referral's criteria would also have found: they
// take its priority, have its clinic type and are commissioned by its
// commissioning rule organisation. A031 checks the first two against the
// criteria the referral shows (SHORTLISTED_SERVICE_NOT_IN_RESULTS), and
// rebooking resends the shortlist unchanged; the third is what A010 (with
// commissioningRuleOrganisation) and A015 (whose slots show only under a
// commissioner) apply to an existing referral.
func (g *generator) shortlist(svc *store.Service, r *store.Referral) []string {
	list := []string{svc.ID}
	var others []*store.Service
	for _, o := range g.bySpecialty[svc.Specialty] {
		if o.ID != svc.ID && fitsReferral(o, r) {
			others = append(others, o)
		}
	}
	for _, o := range someOf(g, others, g.rng.IntN(5)) {
		list = append(list, o.ID)
	}
	return list
}

// fitsReferral reports whether a service may stand on a referral's
// shortlist beside the one it was made for (see shortlist).
func fitsReferral(s *store.Service, r *store.Referral) bool {
	switch {
	case !s.Active || !accepts(s, r.Priority):
		return false
	case r.ClinicType != "" && !slices.Contains(s.ClinicTypes, r.ClinicType):
		return false
	case r.CommissioningRuleOrg != "" && len(s.Commissioners) > 0 && !slices.Contains(s.Commissioners, r.CommissioningRuleOrg):
		return false
	}
	return true
}

// patient returns an NHS number: mostly a new patient, sometimes one
// referred before.
func (g *generator) patient() string {
	if len(g.seen) > 0 && g.chance(0.12) {
		return pick(g, g.seen)
	}
	n := g.patients.take()
	if len(g.seen) < 20_000 {
		g.seen = append(g.seen, n)
	}
	return n
}

// providerClinician is the provider clinician who reviews referrals to a
// service.
func (g *generator) providerClinician(svc *store.Service) string {
	if len(svc.Clinicians) > 0 {
		return pick(g, svc.Clinicians)
	}
	return ""
}

// later returns a time after s.t (by an hour to two weeks, never after
// now) and makes it the story's time.
func (g *generator) later(s *referralStory) time.Time {
	from := s.t.Add(time.Hour)
	to := s.t.AddDate(0, 0, 14)
	if limit := g.now.Add(-30 * time.Minute); to.After(limit) {
		to = limit
	}
	if !to.After(from) {
		s.t = s.t.Add(time.Minute)
		return s.t
	}
	s.t = g.between(from, to)
	return s.t
}

// step records a change of state by the referrer or the provider.
func (g *generator) step(s *referralStory, byProvider bool, state string, reason store.Coding, comments string) {
	at := g.later(s)
	by, org := s.r.ReferrerID, s.r.ReferringOrg
	if byProvider {
		by, org = s.provider, s.svc.Org
	}
	moved(s.r, at, state, reason, comments, by, org)
}

// appointment makes the referral's current appointment at its service.
func (g *generator) appointment(s *referralStory, status string, reason store.Coding) *store.Appointment {
	a := &store.Appointment{
		ID: g.st.NewAppointmentID(), Version: 1, UBRN: s.r.UBRN, ReferralVersion: len(s.r.History),
		ServiceID: s.svc.ID, Status: status, Created: s.t, Reason: reason,
	}
	g.st.Appointments[a.ID] = a
	s.r.AppointmentID = a.ID
	return a
}

// book makes a booking: a taken slot at a directly bookable service, a
// telephone booking at an indirectly bookable one.
func (g *generator) book(s *referralStory) *store.Appointment {
	g.step(s, false, store.StateBooked, store.Coding{}, "")
	a := g.appointment(s, "booked", store.Coding{})
	if s.svc.Bookable == store.DirectlyBookable {
		sl := g.takeSlot(s.svc, s.r.Priority)
		a.SlotID, a.Start, a.End, a.ClinicianID = sl.ID, sl.Start, sl.End, sl.ClinicianID
		s.r.NamedClinician, s.slot = sl.ClinicianID, sl
	}
	return a
}

// cancelled ends the story's appointment: its slot, if it is one of the
// coming six weeks' grid, is free again.
func (g *generator) cancelled(s *referralStory, a *store.Appointment, reason store.Coding, comment string) {
	a.Status, a.Reason, a.Comment = "cancelled", reason, comment
	a.Version++
	if s.slot != nil && s.slot.Start.After(g.now) && s.slot.Start.Before(g.now.AddDate(0, 0, 7*slotWeeks)) {
		s.slot.Free = true
	}
}

// tell writes the history that leads to the state.
func (g *generator) tell(s *referralStory, state string) {
	r := s.r
	switch state {
	case store.StateNotBooked:
		return
	case store.StateBooked:
		g.book(s)
		r.ContextStatus = []string{"NEVER_REVIEWED", "LETTER_CHANGED", "PRIORITY_CHANGED", "PRIORITY_AND_LETTER_CHANGED", ""}[g.weighted(55, 8, 4, 3, 30)]
		if r.ContextStatus == "" {
			r.AllocatedClinician = s.provider
		}
	case store.StateDeferredToProvider:
		reason := reviewReason([]string{"NO_SLOTS_AT_SERVICE", "SLOT_NOT_AVAILABLE", "BOOKING_ATTEMPT_PROBLEM"}[g.weighted(70, 20, 10)])
		g.step(s, false, state, reason, "")
		g.appointment(s, "proposed", reason)
		r.ContactBy = g.ref.ContactBy(r.Priority, false, s.t)
		r.ContextStatus = "NEVER_REVIEWED"
	case store.StateAwaitingTriage:
		g.sendForTriage(s)
		r.ContextStatus = []string{"NEVER_REVIEWED", "LETTER_CHANGED", "PRIORITY_CHANGED"}[g.weighted(85, 10, 5)]
	case store.StateTriagedToAction:
		if s.svc.Flow == store.FlowTriage {
			a := g.sendForTriage(s)
			reason := reviewOutcome("ACCEPT_REFER_BOOK_LATER")
			g.step(s, true, state, reason, "Accepted: the service will contact the patient to book.")
			a.Reason = reason
			a.Version++
		} else {
			// Cancel appointment, action later: the slot is given up and
			// the appointment waits, proposed, for the provider to rebook.
			a := g.book(s)
			reason := reviewOutcome("CANCEL_APPOINTMENT_ACTION_LATER")
			g.step(s, true, state, reason, "Clinic cancelled: please contact the patient to rebook.")
			g.cancelled(s, a, reason, "")
			a.Status = "proposed"
		}
		r.AllocatedClinician = s.provider
	case store.StateTriageResponse:
		a := g.sendForTriage(s)
		reason := reviewOutcome("RETURN_TO_REFERRER_WITH_ADVICE")
		g.step(s, true, state, reason, "Manage in primary care: advice attached.")
		a.Reason = reason
		a.Version++
		g.providerFile(s)
	case store.StateAssessmentResult:
		g.sendForTriage(s)
		g.step(s, true, state, store.Coding{}, "Assessment complete.")
		g.providerFile(s)
	case store.StateRejected:
		a := g.book(s)
		reason := apptCancellation(pick(g, g.reasons.reject))
		g.step(s, true, state, reason, "Not appropriate for this clinic: see comments.")
		g.cancelled(s, a, reason, "Not appropriate for this clinic.")
		g.providerFile(s)
	case store.StateCancelledByPatient:
		a := g.book(s)
		reason := apptCancellation(pick(g, g.reasons.patientCancel))
		g.step(s, false, state, reason, "")
		g.cancelled(s, a, reason, "")
	case store.StateCancelledByProvider:
		a := g.book(s)
		reason := apptCancellation(pick(g, g.reasons.providerCancel))
		g.step(s, true, state, reason, "Clinic cancelled.")
		g.cancelled(s, a, reason, "Clinic cancelled.")
	case store.StateDidNotAttend:
		g.step(s, false, store.StateBooked, store.Coding{}, "")
		a := g.appointment(s, "noshow", store.Coding{})
		start := clinicTime(g.between(s.t, g.now.Add(-24*time.Hour)), 10, 0)
		if s.svc.Bookable == store.DirectlyBookable {
			sl := g.newSlot(s.svc, start, r.Priority, "", false)
			a.SlotID = sl.ID
		}
		a.Start, a.End = start, start.Add(slotLength)
		if a.End.After(s.t) && a.End.Before(g.now) {
			s.t = a.End
		}
		g.step(s, true, state, store.Coding{System: refdata.AppointmentNonAttendance, Code: pick(g, g.reasons.nonAttendance)}, "")
	case store.StateCancelledReferral:
		var a *store.Appointment
		switch {
		case s.svc.Flow == store.FlowTriage:
			a = g.sendForTriage(s)
		case g.chance(0.5):
			a = g.book(s)
		}
		byProvider := a != nil && g.chance(0.4)
		codes := g.reasons.referrerCancel
		if byProvider {
			codes = g.reasons.providerCancelRef
		}
		reason := referralCancellation(pick(g, codes))
		g.step(s, byProvider, state, reason, "")
		r.Status = "cancelled"
		if a != nil {
			g.cancelled(s, a, reason, "")
		}
	}
}

// sendForTriage sends the referral to its triage service and returns the
// triage appointment.
func (g *generator) sendForTriage(s *referralStory) *store.Appointment {
	reason := reviewReason("TRIAGE")
	g.step(s, false, store.StateAwaitingTriage, reason, "")
	a := g.appointment(s, "proposed", reason)
	s.r.ContactBy = g.ref.ContactBy(s.r.Priority, true, s.t)
	s.r.ContextStatus = "NEVER_REVIEWED"
	return a
}

// letters attaches the referrer's letters, or leaves them outstanding: a
// referral whose letter is still to come is on LETTERS_OUTSTANDING.
func (g *generator) letters(s *referralStory, state string) {
	r := s.r
	outstanding := 0.05
	if state == store.StateNotBooked {
		outstanding = 0.3
	}
	if g.chance(outstanding) {
		r.LetterIntention, r.ReminderDays = "NEED_TO_ADD_LATER", 1+g.rng.IntN(7)
		return
	}
	if g.chance(0.5) {
		r.LetterIntention = "NEED_TO_ADD_LATER"
	}
	n := 1
	if g.chance(0.3) {
		n = 2
	}
	for i := range n {
		at := g.between(r.Created, r.Created.Add(48*time.Hour))
		if at.After(g.now) {
			at = r.Created
		}
		kind := letterKinds[0]
		if i > 0 {
			kind = pick(g, letterKinds[1:])
		}
		b := g.binary(r.UBRN, kind, r.CreatedBy, r.ReferringOrg, at)
		r.Documents = append(r.Documents, store.Document{ID: g.st.NewDocumentID(), BinaryID: b.ID, Type: "REFERRER",
			Description: kind, Indexed: at, AttachedBy: r.CreatedBy, AttachedOrg: r.ReferringOrg})
		if r.ClinicalInfoFirst.IsZero() || at.Before(r.ClinicalInfoFirst) {
			r.ClinicalInfoFirst = at
		}
		if at.After(r.ClinicalInfoLast) {
			r.ClinicalInfoLast = at
		}
	}
}

// providerFile attaches, sometimes, the provider's notes.
func (g *generator) providerFile(s *referralStory) {
	if !g.chance(0.35) || s.provider == "" {
		return
	}
	b := g.binary(s.r.UBRN, "Provider notes", s.provider, s.svc.Org, s.t)
	s.r.Documents = append(s.r.Documents, store.Document{ID: g.st.NewDocumentID(), BinaryID: b.ID, Type: "PROVIDER",
		Description: "Provider notes", Indexed: s.t, AttachedBy: s.provider, AttachedOrg: s.svc.Org})
}

// binary adds an uploaded file for a request: mostly PDFs, some images and
// text, most of them available, a few pending or failed checks.
func (g *generator) binary(ubrn, title, by, org string, at time.Time) *store.Binary {
	ct, ext := []string{"application/pdf", "image/png", "text/plain"}[g.weighted(70, 15, 15)], ""
	switch ct {
	case "application/pdf":
		ext = ".pdf"
	case "image/png":
		ext = ".png"
	default:
		ext = ".txt"
	}
	key := ct + "|" + title
	data, ok := g.files[key]
	if !ok {
		data = fileContent(ct, title)
		g.files[key] = data
	}
	b := &store.Binary{
		ID: g.uuid(), ContentType: ct, FileName: fmt.Sprintf("%s-%s%s", slug(title), ubrn, ext), Data: data,
		IntendedUBRN: ubrn, UploadedBy: by, UploadedOrg: org, Created: at,
		Availability: []string{store.Available, store.Pending, store.ThreatsFound, store.ValidationFailed}[g.weighted(94, 3, 2, 1)],
	}
	g.st.Binaries[b.ID] = b
	return b
}

// slug turns a description into a file name part ("Blood test results"
// gives "blood-test-results").
func slug(s string) string {
	out := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 'A' && c <= 'Z':
			out = append(out, c+'a'-'A')
		case c >= 'a' && c <= 'z', c >= '0' && c <= '9':
			out = append(out, c)
		case len(out) > 0 && out[len(out)-1] != '-':
			out = append(out, '-')
		}
	}
	return string(out)
}
