package config

import (
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"testing"
)

func TestPrefsRememberTheLastRolePerUserAcrossInstances(t *testing.T) {
	path := filepath.Join(t.TempDir(), "ers-workstation", "prefs.json")
	p := NewPrefsFile(path)
	if _, ok := p.LastRole("555000000001"); ok {
		t.Fatal("a role before any was saved")
	}
	a := SavedRole{BusinessFunction: "SERVICE_PROVIDER_CLINICIAN_ADMIN", ODS: "R1A", OrganisationName: "Example Trust",
		OnBehalfOf: "555000000102", OnBehalfOfName: "Dr Bob Brown"}
	b := SavedRole{BusinessFunction: "REFERRING_ADMIN", ODS: "A81001"}
	if err := p.SetLastRole("555000000001", a); err != nil {
		t.Fatal(err)
	}
	if err := p.SetLastRole("555000000002", b); err != nil {
		t.Fatal(err)
	}
	again := NewPrefsFile(path) // a later run
	if got, ok := again.LastRole("555000000001"); !ok || got != a {
		t.Errorf("user 1: %#v %v", got, ok)
	}
	if got, ok := again.LastRole("555000000002"); !ok || got != b {
		t.Errorf("user 2: %#v %v", got, ok)
	}
}

func TestPrefsFileIsPrivateAndLeavesNoTemporaryFiles(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("file modes are not POSIX on Windows")
	}
	dir := filepath.Join(t.TempDir(), "ers-workstation")
	p := NewPrefsFile(filepath.Join(dir, "prefs.json"))
	for range 3 {
		if err := p.SetLastRole("555000000001", SavedRole{BusinessFunction: "REFERRING_ADMIN", ODS: "A81001"}); err != nil {
			t.Fatal(err)
		}
	}
	fi, err := os.Stat(p.Path())
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("file mode %v, want 0600", fi.Mode().Perm())
	}
	di, _ := os.Stat(dir)
	if di.Mode().Perm() != 0o700 {
		t.Errorf("directory mode %v, want 0700", di.Mode().Perm())
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("directory holds %d files, want only prefs.json", len(entries))
	}
}

func TestBrokenPrefsFileReadsAsEmptyAndIsReplaced(t *testing.T) {
	path := filepath.Join(t.TempDir(), "prefs.json")
	for _, content := range []string{"{not json", `{"version": 99, "last_role": {"u": {"business_function": "X", "ods": "Y"}}}`} {
		if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		p := NewPrefsFile(path)
		if _, ok := p.LastRole("u"); ok {
			t.Errorf("%q: a role from a broken file", content)
		}
		role := SavedRole{BusinessFunction: "REFERRING_ADMIN", ODS: "A81001"}
		if err := p.SetLastRole("u", role); err != nil {
			t.Fatal(err)
		}
		if got, ok := p.LastRole("u"); !ok || got != role {
			t.Errorf("%q: after saving: %#v %v", content, got, ok)
		}
	}
}

func TestPrefsSurviveConcurrentWriters(t *testing.T) {
	p := NewPrefsFile(filepath.Join(t.TempDir(), "prefs.json"))
	var wg sync.WaitGroup
	users := []string{"u1", "u2", "u3", "u4", "u5", "u6"}
	for _, u := range users {
		wg.Go(func() {
			if err := p.SetLastRole(u, SavedRole{BusinessFunction: "REFERRING_ADMIN", ODS: u}); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	for _, u := range users {
		if r, ok := p.LastRole(u); !ok || r.ODS != u {
			t.Errorf("%s: %#v %v", u, r, ok)
		}
	}
}

func TestPrefsPathIsUnderTheUserConfigDirectory(t *testing.T) {
	t.Setenv("XDG_CONFIG_HOME", "/tmp/xdg-test-config")
	t.Setenv("HOME", "/tmp/home-test")
	got, err := PrefsPath()
	if err != nil {
		t.Fatal(err)
	}
	want, _ := os.UserConfigDir()
	if got != filepath.Join(want, "ers-workstation", "prefs.json") {
		t.Errorf("PrefsPath = %s", got)
	}
}

func TestSavingNeedsAUser(t *testing.T) {
	p := NewPrefsFile(filepath.Join(t.TempDir(), "prefs.json"))
	if err := p.SetLastRole("", SavedRole{BusinessFunction: "REFERRING_ADMIN", ODS: "A"}); err == nil {
		t.Error("saved a role for no user")
	}
}
