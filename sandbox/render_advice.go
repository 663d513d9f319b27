package sandbox

import (
	"github.com/ers-workstation/ers-workstation/ersclient/fhir"
	"github.com/ers-workstation/ers-workstation/sandbox/store"
)

// Stubs, replaced by H4.

// adviceResource renders an advice request as the STU3 CommunicationRequest
// of A024, A026 and A044.
func (c *call) adviceResource(st *store.State, a *store.Advice) *fhir.CommunicationRequest {
	return &fhir.CommunicationRequest{DomainResource: fhir.DomainResource{ResourceType: "CommunicationRequest", ID: a.UBRN}}
}

// messageResource renders one message of a conversation as a Communication.
func (c *call) messageResource(st *store.State, a *store.Advice, m *store.Message) *fhir.Communication {
	return &fhir.Communication{DomainResource: fhir.DomainResource{ResourceType: "Communication", ID: m.ID}}
}
