package sandbox

import (
	"bytes"
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/ers-workstation/ers-workstation/ersclient"
	"github.com/ers-workstation/ers-workstation/ersclient/fhir"
	"github.com/ers-workstation/ers-workstation/sandbox/store"
)

// Files of H1's download tests.
const (
	binPending    = "0a1b2c3d-4e5f-4a6b-8c7d-8e9f0a1b2c3d"
	binThreat     = "1b2c3d4e-5f6a-4b7c-9d8e-9f0a1b2c3d4e"
	binInvalid    = "2c3d4e5f-6a7b-4c8d-ae9f-0a1b2c3d4e5f"
	binHuge       = "3d4e5f6a-7b8c-4d9e-bf0a-1b2c3d4e5f6a"
	binUnlinked   = "4e5f6a7b-8c9d-4e0f-8a1b-2c3d4e5f6a7b" // uploaded by the GP practice, not linked
	binLegacy     = "att-70000-70001"
	binAnyRequest = "5f6a7b8c-9d0e-4f1a-9b2c-3d4e5f6a7b8c"
)

// h1FileWorld is h1World with files in every availability, linked to the
// booked referral.
func h1FileWorld(st *store.State) {
	h1World(st)
	r := st.Referrals[ubrnBooked]
	for i, f := range []struct{ id, name, availability string }{
		{binPending, "scan.png", store.Pending},
		{binThreat, "virus.doc", store.ThreatsFound},
		{binInvalid, "bad.docx", store.ValidationFailed},
		{binHuge, "huge.pdf", store.Available},
		{binLegacy, "old letter.txt", store.Available},
	} {
		data := []byte("contents of " + f.name)
		if f.id == binHuge {
			data = make([]byte, maxFileBytes+1)
		}
		h1AddBinary(st, f.id, f.name, ersclient.ContentTypeForFileName(f.name), data, ubrnBooked, f.availability)
		r.Documents = append(r.Documents, store.Document{ID: "8010" + string(rune('0'+i)), BinaryID: f.id, Type: "REFERRER",
			Indexed: testNow, AttachedBy: userRC, AttachedOrg: orgGP})
	}
	h1AddBinary(st, binUnlinked, "draft.txt", "text/plain", []byte("draft"), ubrnBooked, store.Available)
	b := h1AddBinary(st, binAnyRequest, "shared.pdf", "application/pdf", []byte("%PDF shared"), "", store.Available)
	b.AnyRequest = true
}

func TestUploadFileStoresTheFile(t *testing.T) {
	e := newTestEnv(t, h1World)
	up, err := e.rc().UploadFile(context.Background(), ersclient.Upload{FileName: "letter.txt", ReferralID: ubrnBooked, Data: []byte("Dear colleague")})
	if err != nil {
		t.Fatal(err)
	}
	if up.Status != http.StatusCreated || up.URL != "Binary/"+up.AttachmentID || !attachmentIDPattern.MatchString(up.AttachmentID) {
		t.Fatalf("got %+v", up)
	}
	e.store.Read(func(st *store.State) error {
		b := st.Binaries[up.AttachmentID]
		if b == nil {
			t.Fatal("the file is not stored")
		}
		want := store.Binary{ID: up.AttachmentID, ContentType: "text/plain", FileName: "letter.txt", IntendedUBRN: ubrnBooked,
			UploadedBy: userRC, UploadedOrg: orgGP, Created: testNow, Availability: store.Available}
		got := *b
		got.Data = nil
		if string(b.Data) != "Dear colleague" || !h1SameBinary(got, want) {
			t.Errorf("stored %+v", got)
		}
		return nil
	})
	t.Run("the uploader downloads it at once", func(t *testing.T) {
		var buf bytes.Buffer
		d, err := e.rc().RetrieveAttachment(context.Background(), up.AttachmentID, &buf)
		if err != nil || buf.String() != "Dear colleague" || d.FileName != "letter.txt" {
			t.Errorf("got %q %+v %v", buf.String(), d, err)
		}
	})
}

func h1SameBinary(a, b store.Binary) bool {
	return a.ID == b.ID && a.ContentType == b.ContentType && a.FileName == b.FileName && a.IntendedUBRN == b.IntendedUBRN &&
		a.UploadedBy == b.UploadedBy && a.UploadedOrg == b.UploadedOrg && a.Created.Equal(b.Created) && a.Availability == b.Availability
}

