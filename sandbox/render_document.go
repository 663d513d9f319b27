package sandbox

import (
	"strings"

	"github.com/ers-workstation/ers-workstation/ersclient/fhir"
	"github.com/ers-workstation/ers-workstation/sandbox/store"
)

// documentIDPrefix starts the id of a contained DocumentReference; the rest
// is the attachment's own id ("DocumentReference-80000" holds attachment
// "80000"), as in the official examples.
const documentIDPrefix = "DocumentReference-"

// documentIDs returns the DocumentReference id and the attachment id of a
// document, whichever form its stored id takes.
func documentIDs(id string) (resourceID, attachmentID string) {
	if rest, ok := strings.CutPrefix(id, documentIDPrefix); ok {
		return id, rest
	}
	return documentIDPrefix + id, id
}

// documentReference renders an attached file as the contained
// eRS-DocumentReference-1 of a referral or advice request: the type, when
// it was linked, and on content[0].attachment the Binary URL, the file's
// facts, its availability and who attached it.
func (c *call) documentReference(st *store.State, d store.Document) fhir.DocumentReference {
	id, attachmentID := documentIDs(d.ID)
	dr := fhir.DocumentReference{
		DomainResource: fhir.DomainResource{ResourceType: "DocumentReference", ID: id,
			Meta: &fhir.Meta{Profile: []string{profileDocumentReference}}},
		Status:      "current",
		Description: d.Description,
	}
	if d.Type != "" {
		dr.Type = &fhir.CodeableConcept{Coding: []fhir.Coding{ersCoding(fhir.CSAttachmentType, d.Type)}}
	}
	if !d.Indexed.IsZero() {
		dr.Indexed = instantString(d.Indexed)
	}
	att := fhir.Attachment{ID: attachmentID, URL: "Binary/" + d.BinaryID}
	b := st.Binaries[d.BinaryID]
	if b != nil {
		att.Extension = append(att.Extension, codingExtension(fhir.ExtAvailabilityStatus,
			fhir.Coding{System: fhir.CSAvailabilityStatus, Code: availabilityOf(b)}))
	}
	if d.AttachedBy != "" {
		att.Extension = append(att.Extension, fhir.Extension{URL: fhir.ExtAttachedBy,
			Value: fhir.Value{ValueReference: identifierRef(fhir.SystemSDSUserSTU3, d.AttachedBy)}})
	}
	if d.AttachedOrg != "" {
		att.Extension = append(att.Extension, fhir.Extension{URL: fhir.ExtAttachedByOrg,
			Value: fhir.Value{ValueReference: identifierRef(fhir.SystemODSOrgCode, d.AttachedOrg)}})
	}
	if d.OnBehalfOf != "" {
		att.Extension = append(att.Extension, fhir.Extension{URL: fhir.ExtAttachedOnBehalfOf,
			Value: fhir.Value{ValueReference: identifierRef(fhir.SystemSDSUserSTU3, d.OnBehalfOf)}})
	}
	if b != nil {
		att.ContentType = b.ContentType
		att.Size = fhir.Ptr(int64(len(b.Data)))
		att.Title = b.FileName
		if !b.Created.IsZero() {
			att.Creation = dateString(b.Created)
		}
	}
	dr.Content = []fhir.DocumentContent{{Attachment: att}}
	return dr
}

// availabilityOf is a file's availability; a file with none recorded has
// passed its checks.
func availabilityOf(b *store.Binary) string {
	if b.Availability == "" {
		return store.Available
	}
	return b.Availability
}

