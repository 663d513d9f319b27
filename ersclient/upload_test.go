package ersclient

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"strings"
	"testing"
)

const journeyUploadLocation = "Binary/19eb7224-dff3-4730-a5cb-67eac811f1a5"

func TestUploadFileSendsTheFileWithItsHeaders(t *testing.T) {
	content := fixture(t, "stu3/uploadFileToDocumentStore/requests/upload.txt")
	ts := newTestServer(t, reply{Status: 201, Header: map[string]string{"Location": journeyUploadLocation}})
	f, err := testClient(t, ts, asReferrer).UploadFile(context.Background(),
		Upload{FileName: "letters/referral, draft.txt", ReferralID: "000000070000", Body: bytes.NewReader(content)})
	if err != nil {
		t.Fatal(err)
	}
	r := journeyRequestOf(t, ts, asReferrer, http.MethodPost, "/FHIR/STU3/Binary")
	want := map[string]string{
		"Content-Type":         "text/plain",
		"NHSD-eRS-File-Name":   "referral, draft.txt",
		"NHSD-eRS-Referral-ID": "000000070000",
	}
	for k, v := range want {
		if got := r.Header.Get(k); got != v {
			t.Errorf("header %s = %q, want %q", k, got, v)
		}
	}
	if !bytes.Equal(r.Body, content) {
		t.Errorf("body %q, want the file's bytes", r.Body)
	}
	if f.AttachmentID != "19eb7224-dff3-4730-a5cb-67eac811f1a5" || f.URL != journeyUploadLocation || f.Status != 201 {
		t.Errorf("uploaded %+v", f)
	}
}

func TestUploadFileAsAClinicianAdminActsOnBehalfOfTheClinician(t *testing.T) {
	ts := newTestServer(t, reply{Status: 201, Header: map[string]string{"Location": journeyUploadLocation}})
	_, err := testClient(t, ts, asClinicianAdmin).UploadFile(context.Background(),
		Upload{FileName: "scan.PDF", ReferralID: "000000070000", Data: []byte("%PDF-1.4")})
	if err != nil {
		t.Fatal(err)
	}
	r := journeyRequestOf(t, ts, asClinicianAdmin, http.MethodPost, "/FHIR/STU3/Binary")
	if got := r.Header.Get("Content-Type"); got != "application/pdf" {
		t.Errorf("Content-Type %q", got)
	}
}

func TestEveryFileTypeERSAccepts(t *testing.T) {
	cases := map[string]string{
		"a.txt": "text/plain", "a.pdf": "application/pdf", "a.xml": "text/xml", "a.rtf": "text/rtf", "a.rtx": "text/rtf",
		"a.au": "audio/basic", "a.mp3": "audio/mpeg", "a.png": "image/png", "a.gif": "image/gif",
		"a.jpg": "image/jpeg", "a.jpe": "image/jpeg", "a.JPEG": "image/jpeg", "a.tif": "image/tiff", "a.tiff": "image/tiff",
		"a.mpg": "video/mpeg", "a.mpeg": "video/mpeg", "a.mpe": "video/mpeg", "a.doc": "application/msword",
		"a.docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "a.dcm": "application/dicom",
		"a.exe": "", "a.zip": "", "noextension": "", "a.": "",
	}
	types := map[string]bool{}
	for name, want := range cases {
		t.Run(name+" maps to "+strings.ReplaceAll(want, "/", "_"), func(t *testing.T) {
			if got := ContentTypeForFileName(name); got != want {
				t.Errorf("%q, want %q", got, want)
			}
			if want != "" && !AllowedUploadType(want) {
				t.Errorf("%s is not allowed", want)
			}
		})
		if want != "" {
			types[want] = true
		}
	}
	if len(types) != 14 {
		t.Errorf("%d types, want the 14 e-RS accepts", len(types))
	}
	for _, ct := range []string{"text/plain; charset=utf-8", "IMAGE/PNG"} {
		if !AllowedUploadType(ct) {
			t.Errorf("%q is refused", ct)
		}
	}
	for _, ct := range []string{"application/zip", "text/html", "", "application/octet-stream"} {
		if AllowedUploadType(ct) {
			t.Errorf("%q is allowed", ct)
		}
	}
}

// journeyEndless is a reader that never ends, to show an oversized stream
// is cut off rather than read whole.
type journeyEndless struct{ n int64 }

func (e *journeyEndless) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = 'x'
	}
	e.n += int64(len(p))
	return len(p), nil
}

