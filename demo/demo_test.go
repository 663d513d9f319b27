package demo

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"net"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/ers-workstation/ers-workstation/dpop"
	"github.com/ers-workstation/ers-workstation/gatewayapi"
	"github.com/ers-workstation/ers-workstation/sandbox/cis2"
)

// startDemo starts a small demo and closes it when the test ends.
func startDemo(t testing.TB, o Options) *Demo {
	t.Helper()
	if o.Referrals == 0 {
		o.Referrals = 30
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	d, err := Start(ctx, o)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := d.Close(); err != nil {
			t.Errorf("close: %v", err)
		}
	})
	return d
}

// loopback is the workstation's one-shot callback listener, reduced to
// what the test needs: it records the query of the first /callback request.
type loopback struct {
	url  string
	got  chan url.Values
	stop func()
}

func newLoopback(t testing.TB) *loopback { return newLoopbackAnswering(t, http.StatusOK) }

// newLoopbackAnswering is a loopback that answers with status.
func newLoopbackAnswering(t testing.TB, status int) *loopback {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	l := &loopback{url: "http://" + ln.Addr().String() + "/callback", got: make(chan url.Values, 1)}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /callback", func(w http.ResponseWriter, r *http.Request) {
		select {
		case l.got <- r.URL.Query():
		default:
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.WriteHeader(status)
		w.Write([]byte("<p>Signed in. Return to the terminal.</p>"))
	})
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	go srv.Serve(ln)
	l.stop = func() { srv.Close() }
	t.Cleanup(l.stop)
	return l
}

// client is the workstation's side of the protocol, by hand.
type client struct {
	t        testing.TB
	gw       string
	key      *dpop.Key
	verifier string
	token    string
}

func newClient(t testing.TB, gw string) *client {
	t.Helper()
	k, err := dpop.NewKey()
	if err != nil {
		t.Fatal(err)
	}
	v := make([]byte, 48)
	rand.Read(v)
	return &client{t: t, gw: gw, key: k, verifier: base64.RawURLEncoding.EncodeToString(v)}
}

