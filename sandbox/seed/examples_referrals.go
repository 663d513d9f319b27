package seed

import (
	"fmt"
	"time"

	"github.com/ers-workstation/ers-workstation/ersclient/fhir"
	"github.com/ers-workstation/ers-workstation/sandbox/refdata"
	"github.com/ers-workstation/ers-workstation/sandbox/store"
)

// adviceToConvert is the advice request of the A026 and A027 examples.
const adviceToConvert = "000000070000"

// The patients of the examples (official test NHS numbers, valid check
// digits).
const (
	examplePatient      = "9912003888"
	examplePatientA034  = "1000000001"
	examplePatientLists = "9462979626"
)

// examples builds the example records; slots collects the slots the booked
// appointments hold, added with the free ones in start order.
type examples struct {
	st    *store.State
	now   time.Time
	ref   *refdata.Set
	slots []*store.Slot
}

// addExampleReferrals adds the referrals and appointments of the examples
// and returns the slots the appointments hold.
//
// Which referral a path-only write example fits (the official examples send
// them all to 000000070000; the simulator keeps one referral per state):
//
//	UBRN          state                       fits
//	000000070000  NOT_BOOKED                  A016 (all: the body names it at version 6), A012 SingleDocumentReference,
//	                                          A031 (all), A032, A036 by a referrer without an appointment
//	                                          (IntendPrivateWithoutComment, PatientRequestCancellationOther, RaisedInError)
//	000000070001  BOOKED, DBS 11002           A013, A014 BasicExampleDbs, A022 *DBS, A012 MultipleDocumentReferences and
//	                                          UpdateClinicalInfo, A036 NoLongerRequired (referrer) and
//	                                          bookedOutsideCabWithoutComment (provider)
//	000000070002  BOOKED, IBS 11016           A014 BasicExampleIbs, A022 MinimalExampleIBS, A036 ReferrerCancellation
//	000000070003  DEFERRED_TO_PROVIDER        A028 (all), A036 IntendPrivateWithComment
//	000000070004  BOOKED, DBS 50 (appt 70003) A034 MinimalCancellationReasonOnlyCommentNotMandatory (body names it)
//	000000070005  BOOKED, DBS 50 (appt 70004) A034 CancellationReasonAndMandatoryComment (body names it)
//	000000070006  BOOKED, DBS 50 (appt 70006) A034 CancellationInvalidReason (body names it)
//	000000070007  BOOKED, DBS 50 (appt 70005) A034 CancellationReasonOnlyCommentMandatory (the body names
//	                                          000000070005, whose current appointment is 70004)
//	000000070008  TRIAGED_PROVIDER_TO_ACTION  A036 outpatientService (a provider ending a triage)
//
// The read examples' UBRNs (A005 070000-070005, 070011, 070012; A029
// 070000-070006; A038 appointments 70000-70007) exist in the states their
// names say, except where a write example needs another (70003-70006 are
// booked, for A034). 070013-070022 fill the referrer and provider worklists.
func addExampleReferrals(st *store.State, now time.Time) []*store.Slot {
	x := &examples{st: st, now: now, ref: refdata.Default()}
	x.readyToBook()
	x.booked()
	x.withProvider()
	x.forA034()
	x.onWorklists()
	return x.slots
}

// day is now plus n days.
func (x *examples) day(n int) time.Time { return x.now.AddDate(0, 0, n) }

