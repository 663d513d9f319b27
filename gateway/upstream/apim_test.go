package upstream

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/ers-workstation/ers-workstation/sandbox/apim"
	"github.com/ers-workstation/ers-workstation/sandbox/cis2"
)

func TestRefreshRotatesAndASpentTokenIsInvalidGrant(t *testing.T) {
	w := newWorld(t, 0)
	a := w.apimClient(nil)
	_, first, err := w.signIn(w.cis2Client(rpClientID), a, cis2.PersonaProviderAdmin)
	if err != nil {
		t.Fatal(err)
	}
	w.gw.Advance(5 * time.Minute)
	w.sc.Advance(5 * time.Minute)
	second, err := a.Refresh(context.Background(), first.RefreshToken)
	if err != nil {
		t.Fatalf("refresh: %v", err)
	}
	if second.RefreshCount != 1 || second.AccessToken == first.AccessToken || second.RefreshToken == first.RefreshToken ||
		second.AccessExpires != w.gw.Now().Add(599*time.Second) {
		t.Errorf("refreshed: count %d, new tokens %v, access expires %v", second.RefreshCount,
			second.AccessToken != first.AccessToken, second.AccessExpires)
	}
	if s := w.ersStatus(second.AccessToken); s != http.StatusOK {
		t.Errorf("A030 with the refreshed token: %d", s)
	}
	_, err = a.Refresh(context.Background(), first.RefreshToken)
	if oe := oauthError(t, err); !oe.InvalidGrant() {
		t.Errorf("reused refresh token: %+v, want invalid_grant", oe)
	}
	if strings.Contains(err.Error(), first.RefreshToken) {
		t.Error("the error holds the refresh token")
	}
}

func TestTheRefreshWindowEndsInInvalidGrant(t *testing.T) {
	w := newWorld(t, 0)
	a := w.apimClient(url.Values{apim.KnobRefreshTokensValidity: {"60000"}})
	_, tok, err := w.signIn(w.cis2Client(rpClientID), a, cis2.PersonaReferrer)
	if err != nil {
		t.Fatal(err)
	}
	if tok.RefreshExpires != w.gw.Now().Add(59*time.Second) {
		t.Errorf("refresh expires %v, want the shortened window", tok.RefreshExpires.Sub(w.gw.Now()))
	}
	w.sc.Advance(61 * time.Second)
	w.gw.Advance(61 * time.Second)
	_, err = a.Refresh(context.Background(), tok.RefreshToken)
	if oe := oauthError(t, err); !oe.InvalidGrant() || !strings.Contains(oe.Description, "refresh period") {
		t.Errorf("refresh after the window: %+v", oe)
	}
}

func TestAnIDTokenExpiredByTheTimeOfTheExchangeIsRefusedByAPIM(t *testing.T) {
	w := newWorld(t, 0)
	c, a := w.cis2Client(rpClientID), w.apimClient(nil)
	id, err := c.Redeem(context.Background(), w.code(c, cis2.PersonaReferrer, testNonce), testVerifier, testNonce)
	if err != nil {
		t.Fatal(err)
	}
	w.sc.Advance(cis2.DefaultIDTokenLifetime + time.Minute)
	w.gw.Advance(cis2.DefaultIDTokenLifetime + time.Minute)
	_, err = a.Exchange(context.Background(), id.IDToken)
	oe := oauthError(t, err)
	if oe.Status != http.StatusBadRequest || oe.Code != "invalid_request" || !strings.Contains(oe.Description, "subject_token") {
		t.Errorf("exchange of an expired ID token: %+v", oe)
	}
}

func TestUnreachableOrFailingServicesAreUnavailable(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closed := "http://" + ln.Addr().String()
	ln.Close()
	failing := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusServiceUnavailable)
		_, _ = w.Write([]byte(`{"error":"server_error","error_description":"down"}`))
	}))
	defer failing.Close()
	w := newWorld(t, 0)

	for name, tokenURL := range map[string]string{"refused": closed + apim.TokenPath, "503": failing.URL + apim.TokenPath} {
		t.Run("APIM "+name, func(t *testing.T) {
			a, err := NewAPIM(APIMOptions{TokenURL: tokenURL, APIKey: rpAPIKey, AppSecret: rpSecret, Signer: w.keys})
			if err != nil {
				t.Fatal(err)
			}
			_, err = a.Exchange(context.Background(), "header.payload.signature")
			if !errors.Is(err, ErrUnavailable) || !strings.Contains(err.Error(), "APIM") {
				t.Errorf("exchange: %v, want ErrUnavailable naming APIM", err)
			}
			_, err = a.Refresh(context.Background(), "a-refresh-token")
			if !errors.Is(err, ErrUnavailable) || strings.Contains(err.Error(), "a-refresh-token") {
				t.Errorf("refresh: %v, want ErrUnavailable without the token", err)
			}
		})
	}
	t.Run("CIS2 discovery", func(t *testing.T) {
		_, err := NewCIS2(context.Background(), CIS2Options{Issuer: closed + cis2.IssuerPath, ClientID: rpClientID,
			RedirectURL: rpRedirect, Signer: w.keys})
		if !errors.Is(err, ErrUnavailable) || !strings.Contains(err.Error(), "CIS2") {
			t.Errorf("discovery: %v, want ErrUnavailable naming CIS2", err)
		}
	})
	t.Run("a client without a timeout gets one", func(t *testing.T) {
		if c := httpClient(&http.Client{}); c.Timeout != DefaultTimeout {
			t.Errorf("timeout %v", c.Timeout)
		}
	})
}

func TestTheIssuerMustMatchExactly(t *testing.T) {
	w := newWorld(t, 0)
	_, err := NewCIS2(context.Background(), CIS2Options{Issuer: w.urls.CIS2Issuer + "/", ClientID: rpClientID,
		RedirectURL: rpRedirect, Signer: w.keys})
	if err == nil || errors.Is(err, ErrUnavailable) {
		t.Fatalf("an issuer with a trailing slash: %v, want a mismatch error", err)
	}
}

func TestAPIMOptionsAreChecked(t *testing.T) {
	w := newWorld(t, 0)
	for name, o := range map[string]APIMOptions{
		"no URL":      {APIKey: "k", Signer: w.keys},
		"a query":     {TokenURL: "https://x/oauth2/token?a=b", APIKey: "k", Signer: w.keys},
		"no API key":  {TokenURL: "https://x/oauth2/token", Signer: w.keys},
		"no signer":   {TokenURL: "https://x/oauth2/token", APIKey: "k"},
		"not http(s)": {TokenURL: "ftp://x/oauth2/token", APIKey: "k", Signer: w.keys},
	} {
		if _, err := NewAPIM(o); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}
