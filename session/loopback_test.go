package session

import (
	"errors"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/ers-workstation/ers-workstation/gatewayapi"
)

func get(t *testing.T, u string) (int, string) {
	t.Helper()
	c := &http.Client{Timeout: 5 * time.Second}
	resp, err := c.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func TestTheLoopbackListenerAcceptsOneRequestWithItsStateThenCloses(t *testing.T) {
	l, err := listenLoopback("the-state")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	uri := l.RedirectURI()
	if !strings.HasPrefix(uri, "http://127.0.0.1:") || !strings.HasSuffix(uri, "/callback") {
		t.Fatalf("redirect URI %q", uri)
	}
	base := strings.TrimSuffix(uri, "/callback")

	t.Run("another path is not found and the listener keeps waiting", func(t *testing.T) {
		for _, p := range []string{"/", "/callback/", "/Callback", "/other?state=the-state&code=c"} {
			if status, _ := get(t, base+p); status != http.StatusNotFound {
				t.Errorf("%s: %d, want 404", p, status)
			}
		}
	})
	t.Run("a wrong or missing state is refused and the listener keeps waiting", func(t *testing.T) {
		for _, q := range []string{"?code=c", "?state=other&code=c", "?state=the-state-and-more&code=c"} {
			status, page := get(t, uri+q)
			if status != http.StatusBadRequest || !strings.Contains(page, "does not belong") {
				t.Errorf("%s: %d %s, want 400", q, status, page)
			}
		}
		select {
		case r := <-l.Result():
			t.Fatalf("a refused request was handed on: %+v", r)
		default:
		}
	})
	t.Run("another method is not allowed", func(t *testing.T) {
		resp, err := http.Post(uri+"?state=the-state&code=c", "text/plain", nil)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusMethodNotAllowed {
			t.Errorf("POST: %d, want 405", resp.StatusCode)
		}
	})
	t.Run("the right state hands the code on, shows a plain page and closes the listener", func(t *testing.T) {
		status, page := get(t, uri+"?state=the-state&code=handoff-1")
		if status != http.StatusOK || !strings.Contains(page, "Signed in. Return to the terminal.") {
			t.Fatalf("callback: %d %s", status, page)
		}
		for _, external := range []string{"http://", "https://", "src=", "<script", "<link"} {
			if strings.Contains(page, external) {
				t.Errorf("the page refers to something outside it (%q)", external)
			}
		}
		r := <-l.Result()
		if r.code != "handoff-1" || r.err != nil {
			t.Errorf("result %+v", r)
		}
		within(t, 5*time.Second, "the listener to close", func() bool {
			c, err := net.DialTimeout("tcp", strings.TrimPrefix(base, "http://"), time.Second)
			if err != nil {
				return true
			}
			c.Close()
			return false
		})
	})
}

func TestARefusedSignInReachesTheLoopbackAsADeniedError(t *testing.T) {
	l, err := listenLoopback("s")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	status, page := get(t, l.RedirectURI()+"?state=s&error=access_denied&error_description="+gatewayapi.ReasonAssuranceTooLow)
	if status != http.StatusForbidden || !strings.Contains(page, "assurance") {
		t.Errorf("page: %d %s", status, page)
	}
	r := <-l.Result()
	var de *DeniedError
	if !errors.As(r.err, &de) || de.Code != gatewayapi.ErrAccessDenied || de.Description != gatewayapi.ReasonAssuranceTooLow {
		t.Errorf("result %+v, want a DeniedError for assurance_too_low", r)
	}
}

func TestClosingTheLoopbackStopsItsServer(t *testing.T) {
	l, err := listenLoopback("s")
	if err != nil {
		t.Fatal(err)
	}
	l.Close()
	l.Close() // twice is harmless
	if _, err := (&http.Client{Timeout: time.Second}).Get(l.RedirectURI()); err == nil {
		t.Error("the listener still answers after Close")
	}
}
