package fhir

// DocumentReference points at an uploaded file: a referral letter, a provider
// attachment, an A&G request or response file. Its type is eRS-AttachmentType-1
// and content[0].attachment.url is "Binary/{id}".
type DocumentReference struct {
	DomainResource `json:",embed"`
	Status         string            `json:"status,omitzero"`
	Type           *CodeableConcept  `json:"type,omitzero"`
	Indexed        string            `json:"indexed,omitzero"`
	Created        string            `json:"created,omitzero"`
	Description    string            `json:"description,omitzero"`
	Author         []Reference       `json:"author,omitzero"`
	Content        []DocumentContent `json:"content,omitzero"`
	Extra          Extra             `json:",embed"`
}

// DocumentContent holds the attachment.
type DocumentContent struct {
	Attachment Attachment `json:"attachment"`
	Extra      Extra      `json:",embed"`
}

// Task is an action available to the user on a referral (A029).
type Task struct {
	DomainResource `json:",embed"`
	Status         string           `json:"status,omitzero"`
	Intent         string           `json:"intent,omitzero"`
	Code           *CodeableConcept `json:"code,omitzero"`
	Focus          *Reference       `json:"focus,omitzero"`
	Extra          Extra            `json:",embed"`
}
