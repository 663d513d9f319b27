package session

import (
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/ers-workstation/ers-workstation/gatewayapi"
)

func TestOnlyTheAnswersThatEndASessionMeanSignInRequired(t *testing.T) {
	cases := []struct {
		err  *GatewayError
		want bool
	}{
		{&GatewayError{Status: 401, Code: gatewayapi.ErrLoginRequired}, true},
		{&GatewayError{Status: 401, Code: gatewayapi.ErrInvalidToken}, true},
		{&GatewayError{Status: 401, Code: "invalid_dpop_proof"}, false}, // a clock or proof problem, not the session
		{&GatewayError{Status: 403, Code: gatewayapi.ErrRoleNotHeld}, false},
		{&GatewayError{Status: 503, Code: gatewayapi.ErrTemporarilyUnavailable}, false},
	}
	for _, c := range cases {
		if got := errors.Is(fmt.Errorf("wrapped: %w", c.err), ErrSignInRequired); got != c.want {
			t.Errorf("%v: Is(ErrSignInRequired) = %v, want %v", c.err, got, c.want)
		}
	}
	if g := gatewayError(502, []byte("<html>bad gateway</html>")); g.Code != "" || g.Description != "Bad Gateway" {
		t.Errorf("a non-JSON refusal: %+v", g)
	}
}

func TestTheTransportSendsNoCredentialsToAnotherOrigin(t *testing.T) {
	seen := make(chan http.Header, 1)
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { seen <- r.Header.Clone() }))
	defer other.Close()
	m, err := New(Options{GatewayURL: "http://127.0.0.1:1", Keyring: newMemKeyring()})
	if err != nil {
		t.Fatal(err)
	}
	key := mustKey(t)
	m.establish(live{token: "session-token", key: key, identity: Identity{Name: "x"}}, m.o.Now().Add(1e12))
	resp, err := (&http.Client{Transport: m.Transport()}).Get(other.URL + "/object")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	h := <-seen
	if h.Get("Authorization") != "" || h.Get("DPoP") != "" {
		t.Errorf("credentials sent to another origin: %v", h)
	}
}