func (c *client) call(method, path string, in, out any) (int, gatewayapi.ErrorBody) {
	c.t.Helper()
	var body bytes.Buffer
	if in != nil {
		json.NewEncoder(&body).Encode(in)
	}
	req, err := http.NewRequest(method, c.gw+path, &body)
	if err != nil {
		c.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	hc := &http.Client{Timeout: 10 * time.Second, Transport: &dpop.Transport{
		Key: c.key, Origin: c.gw, Token: func() string { return c.token },
	}}
	resp, err := hc.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer resp.Body.Close()
	var eb gatewayapi.ErrorBody
	if resp.StatusCode != http.StatusOK {
		json.NewDecoder(resp.Body).Decode(&eb)
		return resp.StatusCode, eb
	}
	if out != nil {
		if err := json.NewDecoder(resp.Body).Decode(out); err != nil {
			c.t.Fatal(err)
		}
	}
	return resp.StatusCode, eb
}

func (c *client) login(mode, redirectURI, state string) gatewayapi.LoginResponse {
	c.t.Helper()
	sum := sha256.Sum256([]byte(c.verifier))
	var lr gatewayapi.LoginResponse
	if status, eb := c.call(http.MethodPost, gatewayapi.LoginPath, gatewayapi.LoginRequest{
		Mode: mode, RedirectURI: redirectURI, State: state,
		CodeChallenge: base64.RawURLEncoding.EncodeToString(sum[:]), CodeChallengeMethod: "S256",
		JWK: c.key.PublicJWK(),
	}, &lr); status != http.StatusOK {
		c.t.Fatalf("login: %d %+v", status, eb)
	}
	return lr
}

func TestTheBrowserFollowsTheWholeChainToTheLoopbackAndTheCodeRedeemsForASession(t *testing.T) {
	d := startDemo(t, Options{})
	lb := newLoopback(t)
	c := newClient(t, d.GatewayURL)
	lr := c.login(gatewayapi.ModeLoopback, lb.url, "state-123")

	if err := d.Browser(d.Persona)(lr.VerificationURI); err != nil {
		t.Fatal(err)
	}
	var q url.Values
	select {
	case q = <-lb.got:
	default:
		t.Fatal("the browser returned without reaching the loopback")
	}
	if q.Get("state") != "state-123" || q.Get("code") == "" {
		t.Fatalf("loopback got state %q and a code %v; want the state echoed and a code", q.Get("state"), q.Get("code") != "")
	}

	var tr gatewayapi.TokenResponse
	if status, eb := c.call(http.MethodPost, gatewayapi.TokenPath,
		gatewayapi.TokenRequest{LoginID: lr.LoginID, Code: q.Get("code"), CodeVerifier: c.verifier}, &tr); status != http.StatusOK {
		t.Fatalf("redeem: %d %+v", status, eb)
	}
	c.token = tr.SessionToken
	persona, _ := cis2.FindPersona(cis2.Personas(), DefaultPersona)
	if tr.User.Subject != persona.ID {
		t.Errorf("signed in as %q, want the persona %s (%s)", tr.User.Subject, persona.Key, persona.ID)
	}
	var roles gatewayapi.RolesResponse
	if status, eb := c.call(http.MethodGet, gatewayapi.RolesPath, nil, &roles); status != http.StatusOK {
		t.Fatalf("roles: %d %+v", status, eb)
	}
	if len(roles.Roles) == 0 || roles.Roles[0].ODS != cis2.ProviderODS {
		t.Errorf("roles %+v, want the provider admin's role at %s", roles.Roles, cis2.ProviderODS)
	}
}

func TestTheBrowserSignsInAsThePersonaItIsGiven(t *testing.T) {
	d := startDemo(t, Options{Persona: cis2.PersonaReferrer})
	if d.Persona != cis2.PersonaReferrer {
		t.Fatalf("Persona = %q", d.Persona)
	}
	c := newClient(t, d.GatewayURL)
	lr := c.login(gatewayapi.ModeRemote, "", "")
	if err := d.Browser(cis2.PersonaReferrer)(lr.VerificationURI); err != nil {
		t.Fatalf("remote mode ends at the gateway's page: %v", err)
	}
	var tr gatewayapi.TokenResponse
	if status, eb := c.call(http.MethodPost, gatewayapi.TokenPath,
		gatewayapi.TokenRequest{LoginID: lr.LoginID, CodeVerifier: c.verifier}, &tr); status != http.StatusOK {
		t.Fatalf("poll: %d %+v", status, eb)
	}
	persona, _ := cis2.FindPersona(cis2.Personas(), cis2.PersonaReferrer)
	if tr.User.Subject != persona.ID {
		t.Errorf("signed in as %q, want %s", tr.User.Subject, persona.ID)
	}
}

func TestTheBrowserReportsTheStepThatFailed(t *testing.T) {
	d := startDemo(t, Options{})
	t.Run("an unknown login link fails at the first step", func(t *testing.T) {
		err := d.Browser(d.Persona)(d.GatewayURL + "/l/NOPE-NOPE")
		if !errors.Is(err, ErrStalled) || !strings.Contains(err.Error(), "opening the sign-in link") {
			t.Fatalf("err = %v", err)
		}
	})
	t.Run("an address off loopback is never visited", func(t *testing.T) {
		err := d.Browser(d.Persona)("http://example.invalid/l/ABCD")
		if !errors.Is(err, ErrStalled) || !strings.Contains(err.Error(), "refusing to leave loopback") {
			t.Fatalf("err = %v", err)
		}
	})
	t.Run("a persona CIS2 will not approve stops at CIS2, reported", func(t *testing.T) {
		lb := newLoopback(t)
		c := newClient(t, d.GatewayURL)
		lr := c.login(gatewayapi.ModeLoopback, lb.url, "s")
		err := d.Browser(cis2.PersonaAAL1)(lr.VerificationURI)
		if !errors.Is(err, ErrStalled) || !strings.Contains(err.Error(), `signing in at CIS2 as "aal1": CIS2 did not approve`) {
			t.Fatalf("err = %v", err)
		}
		select {
		case q := <-lb.got:
			t.Errorf("the loopback was reached: %v", q)
		default:
		}
	})
}

func TestAnErrorAtTheLoopbackIsReportedButIsNotAStall(t *testing.T) {
	d := startDemo(t, Options{})
	lb := newLoopbackAnswering(t, http.StatusBadRequest)
	c := newClient(t, d.GatewayURL)
	lr := c.login(gatewayapi.ModeLoopback, lb.url, "s")
	err := d.Browser(d.Persona)(lr.VerificationURI)
	if err == nil || errors.Is(err, ErrStalled) {
		t.Fatalf("err = %v, want an error that is not ErrStalled: the workstation was answered", err)
	}
	if strings.Contains(err.Error(), "code=") || strings.Contains(err.Error(), "state=") {
		t.Errorf("the error shows the loopback's query: %v", err)
	}
	select {
	case <-lb.got:
	default:
		t.Error("the loopback was not reached")
	}
}

func TestStartRefusesAnUnknownPersonaAndBadCounts(t *testing.T) {
	for _, o := range []Options{{Persona: "nobody"}, {Referrals: -1}} {
		if _, err := Start(context.Background(), o); err == nil {
			t.Errorf("Start(%+v) = nil error", o)
		}
	}
}

func TestCloseStopsTheServers(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	d, err := Start(ctx, Options{Referrals: 10})
	if err != nil {
		t.Fatal(err)
	}
	if err := d.Close(); err != nil {
		t.Fatal(err)
	}
	_, err = (&http.Client{Timeout: 2 * time.Second}).Get(d.GatewayURL + "/healthz")
	var op *net.OpError
	if !errors.As(err, &op) {
		t.Errorf("gateway still answers after Close: %v", err)
	}
}
