package fhir

// PractitionerRole is one of the user's organisations with the e-RS business
// functions (roles) held there (A030, R4); STU3 A&G resources contain them too.
type PractitionerRole struct {
	DomainResource `json:",embed"`
	Identifier     []Identifier      `json:"identifier,omitzero"`
	Active         *bool             `json:"active,omitzero"`
	Practitioner   *Reference        `json:"practitioner,omitzero"`
	Organization   *Reference        `json:"organization,omitzero"`
	Code           []CodeableConcept `json:"code,omitzero"`
	Specialty      []CodeableConcept `json:"specialty,omitzero"`
	Extra          Extra             `json:",embed"`
}

// Practitioner is a clinician; for A040 its id is the SDS user id that a
// clinician admin may act on behalf of. The official A040 example sends
// identifier as a single object, so either shape is read.
type Practitioner struct {
	DomainResource `json:",embed"`
	Identifier     OneOrMany[Identifier] `json:"identifier,omitzero"`
	Active         *bool                 `json:"active,omitzero"`
	Name           []HumanName           `json:"name,omitzero"`
	Extra          Extra                 `json:",embed"`
}

// Patient appears contained in worklists, identified by NHS number.
type Patient struct {
	DomainResource `json:",embed"`
	Identifier     []Identifier `json:"identifier,omitzero"`
	Name           []HumanName  `json:"name,omitzero"`
	Gender         string       `json:"gender,omitzero"`
	BirthDate      string       `json:"birthDate,omitzero"`
	Extra          Extra        `json:",embed"`
}

// DisplayName is a person's name for display: text, else "Prefix Given Family".
func DisplayName(names []HumanName) string {
	if len(names) == 0 {
		return ""
	}
	n := names[0]
	if n.Text != "" {
		return n.Text
	}
	s := ""
	for _, part := range append(append(append([]string{}, n.Prefix...), n.Given...), n.Family) {
		if part == "" {
			continue
		}
		if s != "" {
			s += " "
		}
		s += part
	}
	return s
}
