package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ers-workstation/ers-workstation/ersclient"
	"github.com/ers-workstation/ers-workstation/sandbox/cis2"
)

// tmux drives one tmux server on its own socket.
type tmux struct {
	t      *testing.T
	socket string // a path, for -S
}

func (x tmux) run(args ...string) string {
	x.t.Helper()
	out, err := exec.Command("tmux", append([]string{"-S", x.socket}, args...)...).CombinedOutput()
	if err != nil {
		x.t.Fatalf("tmux %s: %v: %s", strings.Join(args, " "), err, out)
	}
	return string(out)
}

func (x tmux) screen() string { return x.run("capture-pane", "-p", "-t", "ws") }

// exited reports whether the program has ended, and its exit status ("" when
// tmux does not know it, as happens when the pane ends quickly).
func (x tmux) exited() (bool, string) {
	state := strings.Split(strings.TrimSpace(x.run("display-message", "-p", "-t", "ws", "#{pane_dead}|#{pane_dead_status}")), "|")
	if state[0] != "1" {
		return false, ""
	}
	if len(state) < 2 {
		return true, ""
	}
	return true, state[1]
}

// waitFor polls the screen until every text is on it, failing with the
// last screen after the deadline.
func (x tmux) waitFor(what string, texts ...string) string {
	x.t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		s := x.screen()
		missing := ""
		for _, text := range texts {
			if !strings.Contains(s, text) {
				missing = text
				break
			}
		}
		if missing == "" {
			return s
		}
		if dead, status := x.exited(); dead {
			x.t.Fatalf("%s: the program exited (status %s) before %q appeared; the screen:\n%s", what, status, missing, s)
		}
		if time.Now().After(deadline) {
			x.t.Fatalf("%s: %q never appeared; the screen:\n%s", what, missing, s)
		}
		time.Sleep(100 * time.Millisecond) // polling, with the deadline above
	}
}

// TestTheDemoSignsInPicksARoleAndQuitsInARealTerminal runs the built binary
// in tmux as a person would: the demo signs the provider admin in, the role
// picker shows their role, enter chooses it, the home screen shows the
// SANDBOX banner and their name, and ctrl+c ends the program.
func TestTheDemoSignsInPicksARoleAndQuitsInARealTerminal(t *testing.T) {
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
	build := exec.Command("go", "build", "-o", bin, ".")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v: %s", err, out)
	}
	home := filepath.Join(dir, "home")
	for _, d := range []string{"config", "state", "cache", "data"} {
		if err := os.MkdirAll(filepath.Join(home, d), 0o700); err != nil {
			t.Fatal(err)
		}
	}
	// A socket of its own, in a short directory (socket paths are limited
	// to about 100 bytes), removed with the server.
	sockDir, err := os.MkdirTemp("", "ersws")
	if err != nil {
		t.Fatal(err)
	}
	x := tmux{t: t, socket: filepath.Join(sockDir, "tmux.sock")}
	t.Cleanup(func() {
		exec.Command("tmux", "-S", x.socket, "kill-server").Run()
		os.RemoveAll(sockDir)
	})

	// remain-on-exit is set before the program starts, so its exit status
	// can be read however early it ends.
	x.run("-f", "/dev/null", "start-server", ";", "set-option", "-g", "remain-on-exit", "on", ";", "new-session", "-d", "-x", "120", "-y", "40", "-s", "ws",
		"-e", "HOME="+home, "-e", "XDG_CONFIG_HOME="+filepath.Join(home, "config"),
		"-e", "XDG_STATE_HOME="+filepath.Join(home, "state"), "-e", "XDG_CACHE_HOME="+filepath.Join(home, "cache"),
		"-e", "XDG_DATA_HOME="+filepath.Join(home, "data"), "-e", "TERM=xterm-256color",
		"-e", "SSH_CONNECTION=", "-e", "SSH_TTY=", "-e", "NO_COLOR=",
		bin+" --referrals 40")

	persona, _ := cis2.FindPersona(cis2.Personas(), cis2.PersonaProviderAdmin)
	name := persona.Given + " " + persona.Family
	label := ersclient.ServiceProviderAdmin.Label()
	x.waitFor("the role picker", label, cis2.ProviderODS)
	x.run("send-keys", "-t", "ws", "Enter")
	// The role picker greets the user too; the home screen names the role.
	home1 := x.waitFor("the home screen", "Signed in as "+name+", "+label)
	if top := strings.SplitN(home1, "\n", 2)[0]; !strings.Contains(top, "SANDBOX") || !strings.Contains(top, name) {
		t.Errorf("the top bar lacks the SANDBOX banner or the user's name: %q", top)
	}

	x.run("send-keys", "-t", "ws", "C-c")
	deadline := time.Now().Add(15 * time.Second)
	for {
		if dead, status := x.exited(); dead {
			if status != "0" && status != "" {
				t.Fatalf("the program exited with status %s; the screen:\n%s", status, x.screen())
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the program did not exit after ctrl+c; the screen:\n%s", x.screen())
		}
		time.Sleep(100 * time.Millisecond) // polling, with the deadline above
	}
	logFile := filepath.Join(home, "state", "ers-workstation", "ers-workstation.log")
	fi, err := os.Stat(logFile)
	if err != nil {
		t.Fatalf("no log file: %v", err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("log file mode %v, want 0600", fi.Mode().Perm())
	}
	// The log's last line is written on the way out of a normal end, so it
	// tells a clean exit where tmux lost the status.
	b, _ := os.ReadFile(logFile)
	if !strings.HasSuffix(strings.TrimSpace(string(b)), "msg=stopped") {
		t.Errorf("the log does not end with a clean stop:\n%s", b)
	}
}
