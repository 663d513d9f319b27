package sandbox

import (
	"github.com/ers-workstation/ers-workstation/ersclient/fhir"
	"github.com/ers-workstation/ers-workstation/sandbox/store"
)

// retrieveOnBehalfOfUsers is A040: the clinicians a service provider
// clinician admin may act for at the organisation of the call, as an R4
// Bundle of Practitioner whose id is the SDS user id to send in
// NHSD-eRS-On-Behalf-Of-User-ID. `_query=onBehalfOf` is required (400
// otherwise); admit has already refused every role but the clinician admin.
// A clinician the directory does not know is still listed, by id only.
func (s *Server) retrieveOnBehalfOfUsers(c *call) {
	q, p := c.query([]string{"_query"})
	if p != nil {
		c.fail(p)
		return
	}
	if q.Get("_query") != "onBehalfOf" {
		c.fail(badRequest("INVALID_VALUE", "The query parameter _query is missing or has an invalid value: use _query=onBehalfOf."))
		return
	}
	c.serveR4Search(c.fhirBase()+"/R4/Practitioner?_query=onBehalfOf", func(st *store.State, add func(string, any) error) error {
		u, p := c.callingUser(st)
		if p != nil {
			return p
		}
		now := instantString(c.Now())
		for _, id := range u.OnBehalfOf[c.Org] {
			pr := &fhir.Practitioner{
				DomainResource: fhir.DomainResource{ResourceType: "Practitioner", ID: id, Meta: &fhir.Meta{LastUpdated: now}},
				// A single identifier object, as the official example sends it.
				Identifier: fhir.One(fhir.Identifier{System: fhir.SystemSDSUserR4, Value: id}),
			}
			if clin := st.Users[id]; clin != nil {
				pr.Name = []fhir.HumanName{practitionerName(clin)}
			}
			if err := add(c.fhirBase()+"/R4/Practitioner/"+id, pr); err != nil {
				return err
			}
		}
		return nil
	})
}

// practitionerName is a user's name as an R4 HumanName.
func practitionerName(u *store.User) fhir.HumanName {
	n := fhir.HumanName{Family: u.Family}
	if u.Given != "" {
		n.Given = []string{u.Given}
	}
	if u.Title != "" {
		n.Prefix = []string{u.Title}
	}
	return n
}
