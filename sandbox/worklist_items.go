package sandbox

import (
	"time"

	"github.com/ers-workstation/ers-workstation/ersclient"
	"github.com/ers-workstation/ers-workstation/ersclient/fhir"
	"github.com/ers-workstation/ers-workstation/sandbox/refdata"
	"github.com/ers-workstation/ers-workstation/sandbox/store"
)

const (
	profileWorklistList         = "https://fhir.nhs.uk/STU3/StructureDefinition/eRS-FetchWorklist-List-1"
	profileWorklistPatient      = "https://fhir.nhs.uk/STU3/StructureDefinition/eRS-Patient-1"
	profileWorklistPractitioner = "https://fhir.nhs.uk/STU3/StructureDefinition/eRS-Practitioner-1"
)

// maxWorklistBytes is APIM's limit on a response: e-RS returns no
// successful answer for a larger worklist.
const maxWorklistBytes = 10 << 20

// worklistBuilder writes the entries of one worklist, then the List
// around them. REFERRALS_FOR_REVIEW refers to its patients and clinicians
// as contained resources, as the official examples do; the other lists name
// them by identifier.
type worklistBuilder struct {
	c     *call
	list  ersclient.WorklistType
	now   time.Time
	limit int

	specialtySystem  string
	clinicTypeSystem string
	itemURL          string

	entries worklistJSON
	count   int
	// The contained Patients and Practitioners, in order of first use.
	patients, practitioners []string
	seen                    map[string]bool
}

func (c *call) newWorklistBuilder(list ersclient.WorklistType, limit int) *worklistBuilder {
	return &worklistBuilder{
		c: c, list: list, now: c.Now(), limit: limit,
		specialtySystem:  c.fhirBase() + "/STU3/CodeSystem/" + refdata.Specialty,
		clinicTypeSystem: c.fhirBase() + "/STU3/CodeSystem/" + refdata.ClinicType,
		itemURL:          list.ItemExtensionURL(),
		seen:             map[string]bool{},
	}
}

// buildWorklist writes n items in order, each with write, then the List
// around them. A list over limit is refused as soon as it is, before the
// rest is written.
func (c *call) buildWorklist(list ersclient.WorklistType, limit, n int, write func(b *worklistBuilder, i int)) (worklistBody, *problem) {
	b := c.newWorklistBuilder(list, limit)
	b.reserve(n)
	for i := range n {
		write(b, i)
		if b.tooBig() {
			return nil, worklistTooLarge(b.count)
		}
	}
	return b.finish()
}

// tooBig reports whether the entries written so far already exceed the
// limit, so that a huge list is refused before all of it is written.
func (b *worklistBuilder) tooBig() bool { return len(b.entries.b) > b.limit }

// begin opens an entry and its item extension.
func (b *worklistBuilder) begin() *worklistItem {
	w := &b.entries
	if b.count > 0 {
		w.b = append(w.b, ',')
	}
	b.count++
	w.raw(`{"extension":[{"url":`)
	w.str(b.itemURL)
	w.raw(`,"extension":[`)
	return &worklistItem{w: w}
}

// end closes the item extension and names the request.
func (b *worklistBuilder) end(resourceType, ubrn string) {
	w := &b.entries
	w.raw(`]}],"item":{"reference":`)
	w.str(resourceType + "/" + ubrn)
	w.raw(`}}`)
}

// containedRef records a contained resource and returns its local
// reference.
func (b *worklistBuilder) containedRef(kind, id string, list *[]string) string {
	key := kind + "-" + id
	if !b.seen[key] {
		b.seen[key] = true
		*list = append(*list, id)
	}
	return "#" + key
}

// referral writes one referral's entry in the list's shape. svc is the
// referral's service (provider lists only).
func (b *worklistBuilder) referral(st *store.State, r *store.Referral, svc *store.Service) {
	it := b.begin()
	switch b.list {
	case ersclient.WorklistReferralsForReview:
		b.reviewItem(it, st, r, svc)
	case ersclient.WorklistAppointmentSlotIssues:
		b.slotIssueItem(it, st, r, svc)
	default:
		b.referrerItem(it, r)
	}
	b.end("ReferralRequest", r.UBRN)
}

