package ersclient

import (
	"context"
	"strings"
	"time"

	"github.com/ers-workstation/ers-workstation/ersclient/fhir"
)

const (
	profileMaintainReferralLetter = "https://fhir.nhs.uk/STU3/StructureDefinition/eRS-MaintainReferralLetter-Parameters-1"
	profileDocumentReference      = "https://fhir.nhs.uk/STU3/StructureDefinition/eRS-DocumentReference-1"
	// indexedLayout writes DocumentReference.indexed as the official
	// examples do ("2021-06-24T13:22:13.311000+00:00").
	indexedLayout = "2006-01-02T15:04:05.000000-07:00"
)

// ReferralLetter is one referral letter file to keep on a referral.
type ReferralLetter struct {
	// AttachmentID is the id UploadFile returned (the {id} of Binary/{id}).
	AttachmentID string
	Description  string
	// Indexed is when the file was linked; zero means now.
	Indexed time.Time
	// indexed is the date as e-RS wrote it, for letters read from a
	// referral: it is sent back unchanged unless Indexed is changed.
	indexed string
}

// MaintainLettersRequest is the input of A012.
type MaintainLettersRequest struct {
	UBRN string
	// Version is the referral's current version, sent as If-Match.
	Version string
	// Letters is the COMPLETE set of referral letters the referral will have
	// afterwards: at least one. Letters left out are removed from the
	// referral. Start from LettersOnReferral and add or remove.
	Letters []ReferralLetter
}

// MaintainReferralLetters is A012: it sets the referral's referral letter
// files.
//
// WARNING: the posted set REPLACES the whole set of referral letters. Any
// letter not listed is removed from the referral, so always send the letters
// to keep (LettersOnReferral) together with the new ones. The set can never
// be empty: an empty list is refused before sending. New files must first be
// uploaded with UploadFile, naming this referral's UBRN, or e-RS refuses them
// (422 INAPPROPRIATE_VALUE).
//
// Roles: RC, RCA. Application-restricted: no.
func (c *Client) MaintainReferralLetters(ctx context.Context, req MaintainLettersRequest) (*Referral, error) {
	o := op(OpMaintainReferralLetter)
	p, err := req.parameters(o.ID, time.Now())
	if err != nil {
		return nil, err
	}
	cl := call{op: o, pathValues: []string{req.UBRN}, ifMatch: IfMatch(req.Version)}
	if err := cl.resource(p); err != nil {
		return nil, err
	}
	return c.referralCall(ctx, cl)
}

// parameters checks the request and builds the body; now stamps letters
// whose Indexed is zero.
func (req MaintainLettersRequest) parameters(opID OperationID, now time.Time) (*fhir.Parameters, error) {
	if msg := ubrnProblem(req.UBRN); msg != "" {
		return nil, invalid(opID, "%s", msg)
	}
	if msg := versionProblem(req.Version); msg != "" {
		return nil, invalid(opID, "%s", msg)
	}
	if len(req.Letters) == 0 {
		return nil, invalid(opID, "no referral letters given: the list replaces every letter on the referral and must keep at least one")
	}
	seen := map[string]bool{}
	p := fhir.NewParameters(profileMaintainReferralLetter)
	for _, l := range req.Letters {
		id := strings.TrimPrefix(l.AttachmentID, "Binary/")
		if id == "" || strings.ContainsAny(id, "/?# ") {
			return nil, invalid(opID, "%q is not an attachment id: give the id UploadFile returned", l.AttachmentID)
		}
		if seen[id] {
			return nil, invalid(opID, "attachment %s is listed twice", id)
		}
		seen[id] = true
		indexed := l.indexed
		if t, ok := ParseFHIRTime(indexed); indexed == "" || (!l.Indexed.IsZero() && (!ok || !t.Equal(l.Indexed))) {
			t := l.Indexed
			if t.IsZero() {
				t = now
			}
			indexed = t.UTC().Format(indexedLayout)
		}
		doc := fhir.DocumentReference{
			Type:        fhir.NewConcept(fhir.CSAttachmentType, string(AttachmentReferrer)),
			Status:      "current",
			Indexed:     indexed,
			Description: l.Description,
			Content:     []fhir.DocumentContent{{Attachment: fhir.Attachment{URL: "Binary/" + id}}},
		}
		doc.ResourceType = "DocumentReference"
		doc.Meta = &fhir.Meta{Profile: []string{profileDocumentReference}}
		raw, err := fhir.NewRawResource(doc)
		if err != nil {
			return nil, invalid(opID, "the letter cannot be encoded: %v", err)
		}
		p.Add(fhir.Parameter{Name: "referralLetterFile", Resource: raw})
	}
	return p, nil
}

// LettersOnReferral returns the referral letters a referral has now (A005):
// the contained DocumentReferences of type REFERRER. Pass them, with any new
// ones, to MaintainReferralLetters so that none is lost.
func LettersOnReferral(rr *fhir.ReferralRequest) []ReferralLetter {
	if rr == nil {
		return nil
	}
	var out []ReferralLetter
	for _, raw := range rr.ContainedOfType("DocumentReference") {
		var d fhir.DocumentReference
		if raw.Decode(&d) != nil || d.Type == nil || len(d.Content) == 0 {
			continue
		}
		if cd, ok := d.Type.CodingIn(fhir.CSAttachmentType); !ok || cd.Code != string(AttachmentReferrer) {
			continue
		}
		id := binaryID(d.Content[0].Attachment.URL)
		if id == "" {
			continue
		}
		indexed, _ := ParseFHIRTime(d.Indexed)
		out = append(out, ReferralLetter{AttachmentID: id, Description: d.Description, Indexed: indexed, indexed: d.Indexed})
	}
	return out
}