func TestUploadFileAcceptsEveryFileTypeOfERS(t *testing.T) {
	e := newTestEnv(t, h1World)
	for _, name := range []string{"a.txt", "a.pdf", "a.xml", "a.rtf", "a.au", "a.mp3", "a.png", "a.gif", "a.jpg", "a.tif", "a.mpg", "a.doc", "a.docx", "a.dcm"} {
		ct := ersclient.ContentTypeForFileName(name)
		t.Run(ct, func(t *testing.T) {
			h := userHeaders(userSPC, ersclient.ServiceProviderClinician, orgTrust)
			h["Content-Type"], h[headerFileName] = ct, name
			status, hdr, body := e.raw(http.MethodPost, BasePath+"/STU3/Binary", "x", h)
			if status != 201 || !strings.HasPrefix(hdr.Get("Location"), "Binary/") || len(body) != 0 {
				t.Errorf("got %d %v %q", status, hdr, body)
			}
		})
	}
}

func TestUploadFileRefusals(t *testing.T) {
	e := newTestEnv(t, h1World)
	cases := []struct {
		name    string
		user    map[string]string
		headers map[string]string
		body    string
		status  int
		code    string
	}{
		{"a file type e-RS does not take is 415", nil, map[string]string{"Content-Type": "application/zip"}, "PK", 415, ""},
		{"a missing content type is 415", nil, map[string]string{"Content-Type": ""}, "x", 415, ""},
		{"the file name is mandatory", nil, map[string]string{headerFileName: ""}, "x", 422, "MISSING_VALUE"},
		{"a file name with a path is refused", nil, map[string]string{headerFileName: "../etc/passwd.txt"}, "x", 422, "INVALID_VALUE"},
		{"an empty file is refused", nil, nil, "", 422, "FILE_SIZE_ERROR"},
		{"a file over 5 MB is refused", nil, nil, strings.Repeat("x", maxFileBytes+1), 422, "FILE_SIZE_ERROR"},
		{"a referral id that is not a UBRN is refused", nil, map[string]string{headerReferralID: "12345"}, "x", 422, "INVALID_VALUE"},
		{"a referral id naming no request is refused", nil, map[string]string{headerReferralID: "000000079999"}, "x", 422, "INAPPROPRIATE_VALUE"},
		{"a referral id of another practice is refused", nil, map[string]string{headerReferralID: ubrnOtherGP}, "x", 422, "INAPPROPRIATE_VALUE"},
		{"a referring admin may not upload", userHeaders(userRA, ersclient.ReferringAdmin, orgGP), nil, "x", 403, "NO_ACCESS"},
		{"a provider admin may not upload", userHeaders(userSPA, ersclient.ServiceProviderAdmin, orgTrust), nil, "x", 403, "NO_ACCESS"},
		{"an application may not upload", map[string]string{HeaderSandboxApp: appProvider, HeaderSandboxAppRestricted: "true"}, nil, "x", 403, "NO_ACCESS"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			h := tc.user
			if h == nil {
				h = userHeaders(userRC, ersclient.ReferringClinician, orgGP)
			}
			h["Content-Type"], h[headerFileName] = "text/plain", "note.txt"
			for k, v := range tc.headers {
				h[k] = v
			}
			before := h1BinaryCount(e)
			status, _, body := e.raw(http.MethodPost, BasePath+"/STU3/Binary", tc.body, h)
			if status != tc.status || !strings.Contains(string(body), tc.code) {
				t.Errorf("got %d %s", status, body)
			}
			if after := h1BinaryCount(e); after != before {
				t.Errorf("a refused upload stored a file (%d -> %d)", before, after)
			}
		})
	}
}

func h1BinaryCount(e *testEnv) int {
	n := 0
	e.store.Read(func(st *store.State) error { n = len(st.Binaries); return nil })
	return n
}

func TestUploadFileSimulatesTheFileChecks(t *testing.T) {
	e := newTestEnv(t, h1World)
	cases := []struct {
		name, fileName, contentType, body, want string
	}{
		{"a file whose extension matches its type is available", "scan.png", "image/png", "png", store.Available},
		{"a file whose extension belongs to another type fails validation", "scan.pdf", "image/png", "png", store.ValidationFailed},
		{"a file holding the EICAR test string is quarantined", "test.txt", "text/plain",
			`X5O!P%@AP[4\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*`, store.ThreatsFound},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			h := userHeaders(userRC, ersclient.ReferringClinician, orgGP)
			h["Content-Type"], h[headerFileName] = tc.contentType, tc.fileName
			status, hdr, _ := e.raw(http.MethodPost, BasePath+"/STU3/Binary", tc.body, h)
			if status != 201 {
				t.Fatalf("status %d", status)
			}
			id := strings.TrimPrefix(hdr.Get("Location"), "Binary/")
			e.store.Read(func(st *store.State) error {
				if got := st.Binaries[id].Availability; got != tc.want {
					t.Errorf("availability %s, want %s", got, tc.want)
				}
				return nil
			})
		})
	}
}

