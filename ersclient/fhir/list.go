package fhir

// List is a FHIR List: an e-RS worklist (eRS-FetchWorklist-List-1), a service
// search result (eRS-FetchServices-List-1) or a contained shortlist.
type List struct {
	DomainResource `json:",embed"`
	Status         string           `json:"status,omitzero"`
	Mode           string           `json:"mode,omitzero"`
	Title          string           `json:"title,omitzero"`
	EmptyReason    *CodeableConcept `json:"emptyReason,omitzero"`
	Entry          []ListEntry      `json:"entry,omitzero"`
	Extra          Extra            `json:",embed"`
}

// ListEntry is one list item; e-RS puts its facts in the entry's extensions.
type ListEntry struct {
	Extension Extensions       `json:"extension,omitzero"`
	Flag      *CodeableConcept `json:"flag,omitzero"`
	Item      Reference        `json:"item"`
	Extra     Extra            `json:",embed"`
}