// linkFiles turns the DocumentReference parameters of a write (A012
// referralLetterFile, A022 providerAttachmentFile, A044
// requestAttachmentFile...) into documents of the given type, ready to store.
//
// Each parameter's resource must be a DocumentReference whose
// content[0].attachment.url is "Binary/{id}" naming an uploaded file (422
// REFERENCE_NOT_FOUND otherwise). The file must have been uploaded for this
// UBRN with NHSD-eRS-Referral-ID (422 INAPPROPRIATE_VALUE otherwise); a file
// uploaded without one can only go on a request being created: pass ubrn ""
// or a UBRN that no record holds yet. A file may be named once per call (422
// DUPLICATE_FILENAME). A type other than docType is 422 INAPPROPRIATE_VALUE.
//
// The documents get new ids, are indexed now and attached by the acting
// user at the caller's organisation. linkFiles only allocates ids: nothing
// else in st changes, and nothing at all when it fails.
func (c *call) linkFiles(st *store.State, ubrn string, params []*fhir.Parameter, docType string) ([]store.Document, *problem) {
	newRequest := ubrn == "" || (st.Referrals[ubrn] == nil && st.Advice[ubrn] == nil)
	docs := make([]store.Document, 0, len(params))
	seen := make(map[string]bool, len(params))
	for _, prm := range params {
		if prm == nil {
			continue
		}
		field := prm.Name + "/resource"
		if prm.Resource.IsZero() {
			return nil, missingValue(field)
		}
		if rt := prm.Resource.ResourceType(); rt != "DocumentReference" {
			return nil, invalidValue("'%s' must be a DocumentReference, not %s.", field, rt)
		}
		var dr fhir.DocumentReference
		if err := prm.Resource.Decode(&dr); err != nil {
			return nil, businessRule("INVALID_FHIR_STRUCTURE", "'%s' is not a valid DocumentReference: %s", field, jsonProblem(err))
		}
		if dr.Type != nil {
			if cd, ok := dr.Type.CodingIn(fhir.CSAttachmentType); ok && cd.Code != docType {
				return nil, businessRule("INAPPROPRIATE_VALUE", "'%s/type' must be %s for %s, not %s.", field, docType, prm.Name, cd.Code)
			}
		}
		if len(dr.Content) == 0 || dr.Content[0].Attachment.URL == "" {
			return nil, missingValue(field + "/content/attachment/url")
		}
		url := dr.Content[0].Attachment.URL
		id, ok := binaryRef(url)
		if !ok {
			return nil, invalidValue("'%s/content/attachment/url' (%s) must be Binary/{id}.", field, url)
		}
		b := st.Binaries[id]
		if b == nil {
			return nil, businessRule("REFERENCE_NOT_FOUND", "'%s/content/attachment/url': no uploaded file %s.", field, id)
		}
		if !b.AnyRequest && b.IntendedUBRN != ubrn && (b.IntendedUBRN != "" || !newRequest) {
			return nil, businessRule("INAPPROPRIATE_VALUE",
				"'%s/content/attachment/url': file %s was not uploaded for request %s; upload it with NHSD-eRS-Referral-ID: %s.", field, id, ubrn, ubrn)
		}
		if seen[id] {
			return nil, businessRule("DUPLICATE_FILENAME", "'%s/content/attachment/url': file %s is attached twice.", field, id)
		}
		seen[id] = true
		docs = append(docs, store.Document{
			BinaryID:    id,
			Type:        docType,
			Description: dr.Description,
			Indexed:     c.Now(),
			AttachedBy:  c.ActingUser(),
			AttachedOrg: c.Org,
			OnBehalfOf:  c.OnBehalfOf,
		})
	}
	// Ids come last, once nothing can fail, so a refusal allocates none.
	for i := range docs {
		docs[i].ID = st.NewDocumentID()
	}
	return docs, nil
}

// binaryRef returns {id} from "Binary/{id}", relative or absolute.
func binaryRef(url string) (string, bool) {
	i := strings.LastIndex(url, "Binary/")
	if i < 0 || (i > 0 && url[i-1] != '/') {
		return "", false
	}
	id := url[i+len("Binary/"):]
	if id == "" || strings.ContainsAny(id, "/?#") {
		return "", false
	}
	return id, true
}
