package broker

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/ers-workstation/ers-workstation/dpop"
	"github.com/ers-workstation/ers-workstation/gateway/store"
)

// publicURL is the one address of two gateways behind a load balancer: the
// proofs are made for it, whichever gateway receives them.
const publicURL = "https://ers-gateway.example.nhs.uk"

func TestAProofAcceptedByOneGatewayIsRefusedByAnother(t *testing.T) {
	h := newHarness(t)
	a, b := h.serve(publicURL, nil), h.serve(publicURL, nil)
	token, key := h.session("s1")
	proof, err := key.Proof(http.MethodGet, publicURL+SessionPath, token, h.clock.Now())
	if err != nil {
		t.Fatal(err)
	}
	if status, eb := signedGet(t, a.url, token, proof); status != http.StatusOK {
		t.Fatalf("first use at gateway A: %d %+v", status, eb)
	}
	// Gateway B's own (in-process) memory has never seen the proof.
	status, eb := signedGet(t, b.url, token, proof)
	if status != http.StatusUnauthorized || eb.Error != dpop.CodeInvalidProof {
		t.Fatalf("replay at gateway B: %d %+v, want 401 %s", status, eb, dpop.CodeInvalidProof)
	}
	// A fresh proof from the same key is fine at either.
	fresh, err := key.Proof(http.MethodGet, publicURL+SessionPath, token, h.clock.Now())
	if err != nil {
		t.Fatal(err)
	}
	if status, eb := signedGet(t, b.url, token, fresh); status != http.StatusOK {
		t.Fatalf("a fresh proof at gateway B: %d %+v", status, eb)
	}
}

func TestAProofIsRefusedWhenTheReplayMemoryIsDown(t *testing.T) {
	h := newHarness(t)
	g := h.serve(publicURL, failingJTIs{h.store})
	token, key := h.session("s1")
	proof, err := key.Proof(http.MethodGet, publicURL+SessionPath, token, h.clock.Now())
	if err != nil {
		t.Fatal(err)
	}
	status, eb := signedGet(t, g.url, token, proof)
	if status != http.StatusServiceUnavailable || eb.Error != dpop.CodeUnavailable {
		t.Fatalf("with the store's replay memory down: %d %+v, want 503 %s", status, eb, dpop.CodeUnavailable)
	}
}

func TestAProofIsRememberedInTheStoreOnlyAsAHash(t *testing.T) {
	h := newHarness(t)
	g := h.serve(publicURL, nil)
	token, key := h.session("s1")
	proof, err := key.Proof(http.MethodGet, publicURL+SessionPath, token, h.clock.Now())
	if err != nil {
		t.Fatal(err)
	}
	if status, eb := signedGet(t, g.url, token, proof); status != http.StatusOK {
		t.Fatalf("%d %+v", status, eb)
	}
	c, err := verifiedClaims(proof)
	if err != nil {
		t.Fatal(err)
	}
	// The memory answers for the id (and so holds it) until it expires.
	ctx := context.Background()
	now := h.clock.Now()
	id := key.Thumbprint() + "\x00" + c.JTI
	if fresh, err := h.store.RememberJTI(ctx, store.JTIScopeDPoP, id, now, now.Add(time.Minute)); err != nil || fresh {
		t.Fatalf("the proof is not remembered: fresh %v, err %v", fresh, err)
	}
	later := now.Add(dpop.DefaultReplayMemory)
	if n, err := h.store.DeleteExpiredJTIs(ctx, later); err != nil || n != 1 {
		t.Fatalf("housekeeping after the proof memory: deleted %d, err %v", n, err)
	}
}

func TestALogoutTokenAcceptedByOneGatewayIsRefusedByAnother(t *testing.T) {
	h := newHarness(t)
	a, b := h.serve(publicURL, nil), h.serve(publicURL, nil)
	h.session("s1")
	tok := logoutToken(t, "logout-jti-1", h.clock.Now().Add(2*time.Minute))
	if status, eb := postLogout(t, a.url, tok); status != http.StatusOK {
		t.Fatalf("first delivery at gateway A: %d %+v", status, eb)
	}
	s, err := h.store.Session(context.Background(), "s1")
	if err != nil || s.State != store.SessionEnded {
		t.Fatalf("the session after the logout: %v %v", s.State, err)
	}
	// The user signs in again; a replay of the old logout token must not
	// end the new session.
	token, key := h.session("s2")
	status, eb := postLogout(t, b.url, tok)
	if status != http.StatusBadRequest || eb.Error != "invalid_request" {
		t.Fatalf("replay at gateway B: %d %+v, want 400 invalid_request", status, eb)
	}
	proof, err := key.Proof(http.MethodGet, publicURL+SessionPath, token, h.clock.Now())
	if err != nil {
		t.Fatal(err)
	}
	if status, eb := signedGet(t, b.url, token, proof); status != http.StatusOK {
		t.Fatalf("the new session after the replay: %d %+v", status, eb)
	}
}

func TestALogoutTokenIsRefusedWhenTheReplayMemoryIsDown(t *testing.T) {
	h := newHarness(t)
	g := h.serve(publicURL, failingJTIs{h.store})
	h.session("s1")
	status, eb := postLogout(t, g.url, logoutToken(t, "logout-jti-1", h.clock.Now().Add(2*time.Minute)))
	if status != http.StatusServiceUnavailable || eb.Error != "temporarily_unavailable" {
		t.Fatalf("%d %+v, want 503 temporarily_unavailable", status, eb)
	}
	if s, err := h.store.Session(context.Background(), "s1"); err != nil || s.State != store.SessionActive {
		t.Fatalf("the session: %v %v, want it untouched", s.State, err)
	}
}

func TestALogoutTokenWithoutAnIDIsRefused(t *testing.T) {
	h := newHarness(t)
	g := h.serve(publicURL, nil)
	status, _ := postLogout(t, g.url, logoutToken(t, "", h.clock.Now().Add(2*time.Minute)))
	if status != http.StatusBadRequest {
		t.Fatalf("%d, want 400", status)
	}
}
