package sandbox

import (
	"bytes"
	"fmt"
	"io"
	"mime"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/google/uuid"

	"github.com/ers-workstation/ers-workstation/ersclient"
	"github.com/ers-workstation/ers-workstation/sandbox/store"
)

// maxFileBytes is e-RS's file size limit: for uploads (A020) and for the
// legacy download (A006).
const maxFileBytes = 5 << 20

// The A020 headers.
const (
	headerFileName   = "NHSD-eRS-File-Name"
	headerReferralID = "NHSD-eRS-Referral-ID"
)

// eicarMarker is part of the EICAR anti-virus test file: an upload holding
// it is quarantined (THREATS_FOUND), so that the unhappy download paths can
// be reached on purpose.
var eicarMarker = []byte("EICAR-STANDARD-ANTIVIRUS-TEST-FILE")

// uploadFile is A020: it stores the body as a new Binary and answers 201
// with Location: Binary/{uuid} and no body. The Content-Type must be one of
// e-RS's 14 file types (415 otherwise) and the body 1 byte to 5 MB (422
// FILE_SIZE_ERROR). NHSD-eRS-File-Name is required (422 MISSING_VALUE);
// NHSD-eRS-Referral-ID, if given, binds the file to that request (a UBRN the
// caller may see; 422 INVALID_VALUE or INAPPROPRIATE_VALUE otherwise), and
// only a file so bound can later be linked to an existing request.
//
// Uploading does not scan anything, but two outcomes of the live checks are
// simulated: a file whose extension belongs to another type fails validation
// (VALIDATION_FAILED) and a file holding the EICAR test string is
// quarantined (THREATS_FOUND). Both still upload with 201, as in e-RS,
// where the checks run after the upload.
func (s *Server) uploadFile(c *call) {
	ct := strings.ToLower(strings.TrimSpace(c.r.Header.Get("Content-Type")))
	if mt, _, err := mime.ParseMediaType(ct); err == nil {
		ct = mt
	}
	if !ersclient.AllowedUploadType(ct) {
		c.fail(&problem{Status: http.StatusUnsupportedMediaType, Issue: "not-supported", Code: "UNSUPPORTED_MEDIA_TYPE", R4Code: "REC_UNSUPPORTED_MEDIA_TYPE",
			Diagnostics: fmt.Sprintf("Content-Type %q is not a file type e-RS accepts.", ct)})
		return
	}
	name := strings.TrimSpace(c.r.Header.Get(headerFileName))
	if name == "" {
		c.fail(missingValue(headerFileName))
		return
	}
	if msg := fileNameProblem(name); msg != "" {
		c.fail(invalidValue("'%s' is invalid: %s", headerFileName, msg))
		return
	}
	ubrn := strings.TrimSpace(c.r.Header.Get(headerReferralID))
	if ubrn != "" && (len(ubrn) != 12 || !digitsOnly(ubrn)) {
		c.fail(invalidValue("'%s' is invalid: it takes the 12-digit UBRN of the request the file is for.", headerReferralID))
		return
	}
	if c.r.ContentLength > maxFileBytes {
		c.fail(fileTooLarge())
		return
	}
	data, err := io.ReadAll(io.LimitReader(c.r.Body, maxFileBytes+1))
	if err != nil {
		c.fail(badRequest("INVALID_VALUE", "The file could not be read."))
		return
	}
	switch {
	case len(data) == 0:
		c.fail(businessRule("FILE_SIZE_ERROR", "The file is empty."))
		return
	case len(data) > maxFileBytes:
		c.fail(fileTooLarge())
		return
	}
	availability := store.Available
	if ext := ersclient.ContentTypeForFileName(name); ext != "" && ext != ct {
		availability = store.ValidationFailed
	}
	if bytes.Contains(data, eicarMarker) {
		availability = store.ThreatsFound
	}
	id := uuid.NewString()
	err = s.store.Write("", func(st *store.State) error {
		if ubrn != "" {
			r, a := st.Referrals[ubrn], st.Advice[ubrn]
			if r == nil && a == nil {
				return businessRule("INAPPROPRIATE_VALUE", "'%s' (%s) names no request.", headerReferralID, ubrn)
			}
			if !(r != nil && c.canSeeReferral(st, r)) && !(a != nil && c.canSeeAdvice(st, a)) {
				return businessRule("INAPPROPRIATE_VALUE", "'%s' (%s): the user has no legitimate relationship with the request.", headerReferralID, ubrn)
			}
		}
		st.Binaries[id] = &store.Binary{
			ID: id, ContentType: ct, FileName: name, Data: data, IntendedUBRN: ubrn,
			UploadedBy: c.ActingUser(), UploadedOrg: c.Org, Created: c.Now(), Availability: availability,
		}
		return nil
	})
	if err != nil {
		c.fail(err)
		return
	}
	c.w.Header().Set("Location", "Binary/"+id)
	c.w.Header().Set("Content-Length", "0")
	c.writeHeader(http.StatusCreated)
}