// reviewItem is Extension-eRS-ReferralsforReview-WorkListItem-1.
func (b *worklistBuilder) reviewItem(it *worklistItem, st *store.State, r *store.Referral, svc *store.Service) {
	it.concept("priority", fhir.CSPriority, r.Priority, "")
	it.concept("specialty", b.specialtySystem, r.Specialty, "")
	it.localRef("patient", b.containedRef("Patient", r.NHSNumber, &b.patients))
	if r.NamedClinician != "" {
		it.localRef("namedClinician", b.containedRef("Practitioner", r.NamedClinician, &b.practitioners))
	}
	if r.AllocatedClinician != "" {
		it.localRef("allocatedClinician", b.containedRef("Practitioner", r.AllocatedClinician, &b.practitioners))
	}
	it.instant("eReferralPathwayStart", worklistPathwayStart(r))
	it.boolean("clinicalInfoPrinted", r.ClinicalInfoPrinted)
	context := r.ContextStatus
	if context == "" {
		context = "NEVER_REVIEWED"
	}
	it.concept("requestContextStatus", fhir.CSRequestContextStatus, context, contextStatusDisplays[context])
	if !r.ClinicalInfoFirst.IsZero() {
		it.instant("clinicalInfoFirstSubmitted", r.ClinicalInfoFirst)
	}
	if !r.ClinicalInfoLast.IsZero() {
		it.instant("clinicalInfoLastUpdated", r.ClinicalInfoLast)
	}
	referralType := "TRIAGE_DEFERRAL"
	if r.State == store.StateBooked {
		referralType = "APPOINTMENT"
		if a := st.Appointments[r.AppointmentID]; a != nil && !a.Start.IsZero() {
			it.instant("appointmentStart", a.Start)
		}
	}
	it.concept("referralType", fhir.CSReferralType, referralType, "")
	it.identifierRef("service", fhir.SystemERSService, svc.ID, svc.Name)
	it.integer("referralRequestVersion", r.Version)
}

// slotIssueItem is Extension-eRS-AppointmentSlotIssues-WorkListItem-1. It
// carries no version, as e-RS's does not.
func (b *worklistBuilder) slotIssueItem(it *worklistItem, st *store.State, r *store.Referral, svc *store.Service) {
	it.concept("priority", fhir.CSPriority, r.Priority, "")
	it.concept("specialty", b.specialtySystem, r.Specialty, "")
	it.identifierRef("patient", fhir.SystemNHSNumberSTU3, r.NHSNumber, "")
	if r.NamedClinician != "" {
		it.identifierRef("namedClinician", fhir.SystemSDSUserSTU3, r.NamedClinician, "")
	}
	it.instant("eReferralPathwayStart", worklistPathwayStart(r))
	it.boolean("clinicalInfoPrinted", r.ClinicalInfoPrinted)
	a := st.Appointments[r.AppointmentID]
	it.instant("ubrnReceived", worklistDeferredAt(r, a))
	if !r.ContactBy.IsZero() {
		it.date("patientContactExpected", r.ContactBy)
	}
	it.concept("clinicalInformationStatus", fhir.CSClinicalInformationStatus, clinicalInformationStatus(r, b.now), "")
	if reason := deferralReason(r, a); reason != "" {
		it.concept("reason", fhir.CSReviewReason, reason, "")
	}
	it.identifierRef("service", fhir.SystemERSService, svc.ID, svc.Name)
}

// referrerItem is the item of the four referrer lists.
func (b *worklistBuilder) referrerItem(it *worklistItem, r *store.Referral) {
	it.identifierRef("patient", fhir.SystemNHSNumberSTU3, r.NHSNumber, "")
	it.concept("priority", fhir.CSPriority, r.Priority, "")
	it.instant("referralCreated", r.Created)
	it.text("clinicalContext", worklistClinicalContext(r))
	it.identifierRef("referrer", fhir.SystemSDSUserSTU3, r.ReferrerID, "")
	if b.list == ersclient.WorklistLettersOutstanding {
		it.date("letterDue", letterDue(r))
		return
	}
	it.instant("referralLastUpdated", r.Updated)
	status, ok := worklistStatuses[r.State]
	if !ok {
		status = [2]string{r.State, ""}
	}
	it.concept("status", fhir.CSReferralState, status[0], status[1])
	if system := referrerReasonSystem(r.State); system != "" && isLocalCoding(r.StateReason, system) {
		display := r.StateReason.Display
		if display == "" {
			display = b.c.s.ref.Display(system, r.StateReason.Code)
		}
		it.concept("reason", b.c.fhirBase()+"/STU3/CodeSystem/"+system, r.StateReason.Code, display)
	}
}

// advice writes one advice request's entry
// (Extension-eRS-AdviceAndGuidanceRequests-WorkListItem-1).
func (b *worklistBuilder) advice(a *store.Advice, svc *store.Service) {
	it := b.begin()
	it.concept("priority", fhir.CSPriority, a.Priority, "")
	it.concept("specialty", b.specialtySystem, a.Specialty, "")
	it.identifierRef("patient", fhir.SystemNHSNumberSTU3, a.NHSNumber, "")
	it.concept("category", fhir.CSAdviceAndGuidanceStatus, a.Category, "")
	it.instant("adviceFirstRequested", a.Created)
	it.instant("adviceLastUpdated", a.Updated)
	it.identifierRef("referrer", fhir.SystemSDSUserSTU3, a.ReferrerID, "")
	it.identifierRef("service", fhir.SystemERSService, svc.ID, svc.Name)
	if a.ClinicType != "" {
		it.concept("clinicType", b.clinicTypeSystem, a.ClinicType, "")
	}
	it.integer("communicationRequestVersion", a.Version)
	b.end("CommunicationRequest", a.UBRN)
}

