package sandbox

import (
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/ers-workstation/ers-workstation/ersclient"
	"github.com/ers-workstation/ers-workstation/ersclient/fhir"
	"github.com/ers-workstation/ers-workstation/sandbox/geo"
	"github.com/ers-workstation/ers-workstation/sandbox/store"
)

// Reading the parameters the referrer's operations share (A010, A011, A021,
// A031, A032): the patient, the referring clinician, the shortlist and its
// search criteria, the letter intention and the reminder days. Each reader
// answers the 422 e-RS documents for a missing, repeated or malformed value;
// checks against the state (services exist, the clinician is an RC) come
// later, inside the store callback.

// maxShortlist is the most services a shortlist may hold.
const maxShortlist = 20

// maxPathwayStartAge is how far back an e-Referral pathway start may be.
const maxPathwayStartAge = 365 * 24 * time.Hour

// referrerParam returns the one parameter with the name: MISSING_VALUE when
// it is required and absent, INVALID_VALUE when it is repeated.
func referrerParam(p *fhir.Parameters, name string, required bool) (*fhir.Parameter, *problem) {
	all := p.All(name)
	switch {
	case len(all) == 0 && required:
		return nil, missingValue(name)
	case len(all) == 0:
		return nil, nil
	case len(all) > 1:
		return nil, invalidValue("'%s' may be given once, not %d times.", name, len(all))
	}
	return all[0], nil
}

// referrerNHSNumber reads the patient parameter: an NHS number with a valid
// check digit.
func referrerNHSNumber(p *fhir.Parameters) (string, *problem) {
	prm, prob := referrerParam(p, "patient", true)
	if prob != nil {
		return "", prob
	}
	id := prm.ValueIdentifier
	if id == nil || id.Value == "" {
		return "", missingValue("patient")
	}
	if id.System != fhir.SystemNHSNumberSTU3 {
		return "", invalidValue("'patient' The identifier system must be %s.", fhir.SystemNHSNumberSTU3)
	}
	if !ersclient.ValidNHSNumber(id.Value) {
		return "", invalidValue("'patient' is not a valid NHS number: check its 10 digits, the last of which is a check digit.")
	}
	return id.Value, nil
}

// referrerSDSParam reads an optional SDS user id parameter.
func referrerSDSParam(p *fhir.Parameters, name string) (string, *problem) {
	prm, prob := referrerParam(p, name, false)
	if prm == nil || prob != nil {
		return "", prob
	}
	id := prm.ValueIdentifier
	if id == nil || id.Value == "" {
		return "", missingValue(name)
	}
	if id.System != fhir.SystemSDSUserSTU3 || !digitsOnly(id.Value) {
		return "", invalidValue("'%s' (%s) is not an SDS user id.", name, id.Value)
	}
	return id.Value, nil
}

// referringClinician decides who the referral is for. A referring clinician
// refers for themself unless they name a colleague; a clinician admin must
// name the clinician, who must hold REFERRING_CLINICIAN at the caller's
// organisation.
func (c *call) referringClinician(st *store.State, named string) (string, *problem) {
	if named == "" {
		if c.Role == ersclient.ReferringClinicianAdmin {
			return "", businessRule("VALUE_IS_REQUIRED", "'referringClinician' is required when the user is a REFERRING_CLINICIAN_ADMIN.")
		}
		return c.UserID, nil
	}
	u := st.Users[named]
	if u == nil {
		return "", businessRule("REFERENCE_NOT_FOUND", "'referringClinician' (%s) is not a known user.", named)
	}
	if u.Has(c.Org, ersclient.ReferringClinician) {
		return named, nil
	}
	for _, r := range u.Roles {
		if r.BusinessFunction == ersclient.ReferringClinician {
			return "", businessRule("REFERENCED_USER_IS_NOT_RC_AT_ORG", "'referringClinician' (%s) is not a Referring Clinician at %s.", named, c.Org)
		}
	}
	return "", businessRule("REFERENCED_USER_IS_NOT_RC", "'referringClinician' (%s) is not a Referring Clinician.", named)
}

// shortlistInput is a posted shortlist: the services in order and the
// criteria they were found with.
type shortlistInput struct {
	Services []string
	Criteria store.SearchCriteria
}

