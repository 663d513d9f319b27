package sandbox

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ers-workstation/ers-workstation/ersclient"
	"github.com/ers-workstation/ers-workstation/sandbox/store"
)

// Identifiers of the A&G test records.
const (
	adviceUBRN      = "000000090001" // awaits the provider, conversion authorised
	adviceUBRNOther = "000000090002" // sent to the other trust's service
	adviceReferral  = "000000090003" // a referral, never an A&G request
	adviceService2  = "21014"        // an A&G service of the other trust
	adviceNHS       = "9990001235"
)

// adviceWorld adds to the base world an A&G service of the other trust, an
// A&G request to each trust and a plain referral.
func adviceWorld(st *store.State) {
	svc := *st.Services[svcAdvice]
	svc.ID, svc.Org, svc.Name = adviceService2, orgTrust2, "Other Cardiology Advice"
	st.Services[svc.ID] = &svc
	adviceAdd(st, adviceUBRN, nil)
	adviceAdd(st, adviceUBRNOther, func(a *store.Advice) { a.ServiceID = adviceService2 })
	addReferral(st, adviceReferral, store.StateNotBooked, nil)
}

// adviceAdd puts an A&G request awaiting the provider in the world: version
// 1, one question from the base world's referring clinician, conversion
// authorised. change adjusts it.
func adviceAdd(st *store.State, ubrn string, change func(a *store.Advice)) *store.Advice {
	at := testNow.AddDate(0, 0, -3)
	a := &store.Advice{
		UBRN: ubrn, Version: 1, RequestID: "a.00000000-0000-4000-8000-" + ubrn, Status: "active",
		Category: store.AdviceProviderResponseRequired, NHSNumber: adviceNHS, Priority: "ROUTINE",
		Specialty: "CARDIOLOGY", ClinicType: "CARDIOLOGY_GENERAL", ServiceID: svcAdvice,
		ReferringOrg: orgGP, ReferrerID: userRC, CreatedBy: userRC, ConversionAuthorisation: adviceConversionAllowed,
		Criteria: store.SearchCriteria{Priority: "ROUTINE", Specialty: "CARDIOLOGY", ClinicType: "CARDIOLOGY_GENERAL"},
		Messages: []store.Message{{
			ID: "70000" + ubrn[len(ubrn)-1:], SentBy: "REQUESTER", SenderID: userRC, SenderOrg: orgGP,
			SenderRole: ersclient.ReferringClinician, Sent: at, Text: "Please advise on this patient's palpitations.", AtVersion: 1,
		}},
		Created: at, Updated: at,
	}
	if change != nil {
		change(a)
	}
	st.Advice[ubrn] = a
	return a
}

// adviceFile stores an available file uploaded for a request and returns
// the document that links it.
func adviceFile(st *store.State, id, ubrn, docType, name string) store.Document {
	st.Binaries[id] = &store.Binary{ID: id, ContentType: "text/plain", FileName: name, Data: []byte("synthetic test file"),
		IntendedUBRN: ubrn, UploadedBy: userRC, UploadedOrg: orgGP, Created: testNow.AddDate(0, 0, -3), Availability: store.Available}
	return store.Document{ID: "DocumentReference-" + id[:8], BinaryID: id, Type: docType, Description: name,
		Indexed: testNow.AddDate(0, 0, -3), AttachedBy: userRC, AttachedOrg: orgGP}
}

// adviceOf reads an A&G request from the store, copied.
func (e *testEnv) adviceOf(ubrn string) store.Advice {
	e.t.Helper()
	var a store.Advice
	e.store.Read(func(st *store.State) error { //nolint:errcheck // the callback cannot fail
		if p := st.Advice[ubrn]; p != nil {
			a = *p
			a.Messages = append([]store.Message(nil), p.Messages...)
		}
		return nil
	})
	return a
}

// adviceReferralOf reads a referral from the store, copied; ok is false when
// there is none.
func (e *testEnv) adviceReferralOf(ubrn string) (store.Referral, bool) {
	e.t.Helper()
	var r store.Referral
	ok := false
	e.store.Read(func(st *store.State) error { //nolint:errcheck // the callback cannot fail
		if p := st.Referrals[ubrn]; p != nil {
			r, ok = *p, true
			r.Documents = append([]store.Document(nil), p.Documents...)
		}
		return nil
	})
	return r, ok
}

// adviceWantRefused posts an A&G write to adviceWorld changed by build (if
// set) and checks that it is refused with the status and, when set, the
// code, and that the request ubrn is as it was. The environment is
// returned for any further checks.
func adviceWantRefused(t *testing.T, build func(st *store.State), ubrn, path, body string, headers map[string]string, status int, code string) *testEnv {
	t.Helper()
	e := newTestEnv(t, func(st *store.State) {
		adviceWorld(st)
		if build != nil {
			build(st)
		}
	})
	before := e.adviceOf(ubrn)
	got, _, answer := e.raw(http.MethodPost, path, body, headers)
	if got != status || (code != "" && outcomeCode(answer) != code) {
		t.Errorf("got %d %s, want %d %s: %s", got, outcomeCode(answer), status, code, answer)
	}
	after := e.adviceOf(ubrn)
	if after.Version != before.Version || len(after.Messages) != len(before.Messages) || after.Category != before.Category {
		t.Errorf("a refused write changed the request: %+v -> %+v", before, after)
	}
	return e
}

// adviceOfficial reads an official example message, or skips the test when
// the reference material is not there.
func adviceOfficial(t *testing.T, parts ...string) map[string]any {
	t.Helper()
	path := filepath.Join(append([]string{"..", "..", "shared", "reference", "ers-api", "sandbox-mocks", "stu3"}, parts...)...)
	b, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		t.Skipf("the official examples are not available (%s)", path)
	}
	if err != nil {
		t.Fatal(err)
	}
	var v map[string]any
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatal(err)
	}
	return v
}

// adviceShape lists the JSON paths of a document's object keys, array
// indexes dropped and array items named by what tells them apart (an
// extension's url, a parameter's name, a resource's type), so that two
// resources can be compared by structure rather than values.
func adviceShape(v any) map[string]bool {
	out := map[string]bool{}
	var walk func(prefix string, v any)
	walk = func(prefix string, v any) {
		switch x := v.(type) {
		case map[string]any:
			for k, child := range x {
				p := prefix + "/" + k
				out[p] = true
				walk(p, child)
			}
		case []any:
			for _, child := range x {
				p := prefix + "[]"
				if m, ok := child.(map[string]any); ok {
					switch {
					case strings.HasSuffix(prefix, "extension") && m["url"] != nil:
						p += fmt.Sprintf("{%v}", m["url"])
					case strings.HasSuffix(prefix, "parameter") && m["name"] != nil:
						p += fmt.Sprintf("{%v}", m["name"])
					case m["resourceType"] != nil:
						p += fmt.Sprintf("{%v}", m["resourceType"])
					}
				}
				walk(p, child)
			}
		}
	}
	walk("", v)
	return out
}

// adviceMissingShape lists the paths of want that got lacks, ignoring paths under
// any of the skip prefixes.
func adviceMissingShape(got, want map[string]bool, skip ...string) []string {
	var out []string
	for p := range want {
		if got[p] || adviceHasAnyPrefix(p, skip) {
			continue
		}
		out = append(out, p)
	}
	return out
}

func adviceHasAnyPrefix(s string, prefixes []string) bool {
	for _, p := range prefixes {
		if strings.HasPrefix(s, p) {
			return true
		}
	}
	return false
}

func adviceCtx(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	t.Cleanup(cancel)
	return ctx
}