func TestRetrieveAttachmentRedirectsToTheObjectStore(t *testing.T) {
	e := newTestEnv(t, h1FileWorld)
	cases := []struct {
		name   string
		client *ersclient.Client
		id     string
		file   string
		status int
		code   string
	}{
		{"the referrer downloads a letter", e.rc(), binLetter, "letter.pdf", 200, ""},
		{"the provider of the service downloads it", e.spc(), binLetter, "letter.pdf", 200, ""},
		{"a clinician admin downloads it", e.spca(), binLetter, "letter.pdf", 200, ""},
		{"the provider's application downloads it", e.appClient(appProvider), binLetter, "letter.pdf", 200, ""},
		{"a legacy att- id is served", e.rc(), binLegacy, "old letter.txt", 200, ""},
		{"the uploader's organisation downloads an unlinked file", e.rc(), binUnlinked, "draft.txt", 200, ""},
		{"the provider may not download an unlinked file", e.spc(), binUnlinked, "", 403, "NO_RELATIONSHIP"},
		{"a file linked through a converted advice request is served to the provider", e.spc(), binAdvice, "question.txt", 200, ""},
		{"another practice has no relationship", e.client(userRC2, ersclient.ReferringClinician, orgGP2, ""), binLetter, "", 403, "NO_RELATIONSHIP"},
		{"a file being scanned is not served", e.rc(), binPending, "", 422, "PENDING"},
		{"a quarantined file is not served", e.rc(), binThreat, "", 422, "THREATS_FOUND"},
		{"a file that failed validation is not served", e.rc(), binInvalid, "", 422, "VALIDATION_FAILED"},
		{"an unknown file is not found", e.rc(), "9f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a", "", 404, "REC_NOT_FOUND"},
		{"an id that is neither a UUID nor att- is a bad request", e.rc(), "letter.pdf", "", 400, "REC_BAD_REQUEST"},
		{"a referring admin is refused by role", e.client(userRA, ersclient.ReferringAdmin, orgGP, ""), binLetter, "", 403, "ACCESS_DENIED"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var buf bytes.Buffer
			d, err := tc.client.RetrieveAttachment(context.Background(), tc.id, &buf)
			if !h1Succeeded(t, err, tc.status, tc.code) {
				return
			}
			want := e.h1FileBytes(tc.id)
			if d.FileName != tc.file || !bytes.Equal(buf.Bytes(), want) || d.Size != int64(len(want)) {
				t.Errorf("got %q (%d bytes) %+v", d.FileName, buf.Len(), d)
			}
		})
	}
}

func (e *testEnv) h1FileBytes(id string) []byte {
	var b []byte
	e.store.Read(func(st *store.State) error { b = st.Binaries[id].Data; return nil })
	return b
}

