package sandbox

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// h5Mocks is where the official example messages are when the shared
// reference material is checked out beside the repository.
const h5Mocks = "../../shared/reference/ers-api/sandbox-mocks"

// h5Fixture reads an official example as generic JSON with its base-URL
// placeholders replaced by the test server's FHIR base; the test is skipped
// when the examples are absent.
func h5Fixture(t *testing.T, e *testEnv, parts ...string) map[string]any {
	t.Helper()
	path := filepath.Join(append([]string{h5Mocks}, parts...)...)
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Skipf("official example not available (%v)", err)
	}
	base := e.srv.URL + BasePath
	text := strings.NewReplacer("_baseUrl_", base, "_baseurl_", base).Replace(string(raw))
	var v map[string]any
	if err := json.Unmarshal([]byte(text), &v); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return v
}

// h5JSON decodes an answer as generic JSON.
func h5JSON(t *testing.T, body []byte) map[string]any {
	t.Helper()
	var v map[string]any
	if err := json.Unmarshal(body, &v); err != nil {
		t.Fatalf("answer is not JSON: %v: %s", err, body)
	}
	return v
}

// h5SameJSON reports where got and want differ, ignoring the listed
// top-level members.
func h5SameJSON(t *testing.T, what string, got, want map[string]any, ignore ...string) {
	t.Helper()
	g, w := h5Without(got, ignore), h5Without(want, ignore)
	if !reflect.DeepEqual(g, w) {
		gb, _ := json.MarshalIndent(g, "", " ")
		wb, _ := json.MarshalIndent(w, "", " ")
		t.Errorf("%s differs from the official example:\n got: %s\nwant: %s", what, gb, wb)
	}
}

func h5Without(m map[string]any, ignore []string) map[string]any {
	out := make(map[string]any, len(m))
	for k, v := range m {
		out[k] = v
	}
	for _, k := range ignore {
		delete(out, k)
	}
	return out
}

// h5Ctx is a test context.
func h5Ctx(t *testing.T) context.Context { return t.Context() }