// referral adds a referral with the examples' defaults: created three weeks
// ago by the RC at the referring practice for the examples' patient, at
// version 6 (the version the official write examples quote), NOT_BOOKED
// history first. change adjusts it.
func (x *examples) referral(ubrn, state string, change func(r *store.Referral)) *store.Referral {
	created := x.day(-21)
	r := &store.Referral{
		UBRN: ubrn, Version: 6, RequestID: exampleRequestID("r", ubrn), Status: "active",
		NHSNumber: examplePatient, Priority: "ROUTINE", Specialty: exampleSpecialty, ClinicType: clinicHeart,
		ReferringOrg: ExampleReferringOrg, ReferrerID: ExampleRC, CreatedBy: ExampleRC, CommissioningRuleOrg: ExampleCommRuleOrg,
		Shortlist: []string{"11002"}, State: state,
		LetterIntention: "NOT_INTENDING_TO_ADD", PatientHasAccessCode: true,
		PathwayStart: created, Created: created, Updated: x.day(-2), ClinicalInfoFirst: created, ClinicalInfoLast: created,
		History: []store.StateChange{{At: created, State: store.StateNotBooked, By: ExampleRC, Org: ExampleReferringOrg}},
	}
	if state != store.StateNotBooked {
		r.ContextStatus = "NEVER_REVIEWED"
	}
	if change != nil {
		change(r)
	}
	r.Criteria = store.SearchCriteria{Priority: r.Priority, Specialty: r.Specialty, ClinicType: r.ClinicType, AgeAndGenderAppropriate: true}
	if r.Status == "" {
		r.Status = "active"
	}
	x.st.Referrals[ubrn] = r
	return r
}

// moved records a change of state in a referral's history and makes it the
// referral's state.
func moved(r *store.Referral, at time.Time, state string, reason store.Coding, comments, by, org string) {
	r.History = append(r.History, store.StateChange{At: at, State: state, Reason: reason, By: by, Org: org})
	r.State, r.StateReason, r.StateComments = state, reason, comments
}

// appointment adds an appointment of a referral and makes it the
// referral's current one. A booked appointment with a slot day holds a
// slot, which it creates.
func (x *examples) appointment(r *store.Referral, id, service, status string, change func(a *store.Appointment)) *store.Appointment {
	a := &store.Appointment{
		ID: id, Version: 1, UBRN: r.UBRN, ReferralVersion: r.Version - 1, ServiceID: service, Status: status,
		Created: x.day(-14),
	}
	if change != nil {
		change(a)
	}
	if b, ok := exampleBookedSlots[id]; ok {
		start := clinicTime(x.day(b.day), b.hour, 0)
		x.slots = append(x.slots, &store.Slot{ID: b.id, AltID: "USRN-" + b.id, ServiceID: service, ClinicianID: b.clinician,
			Start: start, End: start.Add(time.Hour), Type: r.Priority})
		a.SlotID, a.Start, a.End, a.ClinicianID = b.id, start, start.Add(time.Hour), b.clinician
	}
	x.st.Appointments[id] = a
	r.ServiceID, r.AppointmentID = service, id
	return a
}

// bookedSlot is the slot a booked example appointment holds: day (from now)
// and hour of its start.
type bookedSlot struct {
	id, clinician string
	day, hour     int
}

// exampleBookedSlots are the slots of the booked example appointments, by
// appointment id.
var exampleBookedSlots = map[string]bookedSlot{
	"70000": {id: "11002001", day: 12, hour: 10},
	"70003": {id: "50000001", day: 5, hour: 9},
	"70004": {id: "50000002", day: 6, hour: 9},
	"70005": {id: "50000003", day: 7, hour: 9},
	"70006": {id: "50000004", day: 8, hour: 9},
	"70007": {id: "11000030", clinician: "921600556514", day: 20, hour: 11},
	"70009": {id: "11002011", day: 15, hour: 14},
	"70016": {id: "21012001", clinician: ExampleClinician, day: 9, hour: 10},
}

// letter is a referral letter (or other file) attached to a request.
func letter(id, binary, docType, description, by, org string, at time.Time) store.Document {
	return store.Document{ID: id, BinaryID: binary, Type: docType, Description: description, Indexed: at, AttachedBy: by, AttachedOrg: org}
}

// exampleRequestID is a request id ("r." or "a." and a UUID v4) for an
// example UBRN. The official A041 examples give 000000070000's.
func exampleRequestID(prefix, ubrn string) string {
	switch prefix + ubrn {
	case "r000000070000":
		return "r.832db7fa-ebdd-44b6-ab3b-8329c2d43149"
	case "a000000070001":
		return "a.86b486e8-13fc-4623-8c25-3c0af85c649f"
	case "a000000070002":
		return "a.832db7fa-ebdd-44b6-ab3b-8329c2d43149"
	}
	return fmt.Sprintf("%s.5e1f0c3a-7b2d-4c6e-9a41-%s", prefix, ubrn)
}

