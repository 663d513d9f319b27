package upstream

import (
	"context"
	"encoding/json"
	"errors"
	"testing"
	"time"

	"github.com/go-jose/go-jose/v4"

	"github.com/ers-workstation/ers-workstation/sandbox/cis2"
)

// forge signs claims with the stack's CIS2 key, as CIS2 would.
func (w *world) forge(claims map[string]any) string {
	w.t.Helper()
	signer, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.RS256,
		Key: jose.JSONWebKey{Key: w.cis2Key.Private, KeyID: w.cis2Key.KID}}, (&jose.SignerOptions{}).WithType("JWT"))
	if err != nil {
		w.t.Fatal(err)
	}
	b, _ := json.Marshal(claims)
	jws, err := signer.Sign(b)
	if err != nil {
		w.t.Fatal(err)
	}
	s, err := jws.CompactSerialize()
	if err != nil {
		w.t.Fatal(err)
	}
	return s
}

func TestBackChannelLogout(t *testing.T) {
	w := newWorld(t, 0)
	c := w.cis2Client(rpClientID)
	p, _ := cis2.FindPersona(cis2.Personas(), cis2.PersonaClinicianAdmin)
	id, err := c.Redeem(context.Background(), w.code(c, p.Key, testNonce), testVerifier, testNonce)
	if err != nil {
		t.Fatal(err)
	}
	w.adminPost(cis2.AdminRevokePath + "?sub=" + p.ID)
	got := w.received()
	if len(got) != 1 {
		t.Fatalf("logout tokens delivered: %d, want 1", len(got))
	}

	lo, err := c.VerifyLogoutToken(context.Background(), got[0])
	if err != nil {
		t.Fatalf("CIS2's logout token: %v", err)
	}
	if lo.Subject != p.ID || lo.SessionID != id.SessionID {
		t.Errorf("logout %+v, want sub %s sid %s", lo, p.ID, id.SessionID)
	}
	if _, err := c.VerifyLogoutToken(context.Background(), got[0]); !errors.Is(err, ErrLogoutInvalid) {
		t.Errorf("replayed logout token: %v, want refused", err)
	}

	now := w.sc.Now()
	valid := func() map[string]any {
		return map[string]any{
			"iss": w.urls.CIS2Issuer, "aud": rpClientID, "iat": now.Unix(), "exp": now.Add(2 * time.Minute).Unix(),
			"jti": "jti-" + time.Now().Format(time.RFC3339Nano), "sub": p.ID, "sid": id.SessionID,
			"events": map[string]any{"http://schemas.openid.net/event/backchannel-logout": map[string]any{}},
		}
	}
	if _, err := c.VerifyLogoutToken(context.Background(), w.forge(valid())); err != nil {
		t.Fatalf("a well-formed forged control token: %v", err)
	}
	for name, change := range map[string]func(map[string]any){
		"with a nonce":         func(m map[string]any) { m["nonce"] = "n" },
		"without events":       func(m map[string]any) { delete(m, "events") },
		"for another client":   func(m map[string]any) { m["aud"] = otherClientID },
		"from another issuer":  func(m map[string]any) { m["iss"] = "https://elsewhere:443/x" },
		"without iat":          func(m map[string]any) { delete(m, "iat") },
		"issued in the future": func(m map[string]any) { m["iat"] = now.Add(2 * time.Minute).Unix() },
		"expired":              func(m map[string]any) { m["exp"] = now.Add(-time.Second).Unix() },
		"without sub or sid":   func(m map[string]any) { delete(m, "sub"); delete(m, "sid") },
		"without jti":          func(m map[string]any) { delete(m, "jti") },
	} {
		t.Run(name, func(t *testing.T) {
			m := valid()
			m["jti"] = name
			change(m)
			if _, err := c.VerifyLogoutToken(context.Background(), w.forge(m)); !errors.Is(err, ErrLogoutInvalid) {
				t.Errorf("%s: %v, want ErrLogoutInvalid", name, err)
			}
		})
	}
	t.Run("an ID token is not a logout token", func(t *testing.T) {
		if _, err := c.VerifyLogoutToken(context.Background(), id.IDToken); !errors.Is(err, ErrLogoutInvalid) {
			t.Errorf("ID token as logout token: %v", err)
		}
	})
}

func TestTheJTICacheIsBounded(t *testing.T) {
	c := newJTICache(3)
	now := time.Unix(1_000_000, 0)
	for i, j := range []string{"a", "b", "c", "d"} {
		if !c.claim(j, now.Add(time.Duration(i+1)*time.Minute), now) {
			t.Fatalf("%s refused", j)
		}
	}
	if len(c.seen) > 3 {
		t.Errorf("cache holds %d entries, want at most 3", len(c.seen))
	}
	if c.claim("d", now.Add(time.Hour), now) {
		t.Error("a replay of the newest jti was accepted")
	}
	if !c.claim("d", now.Add(time.Hour), now.Add(5*time.Minute)) {
		t.Error("a jti whose memory ended was refused")
	}
}
