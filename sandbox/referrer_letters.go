package sandbox

import (
	"net/http"
	"strings"

	"github.com/ers-workstation/ers-workstation/ersclient/fhir"
	"github.com/ers-workstation/ers-workstation/sandbox/store"
)

// A012 maintain referral letter: the posted referralLetterFile set REPLACES
// the referral's REFERRER documents (provider documents are untouched).
// Files already on the referral keep their document (id, indexed, who
// attached them); new ones are linked with linkFiles, which checks each
// Binary was uploaded for this UBRN. At least one file; none may appear twice
// or share a file name with another (DUPLICATE_FILENAME); the same set with
// the same descriptions is NO_CHANGES_DETECTED. The clinical information
// dates move, and a referral the provider had reviewed is marked
// LETTER_CHANGED (or PRIORITY_AND_LETTER_CHANGED) for their worklist.
//
// The letter intention recorded at creation is kept: a referral leaves the
// LETTERS_OUTSTANDING list because it now has a REFERRER document.

const attachmentReferrer = "REFERRER"

// postedLetter is one referralLetterFile parameter.
type postedLetter struct {
	binaryID    string
	description string
	param       *fhir.Parameter
}

func (s *Server) maintainReferralLetter(c *call) {
	ubrn := c.r.PathValue("ubrn")
	p, ok := c.readParameters("referralLetterFile")
	if !ok {
		return
	}
	posted, prob := parseLetters(p.All("referralLetterFile"))
	if prob != nil {
		c.fail(prob)
		return
	}
	c.answerReferralChange(store.ReferralKey(ubrn), http.StatusOK, func(st *store.State) (*store.Referral, error) {
		r, prob := c.referralForUpdate(st, ubrn)
		if prob != nil {
			return nil, prob
		}
		if letterChangeBlocked(r) {
			return nil, invalidState("The referral is %s: its letters can no longer be changed.", r.State)
		}
		letters, prob := c.replaceLetters(st, r, posted)
		if prob != nil {
			return nil, prob
		}
		var docs []store.Document
		for _, d := range r.Documents {
			if d.Type != attachmentReferrer {
				docs = append(docs, d)
			}
		}
		now := c.Now()
		r.Documents = append(docs, letters...)
		if r.ClinicalInfoFirst.IsZero() {
			r.ClinicalInfoFirst = now
		}
		r.ClinicalInfoLast = now
		switch r.ContextStatus {
		case "":
			if r.ServiceID != "" {
				r.ContextStatus = "LETTER_CHANGED"
			}
		case "PRIORITY_CHANGED":
			r.ContextStatus = "PRIORITY_AND_LETTER_CHANGED"
		}
		c.touch(r)
		return r, nil
	})
}

// parseLetters reads the referralLetterFile DocumentReferences: their Binary
// ids and descriptions.
func parseLetters(params []*fhir.Parameter) ([]postedLetter, *problem) {
	if len(params) == 0 {
		return nil, missingValue("referralLetterFile")
	}
	var out []postedLetter
	seen := map[string]bool{}
	for i, prm := range params {
		if prm.Resource.ResourceType() != "DocumentReference" {
			return nil, structureProblem("'referralLetterFile' must hold a DocumentReference resource.")
		}
		var d fhir.DocumentReference
		if err := prm.Resource.Decode(&d); err != nil {
			return nil, structureProblem("'referralLetterFile' is not a valid DocumentReference: " + jsonProblem(err))
		}
		if d.Type != nil {
			if cd, ok := d.Type.CodingIn(fhir.CSAttachmentType); !ok || cd.Code != attachmentReferrer {
				return nil, businessRule("INAPPROPRIATE_VALUE", "'referralLetterFile[%d].type' A referral letter is of type REFERRER.", i)
			}
		}
		if len(d.Content) == 0 {
			return nil, missingValue("referralLetterFile.content")
		}
		id, ok := binaryRef(d.Content[0].Attachment.URL)
		if !ok {
			return nil, invalidValue("'referralLetterFile[%d].content[0].attachment.url' (%s) must be Binary/{id}.", i, d.Content[0].Attachment.URL)
		}
		if seen[id] {
			return nil, businessRule("DUPLICATE_FILENAME", "'referralLetterFile' File %s is attached more than once.", id)
		}
		seen[id] = true
		out = append(out, postedLetter{binaryID: id, description: d.Description, param: prm})
	}
	return out, nil
}

// replaceLetters builds the referral's new REFERRER documents in the posted
// order, linking the files not yet on the referral.
func (c *call) replaceLetters(st *store.State, r *store.Referral, posted []postedLetter) ([]store.Document, *problem) {
	current := map[string]store.Document{}
	for _, d := range r.Documents {
		if d.Type == attachmentReferrer {
			current[d.BinaryID] = d
		}
	}
	var fresh []*fhir.Parameter
	changed := len(posted) != len(current)
	for _, pl := range posted {
		d, ok := current[pl.binaryID]
		if !ok {
			fresh = append(fresh, pl.param)
			changed = true
		} else if d.Description != pl.description {
			changed = true
		}
	}
	if !changed {
		return nil, businessRule("NO_CHANGES_DETECTED", "The referral already has exactly these referral letters.")
	}
	names := map[string]bool{}
	for _, pl := range posted {
		if b := st.Binaries[pl.binaryID]; b != nil && b.FileName != "" {
			name := strings.ToLower(b.FileName)
			if names[name] {
				return nil, businessRule("DUPLICATE_FILENAME", "'referralLetterFile' Two files are named %q.", b.FileName)
			}
			names[name] = true
		}
	}
	var linked []store.Document
	if len(fresh) > 0 {
		var prob *problem
		if linked, prob = c.linkFiles(st, r.UBRN, fresh, attachmentReferrer); prob != nil {
			return nil, prob
		}
	}
	byBinary := map[string]store.Document{}
	for _, d := range linked {
		byBinary[d.BinaryID] = d
	}
	var out []store.Document
	for _, pl := range posted {
		if d, ok := current[pl.binaryID]; ok {
			d.Description = pl.description
			out = append(out, d)
		} else if d, ok := byBinary[pl.binaryID]; ok {
			out = append(out, d)
		}
	}
	return out, nil
}
