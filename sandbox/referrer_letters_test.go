package sandbox

import (
	"context"
	"net/http"
	"testing"

	"github.com/ers-workstation/ers-workstation/ersclient"
	"github.com/ers-workstation/ers-workstation/ersclient/fhir"
	"github.com/ers-workstation/ers-workstation/sandbox/store"
)

func pathMaintainLetters(ubrn string) string {
	return refSTU3 + "/ReferralRequest/" + ubrn + "/$ers.maintainReferralLetter"
}

// refUpload uploads a small text file for the UBRN and returns its id.
func refUpload(t *testing.T, e *testEnv, ubrn, name string) string {
	t.Helper()
	up, err := e.rc().UploadFile(context.Background(), ersclient.Upload{FileName: name, ReferralID: ubrn, Data: []byte("Dear colleague, " + name)})
	if err != nil {
		t.Fatalf("upload %s: %v", name, err)
	}
	return up.AttachmentID
}

// refLetterParam is a referralLetterFile parameter for a Binary.
func refLetterParam(t testing.TB, binaryID, description string) fhir.Parameter {
	d := fhir.DocumentReference{Status: "current", Description: description,
		Type:    fhir.NewConcept(fhir.CSAttachmentType, "REFERRER"),
		Content: []fhir.DocumentContent{{Attachment: fhir.Attachment{URL: "Binary/" + binaryID}}}}
	d.ResourceType = "DocumentReference"
	return refResourceParam(t, "referralLetterFile", d)
}

func refLetters(r store.Referral) []string {
	var out []string
	for _, d := range r.Documents {
		if d.Type == "REFERRER" {
			out = append(out, d.BinaryID+":"+d.Description)
		}
	}
	return out
}

func TestMaintainReferralLetterReplacesTheLetters(t *testing.T) {
	ctx := context.Background()
	e := newReferrerEnv(t, nil)
	ubrn, version := refCreate(t, e, svcDBS)
	first, second := refUpload(t, e, ubrn, "first.txt"), refUpload(t, e, ubrn, "second.txt")

	ref, err := e.rc().MaintainReferralLetters(ctx, ersclient.MaintainLettersRequest{UBRN: ubrn, Version: version,
		Letters: []ersclient.FileLink{{BinaryID: first, Description: "Bloods"}, {BinaryID: second, Description: "History"}}})
	if err != nil {
		t.Fatalf("add letters: %v", err)
	}
	r := refReferral(t, e, ubrn)
	if got := refLetters(r); len(got) != 2 || got[0] != first+":Bloods" || got[1] != second+":History" {
		t.Fatalf("letters %v, want both in order", got)
	}
	if ref.Version != "2" || !r.ClinicalInfoFirst.Equal(testNow) || !r.ClinicalInfoLast.Equal(testNow) {
		t.Errorf("version %s first %v last %v", ref.Version, r.ClinicalInfoFirst, r.ClinicalInfoLast)
	}
	firstDoc := r.Documents[0].ID

	// Posting only the second file removes the first; the kept one keeps
	// its document.
	if _, err := e.rc().MaintainReferralLetters(ctx, ersclient.MaintainLettersRequest{UBRN: ubrn, Version: ref.Version,
		Letters: []ersclient.FileLink{{BinaryID: second, Description: "History"}}}); err != nil {
		t.Fatalf("remove a letter: %v", err)
	}
	r = refReferral(t, e, ubrn)
	if got := refLetters(r); len(got) != 1 || got[0] != second+":History" {
		t.Fatalf("letters %v, want only the second", got)
	}
	if r.Documents[0].ID == firstDoc || r.Version != 3 {
		t.Errorf("kept document %s v%d", r.Documents[0].ID, r.Version)
	}

	// The same set again changes nothing.
	_, err = e.rc().MaintainReferralLetters(ctx, ersclient.MaintainLettersRequest{UBRN: ubrn, Version: "3",
		Letters: []ersclient.FileLink{{BinaryID: second, Description: "History"}}})
	if !ersclient.HasCode(err, "NO_CHANGES_DETECTED") {
		t.Errorf("the same letters again: %v, want NO_CHANGES_DETECTED", err)
	}
}

func TestMaintainReferralLetterMarksAReviewedReferralLetterChanged(t *testing.T) {
	for _, tc := range []struct{ before, after string }{
		{"", "LETTER_CHANGED"},
		{"PRIORITY_CHANGED", "PRIORITY_AND_LETTER_CHANGED"},
		{"NEVER_REVIEWED", "NEVER_REVIEWED"},
	} {
		t.Run("from "+tc.before+" to "+tc.after, func(t *testing.T) {
			e := newReferrerEnv(t, func(st *store.State) {
				addReferral(st, "000000000001", store.StateBooked, func(r *store.Referral) {
					r.ServiceID, r.ContextStatus = svcDBS, tc.before
				})
			})
			id := refUpload(t, e, "000000000001", "letter.txt")
			status, _, resp := e.raw(http.MethodPost, pathMaintainLetters("000000000001"), refBody(t, refLetterParam(t, id, "Letter")),
				withHeaders(rcHeaders(), "If-Match", `W/"1"`))
			refExpect(t, status, resp, http.StatusOK, "")
			if got := refReferral(t, e, "000000000001").ContextStatus; got != tc.after {
				t.Errorf("context status %q, want %q", got, tc.after)
			}
		})
	}
}

