package sandbox

import (
	"errors"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/ers-workstation/ers-workstation/ersclient"
	"github.com/ers-workstation/ers-workstation/sandbox/store"
)

// Every official A&G write example, sent to a world holding what it names
// (the request 000000070000 at the version the example expects, its files,
// the clinician the RCA example acts for), gets the documented status. The
// examples data set (H6) must hold the same for examples_test.go.
func TestAdviceOfficialRequestExamplesSucceed(t *testing.T) {
	const ubrn = "000000070000"
	dir := filepath.Join("..", "..", "shared", "reference", "ers-api", "sandbox-mocks", "stu3")
	if _, err := os.Stat(dir); errors.Is(err, os.ErrNotExist) {
		t.Skipf("the official examples are not available (%s)", dir)
	}
	binaries := regexp.MustCompile(`Binary/([0-9a-f-]{36})`)
	for _, tc := range []struct {
		folder  string
		path    string
		headers map[string]string
		version int // of 000000070000
		status  int
	}{
		{"createAdviceAndGuidance", adviceCreatePath, rcHeaders(), 0, http.StatusOK},
		{"sendAdviceAndGuidanceResponse", adviceRespondPath(ubrn), withHeaders(spcHeaders(), "If-Match", `W/"5"`), 5, http.StatusOK},
		{"convertAdviceAndGuidanceToReferral", adviceConvertPath, spcHeaders(), 3, http.StatusCreated},
	} {
		files, err := filepath.Glob(filepath.Join(dir, tc.folder, "requests", "*.json"))
		if err != nil || len(files) == 0 {
			t.Fatalf("no examples in %s: %v", tc.folder, err)
		}
		for _, f := range files {
			t.Run(tc.folder+"/"+filepath.Base(f), func(t *testing.T) {
				body, err := os.ReadFile(f)
				if err != nil {
					t.Fatal(err)
				}
				headers := tc.headers
				if filepath.Base(f) == "ExampleRCAWithAttachments.json" {
					headers = rcaHeaders()
				}
				e := newTestEnv(t, func(st *store.State) {
					st.Users["021600556514"] = &store.User{ID: "021600556514", Given: "Example", Family: "Clinician",
						Roles: []store.Role{{Org: orgGP, BusinessFunction: ersclient.ReferringClinician}}}
					if tc.version > 0 {
						adviceAdd(st, ubrn, func(a *store.Advice) { a.Version = tc.version })
					}
					for _, m := range binaries.FindAllStringSubmatch(string(body), -1) {
						adviceFile(st, m[1], ubrn, "", "example.txt")
						st.Binaries[m[1]].AnyRequest = true
					}
				})
				status, _, resp := e.raw(http.MethodPost, tc.path, string(body), headers)
				if status != tc.status {
					t.Errorf("got %d, want %d: %s", status, tc.status, resp)
				}
			})
		}
	}
}
