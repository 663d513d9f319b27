package sandbox

import (
	"net/http"
	"strings"
	"testing"

	"github.com/ers-workstation/ers-workstation/ersclient"
	"github.com/ers-workstation/ers-workstation/sandbox/store"
)

// Bad input of every kind, sent to every operation by every role, must get
// an answer below 500: the simulator never fails on what a client sends.
func TestBadInputNeverGetsA5xx(t *testing.T) {
	e := newTestEnv(t, func(st *store.State) {
		addReferral(st, "000000000201", store.StateBooked, func(r *store.Referral) { r.ServiceID = svcDBS })
	})
	bodies := map[string]string{
		"no body":             "",
		"malformed JSON":      `{"resourceType":"Parameters",`,
		"a JSON array":        `[1,2,3]`,
		"the wrong type":      `{"resourceType":"Patient"}`,
		"unknown parameters":  `{"resourceType":"Parameters","parameter":[{"name":"bogus","valueString":"x"}]}`,
		"wrong value kinds":   `{"resourceType":"Parameters","parameter":[{"name":"listType","valueString":7},{"name":"patient","valueIdentifier":"x"}]}`,
		"an empty Parameters": `{"resourceType":"Parameters"}`,
		"an oversized body":   `{"resourceType":"Parameters","x":"` + strings.Repeat("a", maxFHIRBody) + `"}`,
	}
	roles := []map[string]string{
		userHeaders(userRC, ersclient.ReferringClinician, orgGP),
		userHeaders(userSPC, ersclient.ServiceProviderClinician, orgTrust),
		withHeaders(userHeaders(userRCA, ersclient.ServiceProviderClinicianAdmin, orgTrust), headerOnBehalfOf, userSPC2),
	}
	for _, op := range ersclient.Catalogue() {
		path := op.Path
		for strings.Contains(path, "{") {
			i, j := strings.IndexByte(path, '{'), strings.IndexByte(path, '}')
			path = path[:i] + "000000000201" + path[j+1:]
		}
		for name, body := range bodies {
			if op.Method == http.MethodGet || op.Method == http.MethodHead {
				if name != "no body" {
					continue
				}
				path += "?bogus=%ZZ&_count=-1"
			}
			for _, h := range roles {
				h = withHeaders(h, "If-Match", `W/"1"`)
				status, _, resp := e.raw(op.Method, BasePath+path, body, h)
				if status >= 500 {
					t.Errorf("%s %s with %s as %s: %d %.200s", op.ID, op.Method, name, h[headerBusinessFunction], status, resp)
				}
			}
		}
	}
	// A wrong content type on every write.
	for _, op := range ersclient.Catalogue() {
		if op.Method != http.MethodPost && op.Method != http.MethodPut {
			continue
		}
		path := strings.ReplaceAll(strings.ReplaceAll(strings.ReplaceAll(op.Path, "{ubrn}", "000000000201"), "{id}", "1"), "{version}", "1")
		h := withHeaders(userHeaders(userRC, ersclient.ReferringClinician, orgGP), "Content-Type", "text/html")
		if status, _, resp := e.raw(op.Method, BasePath+path, "<html>", h); status >= 500 {
			t.Errorf("%s with text/html: %d %.200s", op.ID, status, resp)
		}
	}
}