func TestRetrieveAttachmentRawAnswers(t *testing.T) {
	e := newTestEnv(t, h1FileWorld)
	h := userHeaders(userRC, ersclient.ReferringClinician, orgGP)
	status, hdr, body := e.raw(http.MethodGet, BasePath+"/R4/Binary/"+binLetter, "", h)
	loc := hdr.Get("Location")
	if status != http.StatusTemporaryRedirect || !strings.HasPrefix(loc, e.srv.URL+"/referrals/ObjectStore/") || len(body) != 0 {
		t.Fatalf("got %d %q %q", status, loc, body)
	}
	t.Run("the object store needs no credentials", func(t *testing.T) {
		status, hdr, body := e.raw(http.MethodGet, strings.TrimPrefix(loc, e.srv.URL), "", map[string]string{"Authorization": ""})
		if status != 200 || string(body) != "%PDF-1.4 letter" || hdr.Get("Content-Type") != "application/pdf" {
			t.Errorf("got %d %v", status, hdr)
		}
		if name := ersclient.FileNameFromDisposition(hdr.Get("Content-Disposition"), ""); name != "letter.pdf" {
			t.Errorf("file name %q from %q", name, hdr.Get("Content-Disposition"))
		}
	})
	t.Run("every redirect gets its own URL", func(t *testing.T) {
		_, hdr2, _ := e.raw(http.MethodGet, BasePath+"/R4/Binary/"+binLetter, "", h)
		if hdr2.Get("Location") == loc {
			t.Error("two redirects share a URL")
		}
	})
	t.Run("a file over the 5 MB of A006 is served whole", func(t *testing.T) {
		_, hdr, _ := e.raw(http.MethodGet, BasePath+"/R4/Binary/"+binHuge, "", h)
		status, _, body := e.raw(http.MethodGet, strings.TrimPrefix(hdr.Get("Location"), e.srv.URL), "", nil)
		if status != 200 || len(body) != maxFileBytes+1 {
			t.Errorf("got %d, %d bytes", status, len(body))
		}
	})
	t.Run("an unknown token is a plain 404", func(t *testing.T) {
		status, _, _ := e.raw(http.MethodGet, "/referrals/ObjectStore/NOSUCHTOKEN", "", nil)
		if status != 404 {
			t.Errorf("got %d", status)
		}
	})
	t.Run("an expired URL is a 404", func(t *testing.T) {
		now := time.Now()
		e.sb.objects.mu.Lock()
		e.sb.objects.now = func() time.Time { return now.Add(objectTTL + time.Second) }
		e.sb.objects.mu.Unlock()
		status, _, _ := e.raw(http.MethodGet, strings.TrimPrefix(loc, e.srv.URL), "", nil)
		if status != 404 {
			t.Errorf("got %d", status)
		}
	})
	t.Run("a refusal is an R4 outcome", func(t *testing.T) {
		status, _, body := e.raw(http.MethodGet, BasePath+"/R4/Binary/"+binThreat, "", h)
		if status != 422 || !strings.Contains(string(body), fhir.CSERSErrorCodesR4) || !strings.Contains(string(body), `"code":"invalid"`) {
			t.Errorf("got %d %s", status, body)
		}
	})
}

func TestObjectStoreNamesFilesForEveryClient(t *testing.T) {
	cases := []string{"letter.pdf", "The filenamé.pdf", `quote"d name.txt`, "résumé, final; v2.docx", "日本語.txt"}
	for _, name := range cases {
		t.Run(name, func(t *testing.T) {
			cd := attachmentDisposition(name)
			if got := ersclient.FileNameFromDisposition(cd, "fallback"); got != ersclient.SanitizeFileName(name) {
				t.Errorf("%s: read back %q", cd, got)
			}
			if !strings.Contains(cd, "filename*=UTF-8''") {
				t.Errorf("no RFC 5987 name in %s", cd)
			}
		})
	}
	t.Run("the examples' non-ASCII name is encoded as the sandbox does", func(t *testing.T) {
		want := `attachment; filename="=?UTF-8?q?The_filenam=C3=A9.pdf?="; filename*=UTF-8''The%20filenam%C3%A9.pdf`
		if got := attachmentDisposition("The filenamé.pdf"); got != want {
			t.Errorf("got  %s\nwant %s", got, want)
		}
	})
}

func TestObjectStoreForgetsExpiredFilesAndStaysBounded(t *testing.T) {
	now := time.Date(2026, 6, 1, 9, 0, 0, 0, time.UTC)
	o := newObjectStore()
	o.now = func() time.Time { return now }
	first := o.put([]byte("a"), "text/plain", "a.txt")
	if obj, ok := o.get(first); !ok || string(obj.data) != "a" {
		t.Fatal("a fresh token is not served")
	}
	now = now.Add(objectTTL)
	if _, ok := o.get(first); ok {
		t.Error("a token is served after its minute")
	}
	for range maxObjects + 10 {
		o.put([]byte("b"), "text/plain", "b.txt")
	}
	if n := len(o.items); n > maxObjects {
		t.Errorf("%d tokens outstanding, limit %d", n, maxObjects)
	}
}

