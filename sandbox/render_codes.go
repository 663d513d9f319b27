package sandbox

import (
	"strings"
	"time"

	"github.com/ers-workstation/ers-workstation/ersclient/fhir"
	"github.com/ers-workstation/ers-workstation/sandbox/store"
)

// ersDisplays are the displays e-RS sends with the codes of its fixed
// (https://fhir.nhs.uk/STU3/CodeSystem/eRS-*-1) code systems, as the
// official examples spell them. Codes the examples show without a display
// (the review reasons, the availability statuses) are left out on purpose.
var ersDisplays = map[string]map[string]string{
	fhir.CSReferralState: {
		store.StateNotBooked:           "Not Booked",
		store.StateBooked:              "Booked",
		store.StateDeferredToProvider:  "Deferred To Provider",
		store.StateAwaitingTriage:      "Awaiting Triage",
		store.StateTriagedToAction:     "Triaged - Provider To Action",
		store.StateTriageResponse:      "Triage Response",
		store.StateAssessmentResult:    "Assessment Result",
		store.StateRejected:            "Rejected",
		store.StateCancelledByPatient:  "Appointment cancelled by patient",
		store.StateCancelledByProvider: "Appointment cancelled by provider",
		store.StateDidNotAttend:        "Did not attend",
		store.StateCancelledReferral:   "Cancelled Referral",
	},
	fhir.CSPriority: {
		"ROUTINE":       "Routine",
		"URGENT":        "Urgent",
		"TWO_WEEK_WAIT": "2 Week Wait",
	},
	fhir.CSReviewOutcome: {
		"ACCEPT_REFER_BOOK_LATER":                               "Accept Refer Book Later",
		"CANCEL_APPOINTMENT_ACTION_LATER":                       "Cancel Appointment Action Later",
		"PROVIDER_CONVERTED_ADVICE_AND_GUIDANCE_ADMIN_TO_REFER": "Provider Converted Advice and Guidance, Admin to Refer",
		"RETURN_TO_REFERRER_WITH_ADVICE":                        "Return to Referrer With Advice",
	},
	fhir.CSAttachmentType: {
		"REFERRER":          "Referrer",
		"PROVIDER":          "Provider",
		"ADVICE_REQUEST":    "Advice Request",
		"GUIDANCE_RESPONSE": "Guidance Response",
	},
	fhir.CSAdditionalRequirementType: {
		"ADVOCACY":    "Advocacy",
		"INTERPRETER": "Interpreter",
		"TRANSPORT":   "Transport",
	},
	fhir.CSAvailableActions: {
		actionRecordReviewOutcome:      "Record Review Outcome",
		actionCreateAppointment:        "Create Appointment",
		actionChangeShortlist:          "Change Shortlist",
		actionChangeShortlistAndTriage: "Change Shortlist and Send for Triage",
		actionCancelReferral:           "Cancel Referral",
		actionCancelBookedAppointment:  "Cancel Directly Booked Appointment",
	},
}

// isPriority reports whether code is an eRS-Priority-1 code (ROUTINE,
// URGENT, TWO_WEEK_WAIT).
func isPriority(code string) bool {
	_, ok := ersDisplays[fhir.CSPriority][code]
	return ok
}

// ersCoding is a code of a fixed e-RS code system with its display.
func ersCoding(system, code string) fhir.Coding {
	return fhir.Coding{System: system, Code: code, Display: ersDisplays[system][code]}
}

// localSystemURL is the address of a local code system (SPECIALTY,
// APPOINTMENT-CANCELLATION-REASON...): the examples' "_baseUrl_" is the
// simulator's own FHIR base, as the live service puts its own.
func (c *call) localSystemURL(codeSystemType string) string {
	return c.fhirBase() + "/STU3/CodeSystem/" + codeSystemType
}

// localCoding is a code of a local code system, with the display the
// reference data gives it.
func (c *call) localCoding(codeSystemType, code string) fhir.Coding {
	return fhir.Coding{System: c.localSystemURL(codeSystemType), Code: code, Display: c.localDisplay(codeSystemType, code)}
}

// localDisplay is a local code's display from the reference data, or "".
func (c *call) localDisplay(codeSystemType, code string) string {
	if concept, ok := c.s.ref.Lookup(codeSystemType, code); ok {
		return concept.Display
	}
	return ""
}

// storeCoding renders a stored coding. Its System is either a full URL (a
// fixed e-RS code system) or a local code system type, which is made into
// the simulator's own address. A missing display is filled in from the
// fixed tables or the reference data.
func (c *call) storeCoding(sc store.Coding) fhir.Coding {
	if sc.System != "" && !strings.Contains(sc.System, "://") {
		cd := c.localCoding(sc.System, sc.Code)
		if sc.Display != "" {
			cd.Display = sc.Display
		}
		return cd
	}
	cd := ersCoding(sc.System, sc.Code)
	if sc.Display != "" {
		cd.Display = sc.Display
	}
	return cd
}

// instantString formats a time as e-RS does: UTC with milliseconds.
func instantString(t time.Time) string {
	return t.UTC().Format("2006-01-02T15:04:05.000Z")
}

// dateString formats a time as a FHIR date.
func dateString(t time.Time) string {
	return t.UTC().Format(time.DateOnly)
}

// identifierRef is a reference by identifier (an SDS user, an ODS code...).
func identifierRef(system, value string) *fhir.Reference {
	return &fhir.Reference{Identifier: &fhir.Identifier{System: system, Value: value}}
}

// refExtension is an extension whose value is a literal reference.
func refExtension(url, ref string) fhir.Extension {
	return fhir.Extension{URL: url, Value: fhir.Value{ValueReference: &fhir.Reference{Reference: ref}}}
}

// codingExtension is an extension whose value is a coding.
func codingExtension(url string, cd fhir.Coding) fhir.Extension {
	return fhir.Extension{URL: url, Value: fhir.Value{ValueCoding: &cd}}
}

// appendRaw encodes a typed resource and appends it to a contained list. An
// encoding failure (a programming error) drops the resource rather than
// failing the whole answer.
func appendRaw(list []fhir.RawResource, v any) []fhir.RawResource {
	raw, err := fhir.NewRawResource(v)
	if err != nil {
		return list
	}
	return append(list, raw)
}
