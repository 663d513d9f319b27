package ersclient

import (
	"strings"
	"time"

	"github.com/ers-workstation/ers-workstation/ersclient/fhir"
)

const (
	profileDocumentReference = "https://fhir.nhs.uk/STU3/StructureDefinition/eRS-DocumentReference-1"
	// indexedLayout writes DocumentReference.indexed as the official
	// examples do ("2021-06-24T13:22:13.311000+00:00").
	indexedLayout = "2006-01-02T15:04:05.000000-07:00"
)

// FileLink is a file already uploaded with UploadFile (A020), to be linked
// to a referral or A&G request: a referral letter (A012), a provider
// attachment (A022, A028, A027) or an A&G file (A026, A027, A044). Upload it
// naming the request's UBRN, or e-RS refuses the link (422
// INAPPROPRIATE_VALUE); a new A&G request (A044) has no UBRN yet.
type FileLink struct {
	// BinaryID is the id UploadFile returned (the {id} of Binary/{id});
	// "Binary/{id}" is accepted too.
	BinaryID    string
	Description string
	// Indexed is when the file was linked; zero means now.
	Indexed time.Time
	// indexed is the date as e-RS wrote it, for links read back from a
	// record: it is sent back unchanged unless Indexed is changed.
	indexed string
}

// fileLinkResources builds one DocumentReference (eRS-DocumentReference-1)
// of the attachment type per link, stamping links without a date with now.
// It refuses links without a usable id and the same file twice.
func fileLinkResources(opID OperationID, typ AttachmentType, links []FileLink, now time.Time) ([]fhir.RawResource, error) {
	out := make([]fhir.RawResource, 0, len(links))
	seen := map[string]bool{}
	for i, l := range links {
		id := strings.TrimPrefix(l.BinaryID, "Binary/")
		if id == "" || strings.ContainsAny(id, "/?# ") {
			return nil, invalid(opID, "attachment %d has no valid attachment id: upload the file first and give the id the upload returned", i+1)
		}
		if seen[id] {
			return nil, invalid(opID, "attachment %s is listed twice", id)
		}
		seen[id] = true
		doc := fhir.DocumentReference{
			DomainResource: fhir.DomainResource{
				ResourceType: "DocumentReference",
				Meta:         &fhir.Meta{Profile: []string{profileDocumentReference}},
			},
			Type:        fhir.NewConcept(fhir.CSAttachmentType, string(typ)),
			Status:      "current",
			Indexed:     l.indexedText(now),
			Description: l.Description,
			Content:     []fhir.DocumentContent{{Attachment: fhir.Attachment{URL: "Binary/" + id}}},
		}
		raw, err := fhir.NewRawResource(doc)
		if err != nil {
			return nil, invalid(opID, "attachment %d cannot be encoded: %v", i+1, err)
		}
		out = append(out, raw)
	}
	return out, nil
}

// indexedText keeps the date e-RS wrote unless the caller set another.
func (l FileLink) indexedText(now time.Time) string {
	if l.indexed != "" {
		if t, ok := ParseFHIRTime(l.indexed); l.Indexed.IsZero() || (ok && t.Equal(l.Indexed)) {
			return l.indexed
		}
	}
	t := l.Indexed
	if t.IsZero() {
		t = now
	}
	return t.UTC().Format(indexedLayout)
}

// addFileLinks adds the links to p as parameters of the given name.
func addFileLinks(opID OperationID, p *fhir.Parameters, name string, typ AttachmentType, links []FileLink, now time.Time) error {
	docs, err := fileLinkResources(opID, typ, links, now)
	if err != nil {
		return err
	}
	for _, d := range docs {
		p.Add(fhir.Parameter{Name: name, Resource: d})
	}
	return nil
}
