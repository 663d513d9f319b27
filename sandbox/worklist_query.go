package sandbox

import (
	"github.com/ers-workstation/ers-workstation/ersclient"
	"github.com/ers-workstation/ers-workstation/ersclient/fhir"
	"github.com/ers-workstation/ers-workstation/sandbox/refdata"
)

// parseWorklistQuery reads an eRS-FetchWorklist-Parameters-1 body. selector
// is the listType code system the operation takes: eRS-ReferralListSelector-1
// for A008, eRS-CommunicationListSelector-1 for A023. Every problem is a 422
// naming the parameter.
func parseWorklistQuery(p *fhir.Parameters, selector string) (worklistQuery, *problem) {
	in := actionParams{p}
	var q worklistQuery
	cd, _, prob := in.coding("listType", true)
	if prob != nil {
		return q, prob
	}
	q.list = ersclient.WorklistType(cd.Code)
	advice := selector == fhir.CSCommunicationListSelector
	switch {
	case cd.System != selector:
		return q, actionInvalidCode("'listType' must be a code of %s.", selector)
	case advice && q.list != ersclient.WorklistAdviceAndGuidanceRequests:
		return q, actionInvalidCode("'listType' %s is not an advice and guidance worklist: use ADVICE_AND_GUIDANCE_REQUESTS.", cd.Code)
	case !advice && (q.list == ersclient.WorklistAdviceAndGuidanceRequests || !q.list.Valid()):
		return q, actionInvalidCode("'listType' %s is not a referral worklist.", cd.Code)
	}
	if q.service, prob = identifierParam(in, "service", fhir.SystemERSService); prob != nil {
		return q, prob
	}
	if q.location, prob = identifierParam(in, "location", fhir.SystemODSDirectory, fhir.SystemODSOrgCode, fhir.SystemODSSiteCode); prob != nil {
		return q, prob
	}
	if q.specialty, prob = assignedParam(in, "specialtyAssignedIndicator"); prob != nil {
		return q, prob
	}
	specialty, found, prob := in.coding("specialty", false)
	if prob != nil {
		return q, prob
	}
	if found {
		if !fhir.IsLocalSystem(specialty.System, refdata.Specialty) {
			return q, actionInvalidCode("'specialty' must be a code of the SPECIALTY code system.")
		}
		if q.specialty, prob = assignedWithValue(q.specialty, "specialty", specialty.Code); prob != nil {
			return q, prob
		}
	}
	if q.clinician, prob = assignedParam(in, "clinicianAssignedIndicator"); prob != nil {
		return q, prob
	}
	clinician, prob := identifierParam(in, "clinician", fhir.SystemSDSUserSTU3, fhir.SystemSDSUserR4)
	if prob != nil {
		return q, prob
	}
	if clinician != "" {
		if q.clinician, prob = assignedWithValue(q.clinician, "clinician", clinician); prob != nil {
			return q, prob
		}
	}
	return q, nil
}

// assignedParam reads an eRS-AssignedIndicator-1 parameter.
func assignedParam(in actionParams, name string) (assignedFilter, *problem) {
	cd, found, p := in.coding(name, false)
	if p != nil || !found {
		return assignedFilter{}, p
	}
	if cd.System != fhir.CSAssignedIndicator || (cd.Code != "ASSIGNED" && cd.Code != "NOT_ASSIGNED") {
		return assignedFilter{}, actionInvalidCode("'%s' must be ASSIGNED or NOT_ASSIGNED from %s.", name, fhir.CSAssignedIndicator)
	}
	return assignedFilter{set: true, assigned: cd.Code == "ASSIGNED"}, nil
}

// assignedWithValue adds a value to an assigned filter: a value needs the
// indicator ASSIGNED, and stands for it when the indicator is absent.
func assignedWithValue(f assignedFilter, name, value string) (assignedFilter, *problem) {
	if f.set && !f.assigned {
		return f, invalidValue("'%s' can only be given with its assigned indicator set to ASSIGNED.", name)
	}
	return assignedFilter{set: true, assigned: true, value: value}, nil
}

// identifierParam reads an optional valueIdentifier whose system, when
// given, is one of systems.
func identifierParam(in actionParams, name string, systems ...string) (string, *problem) {
	prm, p := in.one(name)
	if p != nil || prm == nil {
		return "", p
	}
	id := prm.ValueIdentifier
	if id == nil {
		return "", invalidValue("'%s' must be a valueIdentifier.", name)
	}
	if id.Value == "" {
		return "", missingValue(name + ".value")
	}
	if id.System == "" {
		return id.Value, nil
	}
	for _, s := range systems {
		if id.System == s {
			return id.Value, nil
		}
	}
	return "", invalidValue("'%s' has the identifier system %q; expected %s.", name, id.System, systems[0])
}
