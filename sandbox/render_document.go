package sandbox

import (
	"github.com/ers-workstation/ers-workstation/ersclient/fhir"
	"github.com/ers-workstation/ers-workstation/sandbox/store"
)

// Stubs, replaced by H1.

// documentReference renders an attached file as the contained
// eRS-DocumentReference-1 of a referral or advice request.
func (c *call) documentReference(st *store.State, d store.Document) fhir.DocumentReference {
	return fhir.DocumentReference{DomainResource: fhir.DomainResource{ResourceType: "DocumentReference", ID: d.ID}}
}

// linkFiles turns the DocumentReference parameters of a write (A012
// referralLetterFile, A022 providerAttachmentFile, ...) into documents of the
// given type, checking that each Binary was uploaded for this UBRN.
func (c *call) linkFiles(st *store.State, ubrn string, params []*fhir.Parameter, docType string) ([]store.Document, *problem) {
	return nil, notImplemented()
}