// Codings of the examples' states and appointments.
func reviewReason(code string) store.Coding {
	return store.Coding{System: fhir.CSReviewReason, Code: code}
}
func reviewOutcome(code string) store.Coding {
	return store.Coding{System: fhir.CSReviewOutcome, Code: code}
}
func apptCancellation(code string) store.Coding {
	return store.Coding{System: refdata.AppointmentCancellationReason, Code: code}
}
func referralCancellation(code string) store.Coding {
	return store.Coding{System: refdata.ReferralCancellationReason, Code: code}
}

// readyToBook adds the NOT_BOOKED referrals.
func (x *examples) readyToBook() {
	// The referral of every A016 example: its shortlist holds the services
	// they book (11000, 11008), defer to (11000, 11021) and send for triage
	// to (50001).
	x.referral("000000070000", store.StateNotBooked, func(r *store.Referral) {
		r.Shortlist = []string{"11002", "11000", "11008", "11021", "50001"}
		r.Documents = []store.Document{letter("80000", "19eb7224-dff3-4730-a5cb-67eac811f1a5", "REFERRER",
			"Referral letter", ExampleRC, ExampleReferringOrg, x.day(-20))}
	})
	// WithUnavailableAttachments: one file pending, one with threats, one
	// that failed validation.
	x.referral("000000070012", store.StateNotBooked, func(r *store.Referral) {
		r.Documents = []store.Document{
			letter("80000", "10e22163-b1d3-4434-8166-b92be5104c72", "REFERRER", "Referral letter", ExampleRC, ExampleReferringOrg, x.day(-20)),
			letter("80001", "adda8c72-4a91-4dc7-a918-b6d12fb28085", "REFERRER", "ECG trace", ExampleRC, ExampleReferringOrg, x.day(-20)),
			letter("80002", "9e554611-3378-425c-9cab-700b697e52d3", "REFERRER", "Medication history", ExampleRC, ExampleReferringOrg, x.day(-20)),
		}
	})
}

// booked adds the booked referrals of the A005, A013, A014, A022 and A036
// examples.
func (x *examples) booked() {
	book := func(r *store.Referral) {
		moved(r, x.day(-14), store.StateBooked, store.Coding{}, "", ExampleRC, ExampleReferringOrg)
	}
	r := x.referral("000000070001", store.StateBooked, func(r *store.Referral) {
		book(r)
		r.Documents = []store.Document{letter("80000", "719f6045-e791-4029-8e0f-1201c02b0a55", "REFERRER",
			"Referral letter", ExampleRC, ExampleReferringOrg, x.day(-20))}
	})
	x.appointment(r, "70000", "11002", "booked", nil)

	// Booked by telephone at an indirectly bookable service: no slot.
	// Converted from advice request 000000070002 (A041 finds both).
	r = x.referral("000000070002", store.StateBooked, func(r *store.Referral) {
		book(r)
		r.Shortlist, r.FromAdvice = []string{"11016", "11017"}, true
		r.Documents = []store.Document{letter("80000", "719f6045-e791-4029-8e0f-1201c02b0a55", "REFERRER",
			"Referral letter", ExampleRC, ExampleReferringOrg, x.day(-20))}
	})
	x.appointment(r, "70001", "11016", "booked", nil)

	r = x.referral("000000070011", store.StateBooked, func(r *store.Referral) {
		book(r)
		r.AdditionalRequirements = []string{"ADVOCACY", "INTERPRETER", "TRANSPORT"}
		r.Documents = []store.Document{letter("80000", "19eb7224-dff3-4730-a5cb-67eac811f1a5", "REFERRER",
			"Referral letter", ExampleRC, ExampleReferringOrg, x.day(-20))}
	})
	x.appointment(r, "70009", "11002", "booked", nil)

	// Converted from advice request 000000070009, then booked to a directly
	// bookable service with a named clinician.
	r = x.referral("000000070009", store.StateBooked, func(r *store.Referral) {
		r.FromAdvice, r.Shortlist, r.NamedClinician = true, []string{"11000"}, "921600556514"
		r.History = nil
		moved(r, x.day(-20), store.StateTriagedToAction, reviewOutcome("PROVIDER_CONVERTED_ADVICE_AND_GUIDANCE_ADMIN_TO_REFER"),
			"Please book into the general cardiology clinic", ExampleSPC, ExampleProviderOrg)
		moved(r, x.day(-15), store.StateNotBooked, store.Coding{}, "", ExampleRC, ExampleReferringOrg)
		book(r)
	})
	x.appointment(r, "70007", "11000", "booked", nil)
}

