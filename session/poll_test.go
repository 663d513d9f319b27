package session

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ers-workstation/ers-workstation/gatewayapi"
)

// fakeGateway answers the login and then the token polls from a script.
type fakeGateway struct {
	mu      sync.Mutex
	answers []func(w http.ResponseWriter)
	polls   int
	noProof int
	logins  []gatewayapi.LoginRequest
}

func refuse(code string) func(w http.ResponseWriter) {
	return func(w http.ResponseWriter) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusBadRequest)
		json.NewEncoder(w).Encode(gatewayapi.ErrorBody{Error: code, Description: "because " + code})
	}
}

func grant(w http.ResponseWriter) {
	json.NewEncoder(w).Encode(gatewayapi.TokenResponse{SessionToken: "session-1", TokenType: "DPoP", IdleTimeout: 900,
		ExpiresAt: time.Now().Add(12 * time.Hour), User: gatewayapi.User{Subject: "555001", Name: "Test User"}})
}

func (g *fakeGateway) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	g.mu.Lock()
	defer g.mu.Unlock()
	switch r.URL.Path {
	case gatewayapi.LoginPath:
		var req gatewayapi.LoginRequest
		json.NewDecoder(r.Body).Decode(&req)
		g.logins = append(g.logins, req)
		json.NewEncoder(w).Encode(gatewayapi.LoginResponse{LoginID: "login-1", VerificationURI: "http://gw.invalid/l/ABCD-EFGH",
			UserCode: "ABCD-EFGH", ExpiresIn: 300, Interval: 2})
	case gatewayapi.TokenPath:
		if r.Header.Get("DPoP") == "" {
			g.noProof++
		}
		answer := g.answers[min(g.polls, len(g.answers)-1)]
		g.polls++
		answer(w)
	default:
		http.NotFound(w, r)
	}
}

// remoteManager is a remote-mode Manager on a fake gateway whose waits are
// recorded and pass at once.
func remoteManager(t *testing.T, g *fakeGateway) (*Manager, *[]time.Duration) {
	t.Helper()
	srv := httptest.NewServer(g)
	t.Cleanup(srv.Close)
	clk := newClock()
	var mu sync.Mutex
	waits := &[]time.Duration{}
	m, err := New(Options{GatewayURL: srv.URL, Mode: ModeRemote, Keyring: newMemKeyring(), Now: clk.Now,
		OpenBrowser: func(string) error { t.Error("remote mode opened a browser"); return nil },
		After: func(d time.Duration) <-chan time.Time {
			mu.Lock()
			*waits = append(*waits, d)
			mu.Unlock()
			clk.Advance(d)
			c := make(chan time.Time, 1)
			c <- clk.Now()
			return c
		}})
	if err != nil {
		t.Fatal(err)
	}
	return m, waits
}