// itemBytes is about how long an item of each list is, so that the
// entries are written into one buffer of the right size rather than one
// that is copied as it grows.
var itemBytes = map[ersclient.WorklistType]int{
	ersclient.WorklistReferralsForReview:        1400,
	ersclient.WorklistAppointmentSlotIssues:     1300,
	ersclient.WorklistLettersOutstanding:        750,
	ersclient.WorklistAdviceAndGuidanceRequests: 1300,
}

// reserve sizes the entries buffer for n items.
func (b *worklistBuilder) reserve(n int) {
	size, ok := itemBytes[b.list]
	if !ok {
		size = 1000
	}
	b.entries.b = make([]byte, 0, min(n*size, b.limit+size))
}

// worklistBody is the answer in parts that are written one after the
// other rather than joined: the List's head with its contained resources,
// the entries, and the tail.
type worklistBody [][]byte

func (wb worklistBody) size() int {
	n := 0
	for _, p := range wb {
		n += len(p)
	}
	return n
}

// finish wraps the entries in the List. It refuses a list over the limit
// as APIM does: with no successful answer.
func (b *worklistBuilder) finish() (worklistBody, *problem) {
	var head worklistJSON
	head.b = make([]byte, 0, 256+200*(len(b.patients)+len(b.practitioners)))
	head.raw(`{"resourceType":"List","meta":{"profile":["` + profileWorklistList + `"]}`)
	if len(b.patients)+len(b.practitioners) > 0 {
		head.raw(`,"contained":[`)
		n := 0
		for _, id := range b.practitioners {
			containedPerson(&head, n, "Practitioner", id, profileWorklistPractitioner, fhir.SystemSDSUserSTU3)
			n++
		}
		for _, id := range b.patients {
			containedPerson(&head, n, "Patient", id, profileWorklistPatient, fhir.SystemNHSNumberSTU3)
			n++
		}
		head.raw(`]`)
	}
	head.raw(`,"status":"current","mode":"snapshot"`)
	body := worklistBody{head.b}
	if b.count > 0 {
		body = append(body, []byte(`,"entry":[`), b.entries.b, []byte(`]}`))
	} else {
		body = append(body, []byte(`}`))
	}
	if body.size() > b.limit {
		return nil, worklistTooLarge(b.count)
	}
	return body, nil
}

// containedPerson writes a contained Patient or Practitioner that carries
// only its identifier.
func containedPerson(w *worklistJSON, n int, resourceType, id, profile, system string) {
	if n > 0 {
		w.b = append(w.b, ',')
	}
	w.raw(`{"resourceType":"` + resourceType + `","id":`)
	w.str(resourceType + "-" + id)
	w.raw(`,"meta":{"profile":["` + profile + `"]},"identifier":[`)
	w.identifier(system, id)
	w.raw(`]}`)
}

// worklistTooLarge refuses a worklist over APIM's 10 MB limit. e-RS only
// says no successful answer is returned; the simulator answers 422
// TOO_MANY_ITEMS, a documented e-RS code that says what is wrong, with
// diagnostics saying how to narrow the list.
func worklistTooLarge(items int) *problem {
	p := businessRule("TOO_MANY_ITEMS", "The worklist (%d items or more) would exceed the 10 MB response limit; narrow it with the service, specialty, location or clinician filters.", items)
	p.Issue = "too-costly"
	return p
}

// worklistPathwayStart is the start of the referral's pathway, or its creation
// when none was given.
func worklistPathwayStart(r *store.Referral) time.Time {
	if !r.PathwayStart.IsZero() {
		return r.PathwayStart
	}
	return r.Created
}

// worklistDeferredAt is when the provider received the deferred referral: when
// its deferral appointment was made, or its last change.
func worklistDeferredAt(r *store.Referral, a *store.Appointment) time.Time {
	if a != nil && !a.Created.IsZero() {
		return a.Created
	}
	for i := len(r.History) - 1; i >= 0; i-- {
		if r.History[i].State == store.StateDeferredToProvider {
			return r.History[i].At
		}
	}
	return r.Updated
}

// deferralReason is the eRS-ReviewReason-1 code of a deferral, from its
// appointment or the referral's state.
func deferralReason(r *store.Referral, a *store.Appointment) string {
	if a != nil && reviewReasons[a.Reason.Code] {
		return a.Reason.Code
	}
	if reviewReasons[r.StateReason.Code] {
		return r.StateReason.Code
	}
	return ""
}

// worklistClinicalContext is the referrer lists' "SPECIALTY/CLINIC_TYPE" text.
func worklistClinicalContext(r *store.Referral) string {
	if r.ClinicType == "" {
		return r.Specialty
	}
	return r.Specialty + "/" + r.ClinicType
}