// withProvider adds the referrals waiting for a provider decision.
func (x *examples) withProvider() {
	r := x.referral("000000070003", store.StateDeferredToProvider, func(r *store.Referral) {
		r.Priority, r.Shortlist = "URGENT", []string{"11010"}
		moved(r, x.day(-14), store.StateDeferredToProvider, reviewReason("NO_SLOTS_AT_SERVICE"), "", ExampleRC, ExampleReferringOrg)
		r.ContactBy = x.ref.ContactBy(r.Priority, false, x.day(-14))
		r.Documents = []store.Document{letter("80000", "19eb7224-dff3-4730-a5cb-67eac811f1a5", "REFERRER",
			"Referral letter", ExampleRC, ExampleReferringOrg, x.day(-20))}
	})
	x.appointment(r, "70002", "11010", "proposed", func(a *store.Appointment) { a.Reason = reviewReason("NO_SLOTS_AT_SERVICE") })

	// Triaged, to be booked later by the provider: a provider may cancel it
	// with a PROVIDER_TRIAGE reason (A036 outpatientService).
	r = x.referral("000000070008", store.StateTriagedToAction, func(r *store.Referral) {
		r.Shortlist = []string{"50001"}
		moved(r, x.day(-14), store.StateAwaitingTriage, reviewReason("TRIAGE"), "", ExampleRC, ExampleReferringOrg)
		moved(r, x.day(-7), store.StateTriagedToAction, reviewOutcome("ACCEPT_REFER_BOOK_LATER"),
			"Urgent action needed. To be booked ASAP", ExampleSPC, ExampleProviderOrg)
		r.ContextStatus = ""
	})
	x.appointment(r, "70008", "50001", "proposed", func(a *store.Appointment) { a.Reason = reviewOutcome("ACCEPT_REFER_BOOK_LATER") })

	r = x.referral("000000070019", store.StateAwaitingTriage, func(r *store.Referral) {
		r.NHSNumber, r.Shortlist = examplePatientLists, []string{"50001"}
		moved(r, x.day(-3), store.StateAwaitingTriage, reviewReason("TRIAGE"), "", ExampleRC, ExampleReferringOrg)
		r.ContactBy = x.ref.ContactBy(r.Priority, true, x.day(-3))
	})
	x.appointment(r, "70015", "50001", "proposed", func(a *store.Appointment) { a.Reason = reviewReason("TRIAGE"); a.Created = x.day(-3) })

	// Booked at the service and with the clinician of the worklist filter
	// examples.
	r = x.referral("000000070020", store.StateBooked, func(r *store.Referral) {
		r.NHSNumber, r.Shortlist = examplePatientA034, []string{"21012"}
		r.NamedClinician, r.AllocatedClinician = ExampleClinician, ExampleClinician
		moved(r, x.day(-5), store.StateBooked, store.Coding{}, "", ExampleRC, ExampleReferringOrg)
	})
	x.appointment(r, "70016", "21012", "booked", nil)
}

