package ersclient

import (
	"context"
	"io"
	"net/http"
)

// MaxGeneratedPDFBytes bounds the PDFs e-RS generates (A007, A019, A043).
// The API documents no size for them. The 5 MB limit is per uploaded file,
// and a clinical information summary carries the referral's clinical text
// and, for a referral converted from A&G, the whole conversation, so it can
// outgrow one upload; 10 MB is the largest response the API documents (the
// worklist limit) and the bound of every other response here.
const MaxGeneratedPDFBytes = 10 << 20

// pdfAccept asks for the PDF while still accepting the FHIR error bodies
// these endpoints send on failure.
const pdfAccept = "application/pdf, application/fhir+json;q=0.9"

// RetrieveClinicalInformation is A007: the referral's clinical information
// summary as a PDF (including the A&G conversation for a converted
// referral), streamed to w. Related referrals in the pathway
// (ReferralSummary.RelatedReferrals) each have their own.
//
// The download is not retried automatically: part of it may already be in w.
//
// Roles: RC, RCA, SPC, SPCA. Application-restricted: yes (provider).
func (c *Client) RetrieveClinicalInformation(ctx context.Context, ubrn string, w io.Writer) (*Download, error) {
	return c.generatedPDF(ctx, OpRetrieveClinicalInfo, ubrn, w, "_Clinical_Information.pdf")
}

// GeneratePatientLetter is A019: the letter for the patient (with the UBRN
// and access code they use to book or phone), streamed to w. A patient with
// no access code gives 422 NO_ACCESS_CODE, which the error's message
// explains.
//
// Roles: RC, RCA. Application-restricted: no.
func (c *Client) GeneratePatientLetter(ctx context.Context, ubrn string, w io.Writer) (*Download, error) {
	return c.generatedPDF(ctx, OpGeneratePatientLetter, ubrn, w, "_Patient_Letter.pdf")
}

// RetrieveAdviceOverview is A043: the overview of an A&G request and its
// conversation as a PDF, streamed to w. The UBRN must be an A&G one.
//
// Roles: RC, RCA, SPC, SPCA. Application-restricted: yes (provider).
func (c *Client) RetrieveAdviceOverview(ctx context.Context, ubrn string, w io.Writer) (*Download, error) {
	return c.generatedPDF(ctx, OpRetrieveAdviceOverviewPDF, ubrn, w, "_Advice_And_Guidance.pdf")
}

// RetrieveAttachmentLegacy is A006: an attachment's bytes straight from
// e-RS, at most 5 MB (larger files give 422 FILE_SIZE_ERROR), streamed to w.
//
// Deprecated: e-RS replaced it with A042; use RetrieveAttachment.
//
// Roles: RC, RCA, SPC, SPCA. Application-restricted: yes (endpoint text only).
func (c *Client) RetrieveAttachmentLegacy(ctx context.Context, attachmentID string, w io.Writer) (*Download, error) {
	o := op(OpRetrieveAttachmentLegacy)
	if attachmentID == "" || binaryID("Binary/"+attachmentID) != attachmentID {
		return nil, invalid(o.ID, "%q is not an attachment id (the id in the attachment's Binary/{id})", attachmentID)
	}
	// The file's own type comes back, whatever it is.
	h := http.Header{"Accept": {"*/*"}}
	return c.stream(ctx, call{op: o, pathValues: []string{attachmentID}, header: h, maxBytes: MaxAttachmentBytes},
		w, MaxAttachmentBytes, attachmentID)
}

// generatedPDF posts the bodiless request of A007, A019 or A043 and streams
// the PDF. The fallback name is used when e-RS sends no Content-Disposition.
func (c *Client) generatedPDF(ctx context.Context, id OperationID, ubrn string, w io.Writer, fallbackSuffix string) (*Download, error) {
	o := op(id)
	if msg := ubrnProblem(ubrn); msg != "" {
		return nil, invalid(o.ID, "%s", msg)
	}
	h := http.Header{"Accept": {pdfAccept}}
	return c.stream(ctx, call{op: o, pathValues: []string{ubrn}, header: h, maxBytes: MaxGeneratedPDFBytes},
		w, MaxGeneratedPDFBytes, ubrn+fallbackSuffix)
}