// referrerShortlist reads the shortlist parameter: a List of 1 to 20
// ers-service entries with contained search criteria linked by the
// Shortlist-SearchCriteria extension.
func (c *call) referrerShortlist(p *fhir.Parameters) (shortlistInput, *problem) {
	var in shortlistInput
	prm, prob := referrerParam(p, "shortlist", true)
	if prob != nil {
		return in, prob
	}
	if prm.Resource.IsZero() || prm.Resource.ResourceType() != "List" {
		return in, structureProblem("'shortlist' must hold a List resource.")
	}
	var list fhir.List
	if err := prm.Resource.Decode(&list); err != nil {
		return in, structureProblem("'shortlist' is not a valid List: " + jsonProblem(err))
	}
	switch n := len(list.Entry); {
	case n == 0:
		return in, missingValue("shortlist.entry")
	case n > maxShortlist:
		return in, businessRule("TOO_MANY_ITEMS", "'shortlist' holds %d services; at most %d may be shortlisted.", n, maxShortlist)
	}
	seen := map[string]bool{}
	for i, e := range list.Entry {
		id := e.Item.Identifier
		if id == nil || id.Value == "" {
			return in, missingValue(fmt.Sprintf("shortlist.entry[%d].item.identifier", i))
		}
		if id.System != fhir.SystemERSService {
			return in, invalidValue("'shortlist.entry[%d]' The identifier system must be %s.", i, fhir.SystemERSService)
		}
		if seen[id.Value] {
			return in, businessRule("DUPLICATE_SERVICE", "'shortlist' Service %s is shortlisted more than once.", id.Value)
		}
		seen[id.Value] = true
		in.Services = append(in.Services, id.Value)
	}
	crit, prob := shortlistCriteria(&list)
	if prob != nil {
		return in, prob
	}
	in.Criteria, prob = c.referrerCriteria(crit, "shortlist.contained")
	return in, prob
}

// shortlistCriteria finds the criteria a shortlist points at: the contained
// Parameters its Shortlist-SearchCriteria extension names, or its only
// contained Parameters.
func shortlistCriteria(list *fhir.List) (*fhir.Parameters, *problem) {
	raw, found := fhir.RawResource{}, false
	if v, ok := list.Extension.Value(fhir.ExtShortlistCriteria); ok && v.ValueReference != nil {
		raw, found = list.FindContained(v.ValueReference.Reference)
		if !found {
			return nil, businessRule("REFERENCE_NOT_FOUND", "'shortlist' The search criteria %s are not contained in the shortlist.", v.ValueReference.Reference)
		}
	} else if ps := list.ContainedOfType("Parameters"); len(ps) == 1 {
		raw, found = ps[0], true
	}
	if !found {
		return nil, missingValue("shortlist.searchCriteria")
	}
	var crit fhir.Parameters
	if raw.ResourceType() != "Parameters" || raw.Decode(&crit) != nil {
		return nil, structureProblem("The shortlist's search criteria must be a Parameters resource.")
	}
	return &crit, nil
}

// referrerCriteria reads eRS-ServiceSearchCriteria-Parameters-1. place and
// commissioningProvisioning are accepted and ignored, as e-RS does. where
// names the resource in diagnostics.
func (c *call) referrerCriteria(p *fhir.Parameters, where string) (store.SearchCriteria, *problem) {
	var sc store.SearchCriteria
	known := map[string]bool{"priority": true, "specialty": true, "clinicType": true, "indicativeAppointmentWaitTimeLimit": true,
		"postcode": true, "distanceLimit": true, "clinicalTerm": true, "namedClinician": true, "ageAndGenderAppropriate": true,
		"commissioningProvisioning": true, "organisation": true, "place": true}
	for i, prm := range p.Parameter {
		if !known[prm.Name] {
			return sc, &problem{Status: http.StatusUnprocessableEntity, Issue: "value", Code: "UNEXPECTED_FIELD",
				Diagnostics: fmt.Sprintf("'%s/parameter[%d]' (%s) unknown parameter name", where, i, prm.Name)}
		}
	}
	prio, prob := referrerParam(p, "priority", true)
	if prob != nil {
		return sc, prob
	}
	cd, _ := prio.Coding()
	if !isPriority(cd.Code) {
		return sc, businessRule("INVALID_CODE", "'priority' (%s) is not one of ROUTINE, URGENT, TWO_WEEK_WAIT.", cd.Code)
	}
	sc.Priority = cd.Code
	if prm, prob := referrerParam(p, "specialty", false); prob != nil {
		return sc, prob
	} else if prm != nil {
		cd, _ := prm.Coding()
		if !fhir.IsLocalSystem(cd.System, fhir.LocalSpecialty) {
			return sc, invalidValue("'specialty' The code system must be %s.", c.localSystemURL(fhir.LocalSpecialty))
		}
		if _, ok := c.s.ref.Lookup(fhir.LocalSpecialty, cd.Code); !ok {
			return sc, businessRule("INVALID_CODE", "'specialty' (%s) is not a SPECIALTY code.", cd.Code)
		}
		sc.Specialty = cd.Code
	}
	if prm, prob := referrerParam(p, "clinicType", false); prob != nil {
		return sc, prob
	} else if prm != nil {
		cd, _ := prm.Coding()
		if _, ok := c.s.ref.Lookup(fhir.LocalClinicType, cd.Code); !ok {
			return sc, businessRule("INVALID_CODE", "'clinicType' (%s) is not a CLINIC-TYPE code.", cd.Code)
		}
		sc.ClinicType = cd.Code
	}
	if sc.WaitTimeLimit, prob = referrerUnsigned(p, "indicativeAppointmentWaitTimeLimit"); prob != nil {
		return sc, prob
	}
	if sc.DistanceLimit, prob = referrerUnsigned(p, "distanceLimit"); prob != nil {
		return sc, prob
	}
	if prm, prob := referrerParam(p, "postcode", false); prob != nil {
		return sc, prob
	} else if prm != nil {
		pc, ok := geo.Normalise(prm.Value.String())
		if !ok {
			return sc, invalidValue("'postcode' is not a UK postcode: give a full postcode such as LS1 4HR.")
		}
		sc.Postcode = pc
	}
	if prm, prob := referrerParam(p, "clinicalTerm", false); prob != nil {
		return sc, prob
	} else if prm != nil {
		cd, _ := prm.Coding()
		if cd.System != fhir.SystemSNOMED || !digitsOnly(cd.Code) {
			return sc, businessRule("SNOMED_NOT_FOUND", "'clinicalTerm' (%s) is not a SNOMED CT concept e-RS knows.", cd.Code)
		}
		sc.ClinicalTerm = store.Coding{System: fhir.SystemSNOMED, Code: cd.Code, Display: cd.Display}
	}
	if sc.NamedClinician, prob = referrerSDSParam(p, "namedClinician"); prob != nil {
		return sc, prob
	}
	if prm, prob := referrerParam(p, "organisation", false); prob != nil {
		return sc, prob
	} else if prm != nil {
		if prm.ValueIdentifier == nil || prm.ValueIdentifier.Value == "" {
			return sc, missingValue("organisation")
		}
		sc.Organisation = strings.ToUpper(prm.ValueIdentifier.Value)
	}
	agp, prob := referrerParam(p, "ageAndGenderAppropriate", true)
	if prob != nil {
		return sc, prob
	}
	b, ok := agp.Bool()
	if !ok {
		return sc, invalidValue("'ageAndGenderAppropriate' must be a boolean.")
	}
	sc.AgeAndGenderAppropriate = b
	return sc, nil
}

