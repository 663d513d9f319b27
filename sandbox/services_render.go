package sandbox

import (
	"strconv"

	"github.com/ers-workstation/ers-workstation/ersclient/fhir"
	"github.com/ers-workstation/ers-workstation/sandbox/store"
)

// r4AppointmentTypeDisplays are the displays of the R4 eRS-AppointmentType
// codes, as the specification enumerates them.
var r4AppointmentTypeDisplays = map[string]string{
	"DAY_CASE":             "Day Case",
	"FIRST_OUTPATIENT":     "First Outpatient",
	"ASSESSMENT_SERVICE":   "Assessment Service",
	"GPSI":                 "GPSI",
	"AHP_CLINIC":           "AHP Clinic",
	"DIAGNOSTIC":           "Diagnostic",
	"NURSE_CLINIC":         "Nurse Clinic",
	"OPHTHALMOLOGIST":      "Ophthalmologist",
	"TELEPHONE_ASSESSMENT": "Telephone Assessment",
}

// r4FlowDisplays are the displays of the R4 eRS-RequestFlowType codes.
var r4FlowDisplays = map[string]string{
	store.FlowBookable: "A service which supports a patient appointment",
	store.FlowTriage:   "A service that reviews referrals, without the support or need for any appointment with the patient to be made",
	store.FlowAdvice:   "A service which can discuss the patient and receive guidance rather than a patient attending an appointment",
}

// r4BookableDisplays are the displays of the R4 eRS-BookableType codes.
var r4BookableDisplays = map[string]string{
	store.DirectlyBookable:   "Directly Bookable",
	store.IndirectlyBookable: "Indirectly Bookable",
}

// Contact purposes of Extension-eRS-HealthcareService-Contact: the phone
// number is for patients, the e-mail address for professionals, as in the
// official full example.
var (
	contactForPatients      = fhir.Coding{System: "http://terminology.hl7.org/CodeSystem/contactentity-type", Code: "PATINF", Display: "Patient"}
	contactForProfessionals = fhir.Coding{System: "https://fhir.nhs.uk/CodeSystem/eRS-Purpose", Code: "HEALTHCARE_PROFESSIONALS", Display: "Healthcare Professionals"}
)

// healthcareService renders a service as the R4 eRS-HealthcareService of
// A033 and A035 (r4/getService/responses): version, site, name, the
// appointment types as `type`, the request flow and bookable type as
// `characteristic`, and hours, instructions and contacts as extensions.
// Empty attributes are left out, as in the minimal example.
func (c *call) healthcareService(svc *store.Service) *fhir.HealthcareService {
	active := svc.Active
	hs := &fhir.HealthcareService{
		DomainResource: fhir.DomainResource{
			ResourceType: "HealthcareService",
			ID:           svc.ID,
			Meta:         &fhir.Meta{VersionID: strconv.Itoa(serviceVersion(svc))},
			Language:     "en",
		},
		Active: &active,
		Name:   svc.Name,
	}
	site := svc.Site
	if site == "" {
		site = svc.Org
	}
	hs.Location = []fhir.Reference{{Identifier: &fhir.Identifier{System: fhir.SystemODSSiteCode, Value: site}}}
	if svc.Hours != "" {
		hs.Extension = append(hs.Extension, fhir.Extension{URL: fhir.ExtHoursOfOperation, Value: fhir.Value{ValueString: fhir.Ptr(svc.Hours)}})
	}
	if svc.Instructions != "" {
		hs.Extension = append(hs.Extension, fhir.Extension{URL: fhir.ExtServiceInstructions, Value: fhir.Value{ValueString: fhir.Ptr(svc.Instructions)}})
	}
	if svc.Phone != "" {
		hs.Extension = append(hs.Extension, serviceContact(contactForPatients, "phone", svc.Phone))
	}
	if svc.Email != "" {
		hs.Extension = append(hs.Extension, serviceContact(contactForProfessionals, "email", svc.Email))
	}
	var types []fhir.CodeableConcept
	for _, t := range svc.AppointmentTypes {
		types = append(types, fhir.CodeableConcept{Coding: []fhir.Coding{{System: fhir.CSAppointmentTypeR4, Code: t, Display: r4AppointmentTypeDisplays[t]}}})
	}
	hs.Type = fhir.Many(types...)
	if svc.Flow != "" {
		hs.Characteristic = append(hs.Characteristic, fhir.CodeableConcept{Coding: []fhir.Coding{{System: fhir.CSRequestFlowTypeR4, Code: svc.Flow, Display: r4FlowDisplays[svc.Flow]}}})
	}
	if svc.Bookable != "" {
		hs.Characteristic = append(hs.Characteristic, fhir.CodeableConcept{Coding: []fhir.Coding{{System: fhir.CSBookableTypeR4, Code: svc.Bookable, Display: r4BookableDisplays[svc.Bookable]}}})
	}
	return hs
}

// serviceContact is one Extension-eRS-HealthcareService-Contact.
func serviceContact(purpose fhir.Coding, system, value string) fhir.Extension {
	return fhir.Extension{URL: fhir.ExtServiceContact, Extension: fhir.Extensions{
		{URL: "purpose", Value: fhir.Value{ValueCodeableConcept: &fhir.CodeableConcept{Coding: []fhir.Coding{purpose}}}},
		{URL: "telecom", Value: fhir.Value{ValueContactPoint: &fhir.ContactPoint{System: system, Value: value}}},
	}}
}
