package fhir

// CodeSystem is e-RS reference data (A004): specialties, clinic types,
// cancellation reasons, priorities, with the properties the rules use.
type CodeSystem struct {
	DomainResource `json:",embed"`
	URL            string                  `json:"url,omitzero"`
	Version        string                  `json:"version,omitzero"`
	Name           string                  `json:"name,omitzero"`
	Status         string                  `json:"status,omitzero"`
	Content        string                  `json:"content,omitzero"`
	Date           string                  `json:"date,omitzero"`
	Description    string                  `json:"description,omitzero"`
	Property       []CodeSystemPropertyDef `json:"property,omitzero"`
	Concept        []Concept               `json:"concept,omitzero"`
	Extra          Extra                   `json:",embed"`
}

// CodeSystemPropertyDef declares a property concepts may carry.
type CodeSystemPropertyDef struct {
	Code        string `json:"code"`
	URI         string `json:"uri,omitzero"`
	Description string `json:"description,omitzero"`
	Type        string `json:"type,omitzero"`
	Extra       Extra  `json:",embed"`
}

// Concept is one code with its properties.
type Concept struct {
	Extension  Extensions        `json:"extension,omitzero"`
	Code       string            `json:"code"`
	Display    string            `json:"display,omitzero"`
	Definition string            `json:"definition,omitzero"`
	Property   []ConceptProperty `json:"property,omitzero"`
	Concept    []Concept         `json:"concept,omitzero"`
	Extra      Extra             `json:",embed"`
}

// ConceptProperty is a property value; a property may repeat
// (businessFunction does).
type ConceptProperty struct {
	Code  string `json:"code"`
	Value `json:",embed"`
	Extra Extra `json:",embed"`
}

// Property1 returns the first value of the named property.
func (c *Concept) Property1(code string) (Value, bool) {
	for _, p := range c.Property {
		if p.Code == code {
			return p.Value, true
		}
	}
	return Value{}, false
}

// Properties returns every value of the named property as text.
func (c *Concept) Properties(code string) []string {
	var out []string
	for _, p := range c.Property {
		if p.Code == code {
			out = append(out, p.Value.String())
		}
	}
	return out
}