func fileTooLarge() *problem {
	return businessRule("FILE_SIZE_ERROR", "The file is larger than 5 MB (%d bytes), the most e-RS accepts.", maxFileBytes)
}

// fileNameProblem says what is wrong with an upload's file name, or "".
func fileNameProblem(name string) string {
	switch {
	case !utf8.ValidString(name):
		return "the name is not valid UTF-8"
	case len(name) > 255:
		return "the name is longer than 255 characters"
	case strings.ContainsAny(name, `/\`):
		return "the name must not contain a path"
	}
	for _, r := range name {
		if r < 0x20 || r == 0x7f {
			return "the name contains control characters"
		}
	}
	return ""
}

// attachmentIDPattern is what A006 and A042 take: a UUID (new files) or a
// legacy "att-" id.
var attachmentIDPattern = regexp.MustCompile(`^(?i:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|att-[0-9a-z][0-9a-z-]*)$`)

// binaryFor finds the file a download names and checks that the caller may
// have it: the uploader's organisation may, and so may anyone with a
// legitimate relationship with a request the file is linked to. The
// problems are STU3's (A006); A042 adjusts them for R4.
func (c *call) binaryFor(st *store.State, id string) (*store.Binary, *problem) {
	if !attachmentIDPattern.MatchString(id) {
		return nil, invalidValue("'id' (%s) is invalid: an attachment id is a UUID or an att- id.", id)
	}
	b := st.Binaries[id]
	if b == nil {
		return nil, notFound("No attachment has id %s.", id)
	}
	if !c.mayDownload(st, b) {
		return nil, noRelationship("the request attachment " + id + " belongs to")
	}
	return b, nil
}

// mayDownload is the legitimate-relationship rule for files. The request
// the file was uploaded for is looked at first; files uploaded for no
// request, or for several (the examples data), need a search of every
// request, which is rare enough to do by scanning.
func (c *call) mayDownload(st *store.State, b *store.Binary) bool {
	if b.UploadedOrg != "" && b.UploadedOrg == c.Org {
		return true
	}
	if b.IntendedUBRN != "" && c.seesFileOn(st, b.ID, b.IntendedUBRN) {
		return true
	}
	if !b.AnyRequest && b.IntendedUBRN != "" {
		return false
	}
	for ubrn := range st.Referrals {
		if c.seesFileOn(st, b.ID, ubrn) {
			return true
		}
	}
	for ubrn := range st.Advice {
		if st.Referrals[ubrn] == nil && c.seesFileOn(st, b.ID, ubrn) {
			return true
		}
	}
	return false
}

// seesFileOn reports whether the file is linked to the request with the
// UBRN (its referral, or its advice conversation) and the caller may see
// that request.
func (c *call) seesFileOn(st *store.State, binaryID, ubrn string) bool {
	if r := st.Referrals[ubrn]; r != nil && hasBinary(r.Documents, binaryID) && c.canSeeReferral(st, r) {
		return true
	}
	a := st.Advice[ubrn]
	if a == nil {
		return false
	}
	for _, m := range a.Messages {
		if hasBinary(m.Documents, binaryID) {
			if c.canSeeAdvice(st, a) {
				return true
			}
			// A converted request's files show on the referral too.
			r := st.Referrals[ubrn]
			return r != nil && r.FromAdvice && c.canSeeReferral(st, r)
		}
	}
	return false
}

func hasBinary(docs []store.Document, binaryID string) bool {
	for _, d := range docs {
		if d.BinaryID == binaryID {
			return true
		}
	}
	return false
}

// unavailable is the problem for a file that cannot be downloaded yet or at
// all, or nil when it can.
func unavailable(b *store.Binary) *problem {
	var msg string
	code := availabilityOf(b)
	switch code {
	case store.Available:
		return nil
	case store.Pending:
		msg = "The file is being scanned and cannot be retrieved. Wait at least 5 minutes before checking its availability again."
	case store.ThreatsFound:
		msg = "The file has been quarantined after detecting a threat and cannot be retrieved. Contact the organisation that uploaded the file."
	case store.ValidationFailed:
		msg = "The file has failed validation and cannot be retrieved. Contact the organisation that uploaded the file."
	default:
		msg = "The file is not available for download."
	}
	return &problem{Status: http.StatusUnprocessableEntity, Issue: "business-rule", Code: code, R4Code: code, Diagnostics: msg}
}

// retrieveAttachmentLegacy is A006 (deprecated): the file's bytes, with its
// content type and name, if it is available and at most 5 MB (422 PENDING,
// THREATS_FOUND, VALIDATION_FAILED or FILE_SIZE_ERROR otherwise).
func (s *Server) retrieveAttachmentLegacy(c *call) {
	var data []byte
	var contentType, name string
	err := s.store.Read(func(st *store.State) error {
		b, p := c.binaryFor(st, c.r.PathValue("id"))
		if p != nil {
			return p
		}
		if p := unavailable(b); p != nil {
			return p
		}
		if len(b.Data) > maxFileBytes {
			return businessRule("FILE_SIZE_ERROR", "The file is larger than 5 MB (%d bytes); download it with A042.", maxFileBytes)
		}
		data, contentType, name = b.Data, b.ContentType, b.FileName
		return nil
	})
	if err != nil {
		c.fail(err)
		return
	}
	c.w.Header().Set("Content-Disposition", attachmentDisposition(name))
	c.writeBody(http.StatusOK, contentType, data)
}

// retrieveAttachment is A042: a 307 redirect to a one-minute object-store
// URL for the file (absolute, on this simulator). The R4 errors are 400 for
// an id that is neither a UUID nor an att- id, 404 for an unknown file, 403
// NO_RELATIONSHIP and 422 with the ers-error-codes PENDING, THREATS_FOUND or
// VALIDATION_FAILED.
func (s *Server) retrieveAttachment(c *call) {
	var data []byte
	var contentType, name string
	err := s.store.Read(func(st *store.State) error {
		id := c.r.PathValue("id")
		if !attachmentIDPattern.MatchString(id) {
			return badRequest("INVALID_VALUE", "'id' (%s) is invalid: an attachment id is a UUID or an att- id.", id)
		}
		b, p := c.binaryFor(st, id)
		if p != nil {
			if p.Code == "NO_RELATIONSHIP" {
				p.Status, p.Issue = http.StatusForbidden, "forbidden"
			}
			return p
		}
		if p := unavailable(b); p != nil {
			p.Issue = "invalid"
			return p
		}
		data, contentType, name = b.Data, b.ContentType, b.FileName
		return nil
	})
	if err != nil {
		c.fail(err)
		return
	}
	token := s.objects.put(data, contentType, name)
	h := c.w.Header()
	h.Set("Location", c.base()+"/ObjectStore/"+token)
	h.Set("Cache-Control", "no-store")
	h.Set("Content-Length", "0")
	c.writeHeader(http.StatusTemporaryRedirect)
}

// attachmentDisposition is the Content-Disposition of a download: the
// plain filename (RFC 2047-encoded when it is not ASCII, as the sandbox's
// object store sends it) and the RFC 5987 filename* that modern clients
// prefer.
func attachmentDisposition(name string) string {
	name = strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f || r == '/' || r == '\\' {
			return -1
		}
		return r
	}, name)
	if name == "" {
		name = "attachment"
	}
	plain := mime.QEncoding.Encode("UTF-8", name)
	plain = strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(plain)
	return `attachment; filename="` + plain + `"; filename*=UTF-8''` + rfc5987(name)
}

// rfc5987 percent-encodes every byte that is not an RFC 5987 attr-char.
func rfc5987(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if ('a' <= c && c <= 'z') || ('A' <= c && c <= 'Z') || ('0' <= c && c <= '9') || strings.IndexByte("!#$&+-.^_`|~", c) >= 0 {
			b.WriteByte(c)
			continue
		}
		b.WriteString("%" + strings.ToUpper(strconv.FormatUint(uint64(c)|0x100, 16)[1:]))
	}
	return b.String()
}
