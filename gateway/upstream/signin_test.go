package upstream

import (
	"context"
	"errors"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/ers-workstation/ers-workstation/sandbox/cis2"
)

func TestASignInIsVerifiedThenExchangedAndTheTokenWorksAtERS(t *testing.T) {
	w := newWorld(t, 0)
	c, a := w.cis2Client(rpClientID), w.apimClient(nil)
	for _, key := range []string{cis2.PersonaReferrer, cis2.PersonaAAL2Only} {
		t.Run(key, func(t *testing.T) {
			p, _ := cis2.FindPersona(cis2.Personas(), key)
			id, tok, err := w.signIn(c, a, key)
			if err != nil {
				t.Fatalf("sign-in: %v", err)
			}
			if id.Subject != p.ID || id.IAL != 3 || id.AAL < 2 || id.SessionID == "" || id.IDToken == "" ||
				id.Name != p.DisplayName() || id.ACR == "" || len(id.AMR) == 0 || !id.Expiry.After(w.gw.Now()) {
				t.Errorf("identity %+v (name want %q)", id, p.DisplayName())
			}
			if key == cis2.PersonaAAL2Only && id.AAL != 2 {
				t.Errorf("AAL2-only persona signed in at AAL %d", id.AAL)
			}
			if tok.AccessToken == "" || tok.RefreshToken == "" || tok.RefreshCount != 0 ||
				tok.AccessExpires != w.gw.Now().Add(599*time.Second) || !tok.RefreshExpires.After(tok.AccessExpires) {
				t.Errorf("tokens: count %d, access expires %v, refresh %v", tok.RefreshCount, tok.AccessExpires, tok.RefreshExpires)
			}
			if s := w.ersStatus(tok.AccessToken); s != 200 {
				t.Errorf("A030 with the exchanged token: %d, want 200", s)
			}
		})
	}
}

func TestAssuranceBelowWhatERSNeedsIsRefusedBeforeAPIM(t *testing.T) {
	w := newWorld(t, 0)
	a := w.apimClient(nil)
	for _, tc := range []struct {
		persona, acr, level string
	}{
		{cis2.PersonaAAL1, cis2.ACRAAL1UserPass, "AAL"},
		{cis2.PersonaIAL2, "", "IAL"},
	} {
		t.Run(tc.persona, func(t *testing.T) {
			c := w.cis2Client(rpClientID, func(o *CIS2Options) { o.ACRValues = tc.acr })
			before := w.apimCalls.Load()
			_, _, err := w.signIn(c, a, tc.persona)
			var ae *AssuranceError
			if !errors.Is(err, ErrAssurance) || !errors.As(err, &ae) || ae.Level != tc.level {
				t.Fatalf("error %v, want ErrAssurance on %s", err, tc.level)
			}
			if n := w.apimCalls.Load() - before; n != 0 {
				t.Errorf("APIM was called %d times for a refused identity", n)
			}
			if want := map[string]string{"AAL": "not strong enough", "IAL": "identity"}[tc.level]; !strings.Contains(err.Error(), want) {
				t.Errorf("message %q does not say %q", err, want)
			}
		})
	}
}

func TestIDTokensThatAreNotOursAreRefused(t *testing.T) {
	w := newWorld(t, 0)
	c := w.cis2Client(rpClientID)

	t.Run("a wrong nonce", func(t *testing.T) {
		code := w.code(c, cis2.PersonaReferrer, testNonce)
		_, err := c.Redeem(context.Background(), code, testVerifier, "another-nonce")
		if !errors.Is(err, ErrIDTokenInvalid) || !strings.Contains(err.Error(), "nonce") {
			t.Fatalf("error %v, want ErrIDTokenInvalid for the nonce", err)
		}
	})
	t.Run("an ID token for another client", func(t *testing.T) {
		other := w.cis2Client(otherClientID)
		id, err := other.Redeem(context.Background(), w.code(other, cis2.PersonaReferrer, testNonce), testVerifier, testNonce)
		if err != nil {
			t.Fatalf("the other client's own sign-in: %v", err)
		}
		_, err = c.verifyIDToken(context.Background(), id.IDToken, testNonce)
		if !errors.Is(err, ErrIDTokenInvalid) || !strings.Contains(err.Error(), "audience") {
			t.Fatalf("error %v, want ErrIDTokenInvalid for the audience", err)
		}
	})
	t.Run("a tampered ID token", func(t *testing.T) {
		other := w.cis2Client(rpClientID)
		id, err := other.Redeem(context.Background(), w.code(other, cis2.PersonaReferrer, testNonce), testVerifier, testNonce)
		if err != nil {
			t.Fatal(err)
		}
		parts := strings.Split(id.IDToken, ".")
		parts[2] = strings.Repeat("A", len(parts[2]))
		if _, err := c.verifyIDToken(context.Background(), strings.Join(parts, "."), testNonce); !errors.Is(err, ErrIDTokenInvalid) {
			t.Fatalf("error %v, want ErrIDTokenInvalid", err)
		}
	})
	t.Run("an expired ID token", func(t *testing.T) {
		id, err := c.Redeem(context.Background(), w.code(c, cis2.PersonaReferrer, testNonce), testVerifier, testNonce)
		if err != nil {
			t.Fatal(err)
		}
		late := w.cis2Client(rpClientID, func(o *CIS2Options) {
			o.Now = func() time.Time { return id.Expiry.Add(time.Second) }
		})
		if _, err := late.verifyIDToken(context.Background(), id.IDToken, testNonce); !errors.Is(err, ErrIDTokenInvalid) ||
			!strings.Contains(err.Error(), "expired") {
			t.Fatalf("error %v, want ErrIDTokenInvalid (expired)", err)
		}
	})
}

