package upstream

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"
)

func TestUserinfoMustNameTheSameSubject(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.Header.Get("Authorization") {
		case "Bearer other":
			_, _ = w.Write([]byte(`{"sub":"999999999999","name":"Someone Else"}`))
		case "Bearer same":
			_, _ = w.Write([]byte(`{"sub":"656005750104","given_name":"Amelia","family_name":"Hart"}`))
		default:
			w.WriteHeader(http.StatusBadGateway)
		}
	}))
	defer srv.Close()
	c := &CIS2{http: httpClient(nil), userInfo: srv.URL}
	if _, err := c.userName(context.Background(), "other", "656005750104"); !errors.Is(err, ErrIDTokenInvalid) {
		t.Errorf("another subject: %v, want ErrIDTokenInvalid", err)
	}
	if name, err := c.userName(context.Background(), "same", "656005750104"); err != nil || name != "Amelia Hart" {
		t.Errorf("same subject: %q %v", name, err)
	}
	if _, err := c.userName(context.Background(), "down", "656005750104"); !errors.Is(err, ErrUnavailable) {
		t.Errorf("userinfo failing: %v, want ErrUnavailable", err)
	}
}