func TestMaintainReferralLetterRefusals(t *testing.T) {
	for _, tc := range []struct {
		name    string
		ubrn    string
		headers map[string]string
		ifMatch string
		body    func(t *testing.T, e *testEnv) string
		status  int
		code    string
	}{
		{"at least one letter is needed", "000000000001", rcHeaders(), `W/"1"`, func(t *testing.T, e *testEnv) string { return refBody(t) }, 422, "MISSING_VALUE"},
		{"a file uploaded for another referral is inappropriate", "000000000001", rcHeaders(), `W/"1"`, func(t *testing.T, e *testEnv) string {
			return refBody(t, refLetterParam(t, refUpload(t, e, "000000000002", "other.txt"), "Other"))
		}, 422, "INAPPROPRIATE_VALUE"},
		{"an unknown file is not found", "000000000001", rcHeaders(), `W/"1"`, func(t *testing.T, e *testEnv) string {
			return refBody(t, refLetterParam(t, "0b1a3c4e-1111-4222-8333-444455556666", "Missing"))
		}, 422, "REFERENCE_NOT_FOUND"},
		{"a file attached twice is a duplicate", "000000000001", rcHeaders(), `W/"1"`, func(t *testing.T, e *testEnv) string {
			id := refUpload(t, e, "000000000001", "a.txt")
			return refBody(t, refLetterParam(t, id, "A"), refLetterParam(t, id, "A again"))
		}, 422, "DUPLICATE_FILENAME"},
		{"two files of one name are duplicates", "000000000001", rcHeaders(), `W/"1"`, func(t *testing.T, e *testEnv) string {
			return refBody(t, refLetterParam(t, refUpload(t, e, "000000000001", "same.txt"), "A"), refLetterParam(t, refUpload(t, e, "000000000001", "same.txt"), "B"))
		}, 422, "DUPLICATE_FILENAME"},
		{"a cancelled referral takes no letters", "000000000003", rcHeaders(), `W/"1"`, func(t *testing.T, e *testEnv) string {
			return refBody(t, refLetterParam(t, refUpload(t, e, "000000000003", "late.txt"), "Late"))
		}, 422, "INVALID_REQUEST_STATE"},
		{"without If-Match the precondition fails", "000000000001", rcHeaders(), "", func(t *testing.T, e *testEnv) string {
			return refBody(t, refLetterParam(t, refUpload(t, e, "000000000001", "a.txt"), "A"))
		}, http.StatusPreconditionFailed, ""},
		{"a stale version conflicts", "000000000001", rcHeaders(), `W/"7"`, func(t *testing.T, e *testEnv) string {
			return refBody(t, refLetterParam(t, refUpload(t, e, "000000000001", "a.txt"), "A"))
		}, http.StatusConflict, ""},
		{"another practice has no relationship", "000000000001", userHeaders(userRC2, ersclient.ReferringClinician, orgGP2), `W/"1"`, func(t *testing.T, e *testEnv) string {
			return refBody(t, refLetterParam(t, refUpload(t, e, "000000000001", "a.txt"), "A"))
		}, 422, "NO_RELATIONSHIP"},
		{"a provider may not maintain letters", "000000000001", spcHeaders(), `W/"1"`, func(t *testing.T, e *testEnv) string {
			return refBody(t, refLetterParam(t, refUpload(t, e, "000000000001", "a.txt"), "A"))
		}, http.StatusForbidden, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newReferrerEnv(t, func(st *store.State) {
				addReferral(st, "000000000001", store.StateNotBooked, nil)
				addReferral(st, "000000000002", store.StateNotBooked, nil)
				addReferral(st, "000000000003", store.StateCancelledReferral, func(r *store.Referral) { r.Status = "cancelled" })
			})
			h := tc.headers
			if tc.ifMatch != "" {
				h = withHeaders(h, "If-Match", tc.ifMatch)
			}
			status, _, resp := e.raw(http.MethodPost, pathMaintainLetters(tc.ubrn), tc.body(t, e), h)
			refExpect(t, status, resp, tc.status, tc.code)
			if r := refReferral(t, e, tc.ubrn); r.Version != 1 || len(r.Documents) != 0 {
				t.Errorf("a refused change altered the referral: v%d, %d documents", r.Version, len(r.Documents))
			}
		})
	}
}
