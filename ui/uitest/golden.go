package uitest

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
)

// update rewrites golden files: go test ./ui/... -update. It is the one
// package-level variable here, as a test flag must be registered before
// flag.Parse. Do not also import x/exp/golden: it registers the same flag.
var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// Golden compares view, stripped of escape sequences, with
// testdata/<name>.golden, or rewrites the file under -update. Files are
// written ending in a newline, as editors keep them; one final newline is
// ignored when comparing, so files written without it still match.
func Golden(t testing.TB, name, view string) {
	t.Helper()
	path := filepath.Join("testdata", name+".golden")
	got := ansi.Strip(view)
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got+"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run the test with -update to create it)", err)
	}
	if want := strings.TrimSuffix(string(raw), "\n"); want != got {
		t.Fatalf("view differs from %s (run with -update if the change is intended)\ngot:\n%s\nwant:\n%s", path, got, want)
	}
}
