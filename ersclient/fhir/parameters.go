package fhir

// Parameters is the FHIR Parameters resource: the body of most e-RS
// operations ($ers.*) and the result of some.
type Parameters struct {
	ResourceType string      `json:"resourceType"`
	ID           string      `json:"id,omitzero"`
	Meta         *Meta       `json:"meta,omitzero"`
	Parameter    []Parameter `json:"parameter,omitzero"`
	Extra        Extra       `json:",embed"`
}

// Parameter is one named parameter: a value, a resource, or parts.
type Parameter struct {
	Name     string `json:"name"`
	Value    `json:",embed"`
	Resource RawResource `json:"resource,omitzero"`
	Part     []Parameter `json:"part,omitzero"`
	Extra    Extra       `json:",embed"`
}

// NewParameters starts a Parameters resource with the given profile.
func NewParameters(profile string) *Parameters {
	p := &Parameters{ResourceType: "Parameters"}
	if profile != "" {
		p.Meta = &Meta{Profile: []string{profile}}
	}
	return p
}

// Get returns the first parameter with the name.
func (p *Parameters) Get(name string) (*Parameter, bool) {
	for i := range p.Parameter {
		if p.Parameter[i].Name == name {
			return &p.Parameter[i], true
		}
	}
	return nil, false
}

// All returns every parameter with the name.
func (p *Parameters) All(name string) []*Parameter {
	var out []*Parameter
	for i := range p.Parameter {
		if p.Parameter[i].Name == name {
			out = append(out, &p.Parameter[i])
		}
	}
	return out
}

// Add appends a parameter and returns p for chaining.
func (p *Parameters) Add(param Parameter) *Parameters {
	p.Parameter = append(p.Parameter, param)
	return p
}

// ResourceParam decodes the resource of the named parameter into v.
func (p *Parameters) ResourceParam(name string, v any) (bool, error) {
	param, ok := p.Get(name)
	if !ok || param.Resource.IsZero() {
		return false, nil
	}
	return true, param.Resource.Decode(v)
}