// forA034 adds the booked referrals whose appointments the A034 examples
// cancel: their bodies name the referrals at version 6 and the
// appointments at version 1, at service 50, for patient 1000000001.
func (x *examples) forA034() {
	bookAt50 := func(ubrn, appt, priority string, change func(r *store.Referral)) {
		r := x.referral(ubrn, store.StateBooked, func(r *store.Referral) {
			r.NHSNumber, r.Priority, r.Shortlist = examplePatientA034, priority, []string{"50"}
			moved(r, x.day(-10), store.StateBooked, store.Coding{}, "", ExampleRC, ExampleReferringOrg)
			if change != nil {
				change(r)
			}
		})
		x.appointment(r, appt, "50", "booked", nil)
	}
	// Converted from advice request 000000070004, then booked.
	bookAt50("000000070004", "70003", "TWO_WEEK_WAIT", func(r *store.Referral) {
		r.FromAdvice = true
		r.History = r.History[:0]
		moved(r, x.day(-20), store.StateTriagedToAction, reviewOutcome("PROVIDER_CONVERTED_ADVICE_AND_GUIDANCE_ADMIN_TO_REFER"),
			"Refer to the rapid access clinic", ExampleSPC, ExampleProviderOrg)
		moved(r, x.day(-12), store.StateNotBooked, store.Coding{}, "", ExampleRC, ExampleReferringOrg)
		moved(r, x.day(-10), store.StateBooked, store.Coding{}, "", ExampleRC, ExampleReferringOrg)
		r.Documents = []store.Document{
			letter("80003", "d7f9fba4-3c57-4dec-a274-94dab9fd4518", "REFERRER", "Advice and guidance conversation", ExampleSPC, ExampleProviderOrg, x.day(-20)),
			letter("80000", "80245c92-d28a-4d1f-9b8d-c31f8ab9e322", "ADVICE_REQUEST", "Photograph of rash", ExampleRC, ExampleReferringOrg, x.day(-25)),
			letter("80001", "19eb7224-dff3-4730-a5cb-67eac811f1a5", "GUIDANCE_RESPONSE", "Guidance", ExampleSPC, ExampleProviderOrg, x.day(-22)),
			letter("80002", "719f6045-e791-4029-8e0f-1201c02b0a55", "PROVIDER", "Triage notes", ExampleSPC, ExampleProviderOrg, x.day(-20)),
		}
	})
	// WithRelatedReferral: part of 000000070004's pathway.
	bookAt50("000000070005", "70004", "TWO_WEEK_WAIT", func(r *store.Referral) { r.RelatedUBRNs = []string{"000000070004"} })
	bookAt50("000000070006", "70006", "ROUTINE", nil)
	bookAt50("000000070007", "70005", "ROUTINE", nil)
}

