package ersclient

import (
	"context"
	"errors"
	"io"
	"mime"
	"net/http"
	"strings"
)

// uploadTypes maps the file extensions e-RS accepts to their MIME types:
// the 14 types A020 allows.
var uploadTypes = map[string]string{
	".txt":  "text/plain",
	".pdf":  "application/pdf",
	".xml":  "text/xml",
	".rtf":  "text/rtf",
	".rtx":  "text/rtf",
	".au":   "audio/basic",
	".mp3":  "audio/mpeg",
	".png":  "image/png",
	".gif":  "image/gif",
	".jpg":  "image/jpeg",
	".jpe":  "image/jpeg",
	".jpeg": "image/jpeg",
	".tif":  "image/tiff",
	".tiff": "image/tiff",
	".mpg":  "video/mpeg",
	".mpeg": "video/mpeg",
	".mpe":  "video/mpeg",
	".doc":  "application/msword",
	".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
	".dcm":  "application/dicom",
}

// ContentTypeForFileName returns the MIME type e-RS expects for a file name's
// extension (case-insensitive), or "" when e-RS does not accept that kind of
// file.
func ContentTypeForFileName(name string) string {
	i := strings.LastIndexByte(name, '.')
	if i < 0 {
		return ""
	}
	return uploadTypes[strings.ToLower(name[i:])]
}

// AllowedUploadType reports whether e-RS accepts files of the MIME type
// (parameters such as "; charset=utf-8" are ignored).
func AllowedUploadType(contentType string) bool {
	ct := bareMediaType(contentType)
	for _, t := range uploadTypes {
		if t == ct {
			return true
		}
	}
	return false
}

func bareMediaType(ct string) string {
	if mt, _, err := mime.ParseMediaType(ct); err == nil {
		return mt
	}
	return strings.ToLower(strings.TrimSpace(ct))
}

// Upload is a file to upload with A020.
type Upload struct {
	// FileName is sent as NHSD-eRS-File-Name. Only its last path element is
	// used; its extension gives the type when ContentType is empty.
	FileName string
	// ContentType is the file's MIME type; empty means from FileName.
	ContentType string
	// ReferralID is the UBRN the file is for, sent as NHSD-eRS-Referral-ID.
	// e-RS lets it be omitted (a new A&G request has no UBRN yet), but a file
	// uploaded without it cannot be linked to an existing referral.
	ReferralID string
	// Body is the file. Data is used instead when Body is nil.
	Body io.Reader
	Data []byte
	// Size, if known, lets an oversized file be refused before reading it.
	Size int64
}

// UploadedFile is a file stored by A020, not yet linked to anything.
type UploadedFile struct {
	ResponseInfo
	// AttachmentID is the {id} of Location: Binary/{id}; link it with
	// MaintainReferralLetters (or another operation that takes files).
	AttachmentID string
	// URL is "Binary/{id}", as DocumentReferences carry it.
	URL string
}

// UploadFile is A020: it stores a file in the e-RS document store. Uploading
// does not attach the file to anything: link it afterwards (A012 for a
// referral letter). Empty files, files over 5 MB (MaxAttachmentBytes) and
// types e-RS does not accept are refused before sending. An upload is never
// retried: after an unknown outcome, upload again and link only one copy.
//
// Roles: RC, RCA, SPC, SPCA. Application-restricted: no.
func (c *Client) UploadFile(ctx context.Context, u Upload) (*UploadedFile, error) {
	o := op(OpUploadFile)
	name := u.FileName
	if i := strings.LastIndexAny(name, `/\`); i >= 0 {
		name = name[i+1:]
	}
	if strings.TrimSpace(name) == "" {
		return nil, invalid(o.ID, "the file has no name")
	}
	for _, r := range name {
		if r < 0x20 || r == 0x7f {
			return nil, invalid(o.ID, "the file name %q contains control characters", name)
		}
	}
	ct := bareMediaType(u.ContentType)
	if ct == "" {
		ct = ContentTypeForFileName(name)
		if ct == "" {
			return nil, invalid(o.ID, "e-RS does not accept files like %q: use txt, pdf, xml, rtf, rtx, au, mp3, png, gif, jpg, jpeg, jpe, tif, tiff, mpg, mpeg, mpe, doc, docx or dcm", name)
		}
	} else if !AllowedUploadType(ct) {
		return nil, invalid(o.ID, "e-RS does not accept files of type %q", ct)
	}
	if u.ReferralID != "" {
		if msg := ubrnProblem(u.ReferralID); msg != "" {
			return nil, invalid(o.ID, "%s", msg)
		}
	}
	data, err := readUpload(o.ID, u)
	if err != nil {
		return nil, err
	}
	h := http.Header{}
	h.Set("NHSD-eRS-File-Name", name)
	if u.ReferralID != "" {
		h.Set("NHSD-eRS-Referral-ID", u.ReferralID)
	}
	_, _, info, err := c.do(ctx, call{op: o, body: data, contentType: ct, header: h})
	if err != nil {
		return nil, err
	}
	id := binaryID(info.Location)
	if id == "" {
		return nil, badResponse(o.ID, info, "the upload answer has no Binary location (Location: %q)", info.Location)
	}
	return &UploadedFile{ResponseInfo: info, AttachmentID: id, URL: "Binary/" + id}, nil
}

// readUpload reads the file into memory, refusing it if it is empty or over
// the 5 MB limit (the code FILE_SIZE_ERROR is what e-RS would answer).
func readUpload(opID OperationID, u Upload) ([]byte, error) {
	tooLarge := func() error {
		e := invalid(opID, "the file is larger than 5 MB, the most e-RS accepts")
		e.Code = "FILE_SIZE_ERROR"
		return e
	}
	if u.Size > MaxAttachmentBytes {
		return nil, tooLarge()
	}
	data := u.Data
	if u.Body != nil {
		var err error
		data, err = readLimited(u.Body, MaxAttachmentBytes)
		if errors.Is(err, errTooLarge) {
			return nil, tooLarge()
		}
		if err != nil {
			return nil, &Error{Op: opID, Kind: KindInvalid, Diagnostics: "the file could not be read: " + err.Error(), Err: err}
		}
	}
	if len(data) > MaxAttachmentBytes {
		return nil, tooLarge()
	}
	if len(data) == 0 {
		e := invalid(opID, "the file is empty")
		e.Code = "FILE_SIZE_ERROR"
		return nil, e
	}
	return data, nil
}
