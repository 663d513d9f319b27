package ersclient

import (
	"context"
	"time"

	"github.com/ers-workstation/ers-workstation/ersclient/fhir"
)

const profileMaintainReferralLetter = "https://fhir.nhs.uk/STU3/StructureDefinition/eRS-MaintainReferralLetter-Parameters-1"

// MaintainLettersRequest is the input of A012.
type MaintainLettersRequest struct {
	UBRN string
	// Version is the referral's current version, sent as If-Match.
	Version string
	// Letters is the COMPLETE set of referral letters the referral will have
	// afterwards: at least one. Letters left out are removed from the
	// referral. Start from LettersOnReferral and add or remove.
	Letters []FileLink
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
	p := fhir.NewParameters(profileMaintainReferralLetter)
	if err := addFileLinks(opID, p, "referralLetterFile", AttachmentReferrer, req.Letters, now); err != nil {
		return nil, err
	}
	return p, nil
}

// LettersOnReferral returns the referral letters a referral has now (A005):
// the contained DocumentReferences of type REFERRER. Pass them, with any new
// ones, to MaintainReferralLetters so that none is lost.
func LettersOnReferral(rr *fhir.ReferralRequest) []FileLink {
	if rr == nil {
		return nil
	}
	var out []FileLink
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
		out = append(out, FileLink{BinaryID: id, Description: d.Description, Indexed: indexed, indexed: d.Indexed})
	}
	return out
}