// onWorklists adds referrals that put the referrer's worklists in the
// states the A008 examples show.
func (x *examples) onWorklists() {
	spc, rcd := ExampleSPC, ExampleProviderOrg
	// REJECTED_TRIAGE_RESPONSE: rejected, and returned with advice.
	r := x.referral("000000070013", store.StateRejected, func(r *store.Referral) {
		r.NHSNumber, r.Shortlist = examplePatientLists, []string{"11012"}
		moved(r, x.day(-12), store.StateBooked, store.Coding{}, "", ExampleRC, ExampleReferringOrg)
		moved(r, x.day(-4), store.StateRejected, apptCancellation("FURTHER_INFORMATION_REQUIRED"), "Please send the latest echo report.", spc, rcd)
	})
	x.appointment(r, "70010", "11012", "cancelled", func(a *store.Appointment) {
		a.Reason, a.Comment = apptCancellation("FURTHER_INFORMATION_REQUIRED"), "Please send the latest echo report."
	})
	r = x.referral("000000070014", store.StateTriageResponse, func(r *store.Referral) {
		r.NHSNumber, r.Shortlist = examplePatientLists, []string{"50001"}
		moved(r, x.day(-12), store.StateAwaitingTriage, reviewReason("TRIAGE"), "", ExampleRC, ExampleReferringOrg)
		moved(r, x.day(-5), store.StateTriageResponse, reviewOutcome("RETURN_TO_REFERRER_WITH_ADVICE"),
			"Condition not serious. No further action needed", spc, rcd)
	})
	x.appointment(r, "70011", "50001", "proposed", func(a *store.Appointment) { a.Reason = reviewOutcome("RETURN_TO_REFERRER_WITH_ADVICE") })

	// ASSESSMENT_RETURNED_CANCELLED_DNA: cancelled by the provider, and a
	// patient who did not attend.
	r = x.referral("000000070015", store.StateCancelledReferral, func(r *store.Referral) {
		r.NHSNumber, r.Status, r.Shortlist = examplePatientLists, "cancelled", []string{"11013"}
		moved(r, x.day(-12), store.StateBooked, store.Coding{}, "", ExampleRC, ExampleReferringOrg)
		moved(r, x.day(-6), store.StateCancelledReferral, referralCancellation("INTEND_PRIVATE"), "Patient will be seen privately.", spc, rcd)
	})
	x.appointment(r, "70012", "11013", "cancelled", func(a *store.Appointment) { a.Reason = referralCancellation("INTEND_PRIVATE") })
	r = x.referral("000000070016", store.StateDidNotAttend, func(r *store.Referral) {
		r.NHSNumber, r.Shortlist = examplePatientLists, []string{"21012"}
		moved(r, x.day(-20), store.StateBooked, store.Coding{}, "", ExampleRC, ExampleReferringOrg)
		moved(r, x.day(-2), store.StateDidNotAttend, store.Coding{System: refdata.AppointmentNonAttendance, Code: "PATIENT_FORGOT"}, "", spc, rcd)
	})
	x.appointment(r, "70013", "21012", "noshow", func(a *store.Appointment) {
		a.Start = clinicTime(x.day(-3), 10, 0)
		a.End = a.Start.Add(time.Hour)
	})
	r = x.referral("000000070022", store.StateAssessmentResult, func(r *store.Referral) {
		r.NHSNumber, r.Shortlist = examplePatientLists, []string{"51002"}
		moved(r, x.day(-12), store.StateAwaitingTriage, reviewReason("TRIAGE"), "", ExampleRC, ExampleReferringOrg)
		moved(r, x.day(-3), store.StateAssessmentResult, store.Coding{}, "Assessment complete: advice for the referrer attached.", spc, rcd)
	})
	x.appointment(r, "70018", "51002", "proposed", func(a *store.Appointment) { a.Reason = reviewReason("TRIAGE") })

	// AWAITING_BOOKING: appointments cancelled by the patient and by the
	// provider.
	r = x.referral("000000070017", store.StateCancelledByPatient, func(r *store.Referral) {
		r.NHSNumber, r.Shortlist = examplePatientLists, []string{"11003"}
		moved(r, x.day(-12), store.StateBooked, store.Coding{}, "", ExampleRC, ExampleReferringOrg)
		moved(r, x.day(-3), store.StateCancelledByPatient, apptCancellation("PATIENT_HOLIDAY"), "", ExampleRC, ExampleReferringOrg)
	})
	x.appointment(r, "70014", "11003", "cancelled", func(a *store.Appointment) { a.Reason = apptCancellation("PATIENT_HOLIDAY") })
	r = x.referral("000000070021", store.StateCancelledByProvider, func(r *store.Referral) {
		r.NHSNumber, r.Shortlist = examplePatientLists, []string{"11012"}
		moved(r, x.day(-12), store.StateBooked, store.Coding{}, "", ExampleRC, ExampleReferringOrg)
		moved(r, x.day(-2), store.StateCancelledByProvider, apptCancellation("CLINIC_CANCELLED"), "Clinic cancelled: consultant unavailable.", spc, rcd)
	})
	x.appointment(r, "70017", "11012", "cancelled", func(a *store.Appointment) { a.Reason = apptCancellation("CLINIC_CANCELLED") })

	// LETTERS_OUTSTANDING: a letter promised and not yet added.
	x.referral("000000070018", store.StateNotBooked, func(r *store.Referral) {
		r.NHSNumber, r.ReferrerID, r.CreatedBy = examplePatientLists, "021600556513", "021600556513"
		r.LetterIntention, r.ReminderDays = "NEED_TO_ADD_LATER", 3
		r.ClinicalInfoFirst, r.ClinicalInfoLast = time.Time{}, time.Time{}
	})
}
