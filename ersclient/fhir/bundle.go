package fhir

// Bundle is a FHIR Bundle: a searchset of slots, tasks, services, roles...
type Bundle struct {
	ResourceType string        `json:"resourceType"`
	ID           string        `json:"id,omitzero"`
	Meta         *Meta         `json:"meta,omitzero"`
	Type         string        `json:"type,omitzero"`
	Timestamp    string        `json:"timestamp,omitzero"`
	Total        *int64        `json:"total,omitzero"`
	Link         []BundleLink  `json:"link,omitzero"`
	Entry        []BundleEntry `json:"entry,omitzero"`
	Extra        Extra         `json:",embed"`
}

// BundleLink is a paging or self link.
type BundleLink struct {
	Relation string `json:"relation"`
	URL      string `json:"url"`
	Extra    Extra  `json:",embed"`
}

// BundleEntry is one resource of a bundle.
type BundleEntry struct {
	FullURL  string        `json:"fullUrl,omitzero"`
	Resource RawResource   `json:"resource,omitzero"`
	Search   *BundleSearch `json:"search,omitzero"`
	Extra    Extra         `json:",embed"`
}

// BundleSearch says whether an entry matched the search or was included.
type BundleSearch struct {
	Mode  string `json:"mode,omitzero"`
	Extra Extra  `json:",embed"`
}

// LinkURL returns the URL of the link with the given relation ("next"...).
func (b *Bundle) LinkURL(relation string) string {
	for _, l := range b.Link {
		if l.Relation == relation {
			return l.URL
		}
	}
	return ""
}

// Resources decodes every entry of one resource type into a new T each.
func Resources[T any](b *Bundle, resourceType string) ([]T, error) {
	var out []T
	for _, e := range b.Entry {
		if e.Resource.ResourceType() != resourceType {
			continue
		}
		var v T
		if err := e.Resource.Decode(&v); err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, nil
}
