package fhir

// DomainResource holds the members every e-RS resource may carry. Resource
// types inline it.
type DomainResource struct {
	ResourceType string        `json:"resourceType"`
	ID           string        `json:"id,omitzero"`
	Meta         *Meta         `json:"meta,omitzero"`
	Language     string        `json:"language,omitzero"`
	Contained    []RawResource `json:"contained,omitzero"`
	Extension    Extensions    `json:"extension,omitzero"`
}

// Version is meta.versionId, the optimistic-concurrency version, or "".
func (r *DomainResource) Version() string {
	if r.Meta == nil {
		return ""
	}
	return r.Meta.VersionID
}

// FindContained returns the contained resource with the given id, with or
// without the leading "#" of a local reference.
func (r *DomainResource) FindContained(id string) (RawResource, bool) {
	if len(id) > 0 && id[0] == '#' {
		id = id[1:]
	}
	for _, c := range r.Contained {
		if c.ID() == id {
			return c, true
		}
	}
	return RawResource{}, false
}

// ContainedOfType returns the contained resources of one type.
func (r *DomainResource) ContainedOfType(resourceType string) []RawResource {
	var out []RawResource
	for _, c := range r.Contained {
		if c.ResourceType() == resourceType {
			out = append(out, c)
		}
	}
	return out
}