func TestRetrieveAttachmentLegacyServesTheBytes(t *testing.T) {
	e := newTestEnv(t, h1FileWorld)
	cases := []struct {
		name   string
		client *ersclient.Client
		id     string
		status int
		code   string
	}{
		{"the referrer downloads a letter", e.rc(), binLetter, 200, ""},
		{"the provider's application downloads it", e.appClient(appProvider), binLetter, 200, ""},
		{"a legacy att- id is served", e.spc(), binLegacy, 200, ""},
		{"a file over 5 MB is refused", e.rc(), binHuge, 422, "FILE_SIZE_ERROR"},
		{"a file being scanned is refused", e.rc(), binPending, 422, "PENDING"},
		{"a quarantined file is refused", e.rc(), binThreat, 422, "THREATS_FOUND"},
		{"a file that failed validation is refused", e.rc(), binInvalid, 422, "VALIDATION_FAILED"},
		{"another practice has no relationship", e.client(userRC2, ersclient.ReferringClinician, orgGP2, ""), binLetter, 422, "NO_RELATIONSHIP"},
		{"an unknown file is not found", e.rc(), "9f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a", 404, "REFERENCE_NOT_FOUND"},
		{"a provider admin is refused by role", e.spa(), binLetter, 403, "NO_ACCESS"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var buf bytes.Buffer
			d, err := tc.client.RetrieveAttachmentLegacy(context.Background(), tc.id, &buf)
			if !h1Succeeded(t, err, tc.status, tc.code) {
				return
			}
			if !bytes.Equal(buf.Bytes(), e.h1FileBytes(tc.id)) || d.FileName == "" || d.ContentType == "" {
				t.Errorf("got %+v", d)
			}
		})
	}
	t.Run("an id that is neither a UUID nor att- is refused", func(t *testing.T) {
		status, _, body := e.raw(http.MethodGet, BasePath+"/STU3/Binary/not-an-id", "", userHeaders(userRC, ersclient.ReferringClinician, orgGP))
		if status != 422 || !strings.Contains(string(body), "INVALID_VALUE") {
			t.Errorf("got %d %s", status, body)
		}
	})
}

// h1LinkCall is a call as the given user would make it, for linkFiles.
func h1LinkCall(e *testEnv, user, org, obo string) *call {
	return &call{s: e.sb, Org: org, UserID: user, OnBehalfOf: obo}
}

// h1DocParam is a DocumentReference parameter naming a file.
func h1DocParam(t *testing.T, name, docType, url, description string) *fhir.Parameter {
	t.Helper()
	dr := fhir.DocumentReference{DomainResource: fhir.DomainResource{ResourceType: "DocumentReference"}, Status: "current",
		Description: description, Content: []fhir.DocumentContent{{Attachment: fhir.Attachment{URL: url}}}}
	if docType != "" {
		dr.Type = fhir.NewConcept(fhir.CSAttachmentType, docType)
	}
	raw, err := fhir.NewRawResource(dr)
	if err != nil {
		t.Fatal(err)
	}
	return &fhir.Parameter{Name: name, Resource: raw}
}

