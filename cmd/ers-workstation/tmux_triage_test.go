package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ers-workstation/ers-workstation/ersclient"
	"github.com/ers-workstation/ers-workstation/sandbox/cis2"
)

// startInTmux builds the binary and runs it with args in a fresh tmux
// server of 120x40, with a home of its own; skipped without tmux unless
// ERS_TEST_REQUIRE_TMUX is set.
func startInTmux(t *testing.T, args string) tmux {
	t.Helper()
	if _, err := exec.LookPath("tmux"); err != nil {
		if os.Getenv("ERS_TEST_REQUIRE_TMUX") != "" {
			t.Fatal("tmux is not installed, and ERS_TEST_REQUIRE_TMUX is set: install tmux (CI does)")
		}
		t.Skip("tmux is not installed: the end-to-end terminal test needs it (CI installs it)")
	}
	if testing.Short() {
		t.Skip("builds the binary and runs it in tmux")
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "ers-workstation")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v: %s", err, out)
	}
	home := filepath.Join(dir, "home")
	for _, d := range []string{"config", "state", "cache", "data"} {
		if err := os.MkdirAll(filepath.Join(home, d), 0o700); err != nil {
			t.Fatal(err)
		}
	}
	sockDir, err := os.MkdirTemp("", "ersws") // socket paths are limited to about 100 bytes
	if err != nil {
		t.Fatal(err)
	}
	x := tmux{t: t, socket: filepath.Join(sockDir, "tmux.sock")}
	t.Cleanup(func() {
		_ = exec.Command("tmux", "-S", x.socket, "kill-server").Run()
		_ = os.RemoveAll(sockDir)
	})
	x.run("-f", "/dev/null", "start-server", ";", "set-option", "-g", "remain-on-exit", "on", ";", "new-session", "-d", "-x", "120", "-y", "40", "-s", "ws",
		"-e", "HOME="+home, "-e", "XDG_CONFIG_HOME="+filepath.Join(home, "config"),
		"-e", "XDG_STATE_HOME="+filepath.Join(home, "state"), "-e", "XDG_CACHE_HOME="+filepath.Join(home, "cache"),
		"-e", "XDG_DATA_HOME="+filepath.Join(home, "data"), "-e", "TERM=xterm-256color",
		"-e", "SSH_CONNECTION=", "-e", "SSH_TTY=", "-e", "NO_COLOR=",
		bin+" "+args)
	return x
}

func (x tmux) keys(keys ...string) { x.run(append([]string{"send-keys", "-t", "ws"}, keys...)...) }

func (x tmux) text(s string) { x.run("send-keys", "-t", "ws", "-l", s) }

// confirm answers the confirmation titled title with "y". The root ignores
// a "y" that comes too soon after the modal opened (a held key), so it is
// sent again until the modal has gone.
func (x tmux) confirm(title string) {
	x.t.Helper()
	x.waitFor("the confirmation", title)
	deadline := time.Now().Add(15 * time.Second)
	for {
		x.keys("y")
		settle := time.Now().Add(time.Second)
		for time.Now().Before(settle) {
			if !strings.Contains(x.screen(), title) {
				return
			}
			time.Sleep(50 * time.Millisecond) // polling, with the deadline above
		}
		if time.Now().After(deadline) {
			x.t.Fatalf("the confirmation %q stayed open; the screen:\n%s", title, x.screen())
		}
	}
}

var filteredCount = regexp.MustCompile(`(\d+) of (\d+) \(filter: Booked\)`)

// bookedCount waits for the worklist's "N of M (filter: Booked)" to differ
// from not (nil: any) and returns it.
func (x tmux) bookedCount(what string, not []int) []int {
	x.t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		s := x.screen()
		if m := filteredCount.FindStringSubmatch(s); m != nil {
			shown, _ := strconv.Atoi(m[1])
			total, _ := strconv.Atoi(m[2])
			if not == nil || shown != not[0] || total != not[1] {
				return []int{shown, total}
			}
		}
		if time.Now().After(deadline) {
			x.t.Fatalf("%s: the count never showed; the screen:\n%s", what, s)
		}
		time.Sleep(100 * time.Millisecond) // polling, with the deadline above
	}
}

// TestTheTriageFlowInARealTerminal runs the built binary in tmux as a
// clinician would: sign in (demo), open the worklists, keep only the
// booked referrals, open the first, accept it (confirmed with y) and see
// the count drop; then reject the next with a reason and a comment.
//
// The provider clinician signs in, not the provider admin: e-RS lets only
// SPC and SPCA accept (A013) or reject (A014), and A029 offers the admin
// nothing (see ui/flows).
func TestTheTriageFlowInARealTerminal(t *testing.T) {
	x := startInTmux(t, "--referrals 300 --persona "+cis2.PersonaProviderClinician)
	x.waitFor("the role picker", ersclient.ServiceProviderClinician.Label(), cis2.ProviderODS)
	x.keys("Enter")
	x.waitFor("the home screen", "What would you like to do?", "w  Worklists")
	x.keys("w")
	x.waitFor("the worklists", "Referrals for review", " of ")
	x.keys("/")
	x.text("Booked")
	x.keys("Enter")
	before := x.bookedCount("the booked referrals", nil)
	if before[0] < 2 {
		t.Fatalf("%d booked referrals to review; need 2:\n%s", before[0], x.screen())
	}

	x.keys("Enter")
	x.waitFor("the referral", "Patient and referral", "Accept referral")
	x.keys("a")
	x.waitFor("the accept form", "[ Accept referral ]")
	x.keys("Enter")
	x.confirm("Accept referral?")
	x.waitFor("the toast", "Accepted")
	x.keys("Escape") // back from the referral to the worklist
	after := x.bookedCount("after accepting", before)
	if after[0] != before[0]-1 || after[1] != before[1]-1 {
		t.Fatalf("after accepting %v, was %v:\n%s", after, before, x.screen())
	}

	x.keys("Enter")
	x.waitFor("the next referral", "Patient and referral", "Reject referral")
	x.keys("x")
	x.waitFor("the reject form", "Reason", "[ Reject referral ]")
	x.waitFor("the reasons", "( ) ")
	x.keys("Enter") // the first reason, and on to the comments
	x.text("Synthetic: please refer to the community clinic instead.")
	x.keys("Tab")
	// At an indirectly bookable service the form asks whether the
	// appointment was cancelled in PAS: answer yes, then send.
	if strings.Contains(x.screen(), "Appointment cancelled in PAS?") {
		x.keys("Enter")
		x.waitFor("the PAS answer", "(•) Yes")
	}
	x.keys("Enter")
	x.confirm("Reject referral?")
	x.waitFor("the toast", "Rejected")
	x.keys("Escape")
	last := x.bookedCount("after rejecting", after)
	if last[0] != after[0]-1 || last[1] != after[1]-1 {
		t.Fatalf("after rejecting %v, was %v:\n%s", last, after, x.screen())
	}
	x.keys("C-c")
}
