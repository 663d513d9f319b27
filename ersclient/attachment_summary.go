package ersclient

import (
	"strings"
	"time"

	"github.com/ers-workstation/ers-workstation/ersclient/fhir"
)

// AttachmentType says who attached a file and why (eRS-AttachmentType-1).
type AttachmentType string

// The attachment types e-RS uses.
const (
	AttachmentReferrer         AttachmentType = "REFERRER"
	AttachmentProvider         AttachmentType = "PROVIDER"
	AttachmentAdviceRequest    AttachmentType = "ADVICE_REQUEST"
	AttachmentGuidanceResponse AttachmentType = "GUIDANCE_RESPONSE"
)

// Availability says whether a file can be downloaded yet
// (eRS-AvailabilityStatus-1).
type Availability string

// The availability codes. Only AVAILABLE files can be downloaded; PENDING
// ones are still being scanned (check again after five minutes); the other
// two never will be, and the uploader must be contacted.
const (
	FileAvailable        Availability = "AVAILABLE"
	FilePending          Availability = "PENDING"
	FileThreatsFound     Availability = "THREATS_FOUND"
	FileValidationFailed Availability = "VALIDATION_FAILED"
)

// Label is the availability in words for a screen.
func (a Availability) Label() string {
	switch a {
	case FileAvailable:
		return "Available"
	case FilePending:
		return "Being checked for viruses; try again in five minutes"
	case FileThreatsFound:
		return "Failed its virus check; contact the uploader"
	case FileValidationFailed:
		return "Failed validation; contact the uploader"
	case "":
		return "Unknown"
	}
	return strings.ReplaceAll(string(a), "_", " ")
}

// AttachmentSummary is one attached file as a screen shows it: from a
// referral (A005), an A&G request (A024) or an A&G message (A025).
type AttachmentSummary struct {
	// ID is the Binary id from the attachment URL (Binary/{id}): what A042
	// (and the deprecated A006) download.
	ID          string
	Title       string
	ContentType string
	// Size in bytes, or 0 when e-RS did not say.
	Size int64
	// Created is the attachment's creation date; Indexed is when it was
	// linked. Either may be zero.
	Created     time.Time
	Indexed     time.Time
	Type        AttachmentType
	Description string
	// Availability must be AVAILABLE before the file can be downloaded.
	Availability Availability
	// AttachedBy is the SDS user id of the uploader, AttachedByOrg their ODS
	// code: whom to contact when a file cannot be downloaded.
	AttachedBy         string
	AttachedByOrg      string
	AttachedOnBehalfOf string
	// DocumentID is the DocumentReference's id inside its container
	// ("DocumentReference-80000").
	DocumentID string
}

// Downloadable reports whether the file can be fetched now.
func (a AttachmentSummary) Downloadable() bool { return a.Availability == FileAvailable && a.ID != "" }

// attachmentFromDocumentReference reads the facts of a contained
// DocumentReference. The file is content[0].attachment; the uploader and the
// availability are extensions on that attachment.
func attachmentFromDocumentReference(d fhir.DocumentReference) AttachmentSummary {
	s := AttachmentSummary{Description: d.Description, DocumentID: d.ID}
	if d.Type != nil {
		if cd, ok := d.Type.CodingIn(fhir.CSAttachmentType); ok {
			s.Type = AttachmentType(cd.Code)
		} else {
			s.Type = AttachmentType(d.Type.FirstCode())
		}
	}
	s.Indexed, _ = ParseFHIRTime(d.Indexed)
	if len(d.Content) == 0 {
		s.Created, _ = ParseFHIRTime(d.Created)
		return s
	}
	a := d.Content[0].Attachment
	s.ID = binaryID(a.URL)
	s.Title = a.Title
	s.ContentType = a.ContentType
	if a.Size != nil {
		s.Size = *a.Size
	}
	created := a.Creation
	if created == "" {
		created = d.Created
	}
	s.Created, _ = ParseFHIRTime(created)
	s.Availability = Availability(a.Extension.String(fhir.ExtAvailabilityStatus))
	s.AttachedBy = a.Extension.String(fhir.ExtAttachedBy)
	s.AttachedByOrg = a.Extension.String(fhir.ExtAttachedByOrg)
	s.AttachedOnBehalfOf = a.Extension.String(fhir.ExtAttachedOnBehalfOf)
	return s
}

// binaryID returns {id} from "Binary/{id}", whatever precedes it (a relative
// or an absolute URL), or "" when the URL names no Binary.
func binaryID(url string) string {
	i := strings.LastIndex(url, "Binary/")
	if i < 0 {
		return ""
	}
	id := url[i+len("Binary/"):]
	if j := strings.IndexAny(id, "/?#"); j >= 0 {
		id = id[:j]
	}
	return id
}