func TestUploadFileRefusesBeforeSending(t *testing.T) {
	big := bytes.Repeat([]byte("x"), MaxAttachmentBytes+1)
	endless := &journeyEndless{}
	cases := []struct {
		name   string
		upload Upload
		code   string
	}{
		{"a file over 5 MB", Upload{FileName: "big.txt", Data: big}, "FILE_SIZE_ERROR"},
		{"a stream over 5 MB", Upload{FileName: "big.txt", Body: endless}, "FILE_SIZE_ERROR"},
		{"a file said to be over 5 MB", Upload{FileName: "big.txt", Body: strings.NewReader("x"), Size: MaxAttachmentBytes + 1}, "FILE_SIZE_ERROR"},
		{"an empty file", Upload{FileName: "empty.txt", Data: nil}, "FILE_SIZE_ERROR"},
		{"an empty stream", Upload{FileName: "empty.txt", Body: strings.NewReader("")}, "FILE_SIZE_ERROR"},
		{"a type e-RS does not accept", Upload{FileName: "setup.exe", Data: []byte("MZ")}, ""},
		{"a content type e-RS does not accept", Upload{FileName: "page.txt", ContentType: "text/html", Data: []byte("<p>")}, ""},
		{"a file without a name", Upload{FileName: "", ContentType: "text/plain", Data: []byte("x")}, ""},
		{"a name with a line break", Upload{FileName: "a\r\nb.txt", Data: []byte("x")}, ""},
		{"a referral id that is not a UBRN", Upload{FileName: "a.txt", ReferralID: "UBRN-1", Data: []byte("x")}, ""},
	}
	for _, c := range cases {
		t.Run(c.name+" is refused", func(t *testing.T) {
			ts := newTestServer(t)
			_, err := testClient(t, ts, asReferrer).UploadFile(context.Background(), c.upload)
			e := journeyRefusedBeforeSending(t, ts, err)
			if c.code != "" && e.Code != c.code {
				t.Errorf("code %q, want %q", e.Code, c.code)
			}
		})
	}
	if endless.n > 2*MaxAttachmentBytes {
		t.Errorf("%d bytes read from an endless stream", endless.n)
	}
	t.Run("a file of exactly 5 MB is sent", func(t *testing.T) {
		ts := newTestServer(t, reply{Status: 201, Header: map[string]string{"Location": journeyUploadLocation}})
		_, err := testClient(t, ts, asReferrer).UploadFile(context.Background(), Upload{FileName: "max.txt", Body: io.LimitReader(&journeyEndless{}, MaxAttachmentBytes)})
		if err != nil || len(ts.last().Body) != MaxAttachmentBytes {
			t.Errorf("error %v", err)
		}
	})
}

func TestUploadFileErrors(t *testing.T) {
	upload := func() Upload { return Upload{FileName: "a.txt", ReferralID: "000000070000", Data: []byte("hello")} }
	cases := []struct {
		name  string
		reply reply
		check func(error) bool
	}{
		{"a size e-RS refuses", reply{Status: 422, Body: journeyOutcome("FILE_SIZE_ERROR", "value", "empty")},
			func(err error) bool { return IsBusinessRule(err, "FILE_SIZE_ERROR") }},
		{"conflicting values", reply{Status: 422, Body: journeyOutcome("CONFLICTING_VALUES", "value", "")},
			func(err error) bool { return IsBusinessRule(err, "CONFLICTING_VALUES") }},
		{"a media type e-RS refuses", reply{Status: 415, Body: []byte("Unsupported Media Type")},
			func(err error) bool { e, ok := AsError(err); return ok && e.Status == 415 }},
		{"a role that may not upload", reply{Status: 403, Body: fixture(t, "stu3/STU3-Forbidden.json")}, IsForbidden},
		{"an answer without a location", reply{Status: 201},
			func(err error) bool { e, ok := AsError(err); return ok && e.Kind == KindBadResponse }},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ts := newTestServer(t, c.reply)
			_, err := testClient(t, ts, asReferrer).UploadFile(context.Background(), upload())
			if err == nil || !c.check(err) {
				t.Errorf("error %v does not match", err)
			}
		})
	}
	t.Run("an upload is never retried", func(t *testing.T) {
		journeyNotRetried(t, asReferrer, func(c *Client) error { _, err := c.UploadFile(context.Background(), upload()); return err })
	})
}