// referrerUnsigned reads an optional unsignedInt parameter; absent is 0.
func referrerUnsigned(p *fhir.Parameters, name string) (int, *problem) {
	prm, prob := referrerParam(p, name, false)
	if prm == nil || prob != nil {
		return 0, prob
	}
	n, ok := prm.Int()
	if !ok || n < 0 || n > 1<<31-1 {
		return 0, invalidValue("'%s' must be an unsigned integer.", name)
	}
	return int(n), nil
}

// referrerLetterIntention reads intentionToAddReferralLetter.
func referrerLetterIntention(p *fhir.Parameters) (string, *problem) {
	prm, prob := referrerParam(p, "intentionToAddReferralLetter", true)
	if prob != nil {
		return "", prob
	}
	cd, _ := prm.Coding()
	switch cd.Code {
	case "NEED_TO_ADD_LATER", "NOT_INTENDING_TO_ADD":
		return cd.Code, nil
	case "":
		return "", missingValue("intentionToAddReferralLetter")
	}
	return "", businessRule("INVALID_CODE", "'intentionToAddReferralLetter' (%s) is not NEED_TO_ADD_LATER or NOT_INTENDING_TO_ADD.", cd.Code)
}

// referrerReminderDays reads firstReminderLetterFollowUpDays (required).
func referrerReminderDays(p *fhir.Parameters) (int, *problem) {
	if _, prob := referrerParam(p, "firstReminderLetterFollowUpDays", true); prob != nil {
		return 0, prob
	}
	return referrerUnsigned(p, "firstReminderLetterFollowUpDays")
}

// referrerPathwayStart reads eReferralPathwayStart: an instant in the past,
// at most 365 days ago. Absent, the pathway starts now.
func referrerPathwayStart(p *fhir.Parameters, now time.Time) (time.Time, *problem) {
	prm, prob := referrerParam(p, "eReferralPathwayStart", false)
	if prob != nil {
		return time.Time{}, prob
	}
	if prm == nil {
		return now, nil
	}
	t, err := time.Parse(time.RFC3339Nano, prm.Value.String())
	if err != nil {
		return time.Time{}, invalidValue("'eReferralPathwayStart' (%s) is not a FHIR instant.", prm.Value.String())
	}
	switch {
	case t.After(now):
		return time.Time{}, invalidValue("'eReferralPathwayStart' must be in the past.")
	case now.Sub(t) > maxPathwayStartAge:
		return time.Time{}, invalidValue("'eReferralPathwayStart' must be no more than 365 days ago.")
	}
	return t, nil
}

// structureProblem is a 422 INVALID_FHIR_STRUCTURE.
func structureProblem(msg string) *problem {
	return &problem{Status: http.StatusUnprocessableEntity, Issue: "structure", Code: "INVALID_FHIR_STRUCTURE", Diagnostics: msg}
}