func TestLinkFiles(t *testing.T) {
	e := newTestEnv(t, h1FileWorld)
	rc := h1LinkCall(e, userRC, orgGP, "")
	spca := h1LinkCall(e, userRCA, orgTrust, userSPC2)
	p := func(url string) *fhir.Parameter { return h1DocParam(t, "referralLetterFile", "REFERRER", url, "notes") }
	other := "" // a file uploaded without a referral id
	e.store.Write("", func(st *store.State) error {
		h1AddBinary(st, "6a7b8c9d-0e1f-4a2b-8c3d-4e5f6a7b8c9d", "loose.txt", "text/plain", []byte("loose"), other, store.Available)
		return nil
	})
	const loose = "Binary/6a7b8c9d-0e1f-4a2b-8c3d-4e5f6a7b8c9d"
	cases := []struct {
		name    string
		c       *call
		ubrn    string
		params  []*fhir.Parameter
		docType string
		code    string
	}{
		{"files uploaded for the request are linked", rc, ubrnBooked, []*fhir.Parameter{p("Binary/" + binLetter), p("Binary/" + binPending)}, "REFERRER", ""},
		{"an absolute Binary URL is accepted", rc, ubrnBooked, []*fhir.Parameter{p("https://example.org/referrals/FHIR/STU3/Binary/" + binLetter)}, "REFERRER", ""},
		{"a file of the examples data goes on any request", rc, ubrnNotBooked, []*fhir.Parameter{p("Binary/" + binAnyRequest)}, "REFERRER", ""},
		{"a loose file goes on a request being created", rc, "", []*fhir.Parameter{p(loose)}, "REFERRER", ""},
		{"a loose file goes on a UBRN not used yet", rc, "000000078888", []*fhir.Parameter{p(loose)}, "REFERRER", ""},
		{"a clinician admin attaches for the clinician", spca, ubrnBooked, []*fhir.Parameter{h1DocParam(t, "providerAttachmentFile", "PROVIDER", "Binary/"+binLetter, "x")}, "PROVIDER", ""},
		{"a parameter with no type takes the operation's", rc, ubrnBooked, []*fhir.Parameter{h1DocParam(t, "referralLetterFile", "", "Binary/"+binLetter, "")}, "REFERRER", ""},
		{"an unknown file is not found", rc, ubrnBooked, []*fhir.Parameter{p("Binary/9f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a")}, "REFERRER", "REFERENCE_NOT_FOUND"},
		{"a file uploaded for another request is refused", rc, ubrnNotBooked, []*fhir.Parameter{p("Binary/" + binLetter)}, "REFERRER", "INAPPROPRIATE_VALUE"},
		{"a loose file cannot go on an existing request", rc, ubrnBooked, []*fhir.Parameter{p(loose)}, "REFERRER", "INAPPROPRIATE_VALUE"},
		{"the same file twice is refused", rc, ubrnBooked, []*fhir.Parameter{p("Binary/" + binLetter), p("Binary/" + binLetter)}, "REFERRER", "DUPLICATE_FILENAME"},
		{"a type other than the operation's is refused", rc, ubrnBooked, []*fhir.Parameter{p("Binary/" + binLetter)}, "PROVIDER", "INAPPROPRIATE_VALUE"},
		{"a URL that names no Binary is refused", rc, ubrnBooked, []*fhir.Parameter{p("DocumentReference/80000")}, "REFERRER", "INVALID_VALUE"},
		{"a missing URL is refused", rc, ubrnBooked, []*fhir.Parameter{p("")}, "REFERRER", "MISSING_VALUE"},
		{"a missing resource is refused", rc, ubrnBooked, []*fhir.Parameter{{Name: "referralLetterFile"}}, "REFERRER", "MISSING_VALUE"},
		{"a resource that is not a DocumentReference is refused", rc, ubrnBooked,
			[]*fhir.Parameter{{Name: "referralLetterFile", Resource: h1Raw(t, &fhir.List{DomainResource: fhir.DomainResource{ResourceType: "List"}})}}, "REFERRER", "INVALID_VALUE"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			e.store.Write("", func(st *store.State) error {
				next := st.NextDocument
				docs, prob := tc.c.linkFiles(st, tc.ubrn, tc.params, tc.docType)
				if tc.code != "" {
					if prob == nil || prob.Code != tc.code || prob.Status != 422 || docs != nil {
						t.Errorf("got %+v, want %s", prob, tc.code)
					}
					if st.NextDocument != next {
						t.Error("a refused link allocated ids")
					}
					return nil
				}
				if prob != nil {
					t.Fatalf("refused: %v", prob)
				}
				if len(docs) != len(tc.params) {
					t.Fatalf("got %d documents", len(docs))
				}
				seen := map[string]bool{}
				for i, d := range docs {
					id, _ := binaryRef(h1URL(t, tc.params[i]))
					want := store.Document{ID: d.ID, BinaryID: id, Type: tc.docType, Description: h1Description(t, tc.params[i]),
						Indexed: testNow, AttachedBy: tc.c.ActingUser(), AttachedOrg: tc.c.Org, OnBehalfOf: tc.c.OnBehalfOf}
					if d.ID == "" || seen[d.ID] || d != want {
						t.Errorf("document %d: %+v, want %+v", i, d, want)
					}
					seen[d.ID] = true
				}
				return nil
			})
		})
	}
	t.Run("a clinician admin's file is attached by the clinician acted for", func(t *testing.T) {
		e.store.Write("", func(st *store.State) error {
			docs, _ := spca.linkFiles(st, ubrnBooked, []*fhir.Parameter{h1DocParam(t, "reviewAttachmentFile", "PROVIDER", "Binary/"+binLetter, "")}, "PROVIDER")
			if docs[0].AttachedBy != userSPC2 || docs[0].OnBehalfOf != userSPC2 || docs[0].AttachedOrg != orgTrust {
				t.Errorf("got %+v", docs[0])
			}
			return nil
		})
	})
}

func h1Raw(t *testing.T, v any) fhir.RawResource {
	t.Helper()
	raw, err := fhir.NewRawResource(v)
	if err != nil {
		t.Fatal(err)
	}
	return raw
}

func h1URL(t *testing.T, p *fhir.Parameter) string {
	var dr fhir.DocumentReference
	if err := p.Resource.Decode(&dr); err != nil {
		t.Fatal(err)
	}
	return dr.Content[0].Attachment.URL
}

func h1Description(t *testing.T, p *fhir.Parameter) string {
	var dr fhir.DocumentReference
	if err := p.Resource.Decode(&dr); err != nil {
		t.Fatal(err)
	}
	return dr.Description
}
