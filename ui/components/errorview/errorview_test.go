package errorview

import (
	"fmt"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"github.com/ers-workstation/ers-workstation/ersclient"
	"github.com/ers-workstation/ers-workstation/session"
	"github.com/ers-workstation/ers-workstation/ui/theme"
)

func TestShowsCodeAndCorrelationIDOfAnERSError(t *testing.T) {
	err := fmt.Errorf("loading worklist: %w", &ersclient.Error{Kind: ersclient.KindAPI, Status: 403,
		Code: "NO_ACCESS", CorrelationID: "corr-123"})
	v := New(theme.New(theme.Mono), err)
	v.SetSize(80, 24)
	out := ansi.Strip(v.View())
	for _, want := range []string{"NO_ACCESS", "corr-123", "r retry", "esc back", "not allowed", "Error"} {
		if !strings.Contains(out, want) {
			t.Errorf("view lacks %q:\n%s", want, out)
		}
	}
	lines := strings.Split(v.View(), "\n")
	if len(lines) != 24 {
		t.Fatalf("%d lines", len(lines))
	}
	for _, l := range lines {
		if ansi.StringWidth(l) != 80 {
			t.Fatalf("line %q is not 80 wide", ansi.Strip(l))
		}
	}
}

func TestDescribesInPlainWords(t *testing.T) {
	cases := []struct {
		name string
		err  error
		what string
		do   string
	}{
		{"network failure", &ersclient.Error{Kind: ersclient.KindNotSent}, "Could not reach e-RS", "network connection"},
		{"session over", fmt.Errorf("x: %w", session.ErrSignInRequired), "session has ended", "Sign in again"},
		{"anything else", fmt.Errorf("disk on fire"), "Something went wrong", "try again"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			d := Describe(c.err)
			if !strings.Contains(d.What, c.what) || !strings.Contains(d.Do, c.do) {
				t.Fatalf("got %+v", d)
			}
		})
	}
}

func TestKeepsTheMessageOfAnUnknownErrorForSupport(t *testing.T) {
	err := fmt.Errorf("writing cache: disk on fire")
	if d := Describe(err); d.Detail != err.Error() {
		t.Errorf("Detail = %q", d.Detail)
	}
	v := New(theme.New(theme.Mono), err)
	v.SetSize(80, 24)
	if out := ansi.Strip(v.View()); !strings.Contains(out, "disk on fire") || !strings.Contains(out, "Something went wrong") {
		t.Errorf("view lacks the message:\n%s", out)
	}
}