func TestRemoteModePollsAtTheIntervalAndSlowsDownWhenAsked(t *testing.T) {
	g := &fakeGateway{answers: []func(http.ResponseWriter){
		refuse(gatewayapi.ErrAuthorizationPending), refuse(gatewayapi.ErrSlowDown),
		refuse(gatewayapi.ErrAuthorizationPending), refuse(gatewayapi.ErrSlowDown), grant,
	}}
	m, waits := remoteManager(t, g)
	ch, err := m.StartSignIn(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if ch.URL == "" || ch.UserCode != "ABCD-EFGH" || ch.Mode != ModeRemote || ch.BrowserOpened {
		t.Errorf("challenge %+v", ch)
	}
	if len(g.logins) != 1 || g.logins[0].Mode != "remote" || g.logins[0].RedirectURI != "" || len(g.logins[0].CodeChallenge) != 43 {
		t.Errorf("login request %+v", g.logins)
	}
	id, err := m.FinishSignIn(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if id.Name != "Test User" || id.IdleTimeout != 15*time.Minute {
		t.Errorf("identity %+v", id)
	}
	want := []time.Duration{2 * time.Second, 2 * time.Second, 7 * time.Second, 7 * time.Second, 12 * time.Second}
	if len(*waits) != len(want) {
		t.Fatalf("waits %v, want %v", *waits, want)
	}
	for i := range want {
		if (*waits)[i] != want[i] {
			t.Errorf("wait %d: %v, want %v (all: %v)", i, (*waits)[i], want[i], *waits)
		}
	}
	if g.noProof != 0 {
		t.Errorf("%d polls without a proof", g.noProof)
	}
	if _, err := m.FinishSignIn(context.Background()); !errors.Is(err, ErrNoSignIn) {
		t.Errorf("a second FinishSignIn: %v, want ErrNoSignIn", err)
	}
}

func TestRemotePollingStopsOnAFinalAnswer(t *testing.T) {
	for _, code := range []string{gatewayapi.ErrExpiredToken, gatewayapi.ErrAccessDenied} {
		t.Run(code+" is a DeniedError", func(t *testing.T) {
			g := &fakeGateway{answers: []func(http.ResponseWriter){refuse(gatewayapi.ErrAuthorizationPending), refuse(code)}}
			m, _ := remoteManager(t, g)
			if _, err := m.StartSignIn(context.Background()); err != nil {
				t.Fatal(err)
			}
			_, err := m.FinishSignIn(context.Background())
			var de *DeniedError
			if !errors.As(err, &de) || de.Code != code || de.Description != "because "+code {
				t.Errorf("err %v, want DeniedError %s", err, code)
			}
			if g.polls != 2 {
				t.Errorf("%d polls, want 2", g.polls)
			}
		})
	}
	t.Run("another refusal is a GatewayError", func(t *testing.T) {
		g := &fakeGateway{answers: []func(http.ResponseWriter){refuse("invalid_client")}}
		m, _ := remoteManager(t, g)
		m.StartSignIn(context.Background())
		_, err := m.FinishSignIn(context.Background())
		var ge *GatewayError
		if !errors.As(err, &ge) || ge.Code != "invalid_client" || ge.Status != http.StatusBadRequest {
			t.Errorf("err %v", err)
		}
	})
	t.Run("the login's expiry ends the polling", func(t *testing.T) {
		g := &fakeGateway{answers: []func(http.ResponseWriter){refuse(gatewayapi.ErrAuthorizationPending)}}
		m, waits := remoteManager(t, g)
		m.StartSignIn(context.Background())
		_, err := m.FinishSignIn(context.Background())
		var de *DeniedError
		if !errors.As(err, &de) || de.Code != gatewayapi.ErrExpiredToken {
			t.Errorf("err %v, want expired", err)
		}
		if g.polls != 150 || len(*waits) != 150 {
			t.Errorf("%d polls and %d waits in 300 s at 2 s, want 150", g.polls, len(*waits))
		}
	})
	t.Run("a cancelled context ends the polling", func(t *testing.T) {
		g := &fakeGateway{answers: []func(http.ResponseWriter){refuse(gatewayapi.ErrAuthorizationPending)}}
		m, _ := remoteManager(t, g)
		m.StartSignIn(context.Background())
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		if _, err := m.FinishSignIn(ctx); !errors.Is(err, context.Canceled) {
			t.Errorf("err %v, want context.Canceled", err)
		}
	})
}

func TestAnUnreachableGatewayIsNamedInTheError(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	url := srv.URL
	srv.Close()
	m, err := New(Options{GatewayURL: url, Mode: ModeRemote, Keyring: newMemKeyring(), CallTimeout: 2 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	_, err = m.StartSignIn(context.Background())
	var ne *NetworkError
	if !errors.As(err, &ne) || ne.GatewayURL != url {
		t.Fatalf("err %v, want a NetworkError naming %s", err, url)
	}
	if want := "cannot reach the gateway at " + url; !strings.Contains(err.Error(), want) {
		t.Errorf("message %q does not say %q", err, want)
	}
}