func TestAReplayedCodeIsInvalidGrantAndTheErrorHoldsNoSecret(t *testing.T) {
	w := newWorld(t, 0)
	c := w.cis2Client(rpClientID)
	code := w.code(c, cis2.PersonaReferrer, testNonce)
	if _, err := c.Redeem(context.Background(), code, testVerifier, testNonce); err != nil {
		t.Fatal(err)
	}
	_, err := c.Redeem(context.Background(), code, testVerifier, testNonce)
	oe := oauthError(t, err)
	if !oe.InvalidGrant() || oe.Status != 400 {
		t.Fatalf("replayed code: %+v, want 400 invalid_grant", oe)
	}
	for _, secret := range []string{code, testVerifier, testNonce} {
		if strings.Contains(err.Error(), secret) {
			t.Errorf("the error %q holds a secret", err)
		}
	}
}

func TestTheAuthorizeAndEndSessionURLs(t *testing.T) {
	w := newWorld(t, 0)
	c := w.cis2Client(rpClientID)
	u, err := url.Parse(c.AuthCodeURL("st", "nn", testVerifier))
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	want := map[string]string{
		"response_type": "code", "client_id": rpClientID, "redirect_uri": rpRedirect, "state": "st", "nonce": "nn",
		"scope": "openid profile nationalrbacaccess", "code_challenge": S256Challenge(testVerifier),
		"code_challenge_method": "S256", "acr_values": "AAL2_OR_AAL3_ANY", "prompt": "login", "max_age": "300",
	}
	for k, v := range want {
		if q.Get(k) != v {
			t.Errorf("%s = %q, want %q", k, q.Get(k), v)
		}
	}
	if q.Has("code_verifier") || strings.Contains(u.String(), testVerifier) {
		t.Error("the authorize URL carries the PKCE verifier")
	}
	if got := u.Scheme + "://" + u.Host + u.Path; got != w.urls.CIS2Issuer+cis2.AuthorizePath {
		t.Errorf("authorize endpoint %s", got)
	}
	es, err := url.Parse(c.EndSessionURL("hint", "https://gw.example/bye"))
	if err != nil || es.Path != strings.TrimPrefix(w.urls.CIS2Issuer+cis2.EndSessionPath, "http://"+es.Host) ||
		es.Query().Get("id_token_hint") != "hint" || es.Query().Get("post_logout_redirect_uri") != "https://gw.example/bye" {
		t.Errorf("end-session URL %v", es)
	}
}

func TestTwoMinutesOfClockSkewStillSignsInAndRefreshes(t *testing.T) {
	// The stack (CIS2, APIM) runs two minutes ahead of the gateway, then
	// two minutes behind it: the client assertions must satisfy both.
	for _, c := range []struct {
		name string
		skew time.Duration
	}{
		{"with the gateway two minutes behind CIS2 and APIM", 2 * time.Minute},
		{"with the gateway two minutes ahead of CIS2 and APIM", -2 * time.Minute},
	} {
		t.Run(c.name, func(t *testing.T) {
			w := newWorld(t, c.skew)
			cl, a := w.cis2Client(rpClientID), w.apimClient(nil)
			_, tok, err := w.signIn(cl, a, cis2.PersonaReferrer)
			if err != nil {
				t.Fatalf("sign-in with skew: %v", err)
			}
			if _, err := a.Refresh(context.Background(), tok.RefreshToken); err != nil {
				t.Fatalf("refresh with skew: %v", err)
			}
		})
	}
}
