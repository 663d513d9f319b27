package fhir

// CommunicationRequest is the STU3 Advice & Guidance request (A024); its id
// is the UBRN and its category the A&G status.
type CommunicationRequest struct {
	DomainResource `json:",embed"`
	Identifier     []Identifier           `json:"identifier,omitzero"`
	Status         string                 `json:"status,omitzero"`
	Category       []CodeableConcept      `json:"category,omitzero"`
	Priority       string                 `json:"priority,omitzero"`
	Subject        *Reference             `json:"subject,omitzero"`
	Recipient      []Reference            `json:"recipient,omitzero"`
	Payload        []CommunicationPayload `json:"payload,omitzero"`
	Requester      *Requester             `json:"requester,omitzero"`
	Sender         *Reference             `json:"sender,omitzero"`
	AuthoredOn     string                 `json:"authoredOn,omitzero"`
	Extra          Extra                  `json:",embed"`
}

// Requester is STU3's requester: an agent, optionally on behalf of another.
type Requester struct {
	Agent      Reference  `json:"agent"`
	OnBehalfOf *Reference `json:"onBehalfOf,omitzero"`
	Extra      Extra      `json:",embed"`
}

// CommunicationPayload is message content: text, a reference or an attachment.
type CommunicationPayload struct {
	ContentString     string      `json:"contentString,omitzero"`
	ContentReference  *Reference  `json:"contentReference,omitzero"`
	ContentAttachment *Attachment `json:"contentAttachment,omitzero"`
	Extra             Extra       `json:",embed"`
}

// Communication is one message of an A&G conversation (A025).
type Communication struct {
	DomainResource `json:",embed"`
	Identifier     []Identifier           `json:"identifier,omitzero"`
	BasedOn        []Reference            `json:"basedOn,omitzero"`
	Status         string                 `json:"status,omitzero"`
	Category       []CodeableConcept      `json:"category,omitzero"`
	Subject        *Reference             `json:"subject,omitzero"`
	Recipient      []Reference            `json:"recipient,omitzero"`
	Sent           string                 `json:"sent,omitzero"`
	Received       string                 `json:"received,omitzero"`
	Sender         *Reference             `json:"sender,omitzero"`
	Payload        []CommunicationPayload `json:"payload,omitzero"`
	Note           []Annotation           `json:"note,omitzero"`
	Extra          Extra                  `json:",embed"`
}
