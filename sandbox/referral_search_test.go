package sandbox

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/ers-workstation/ers-workstation/ersclient"
	"github.com/ers-workstation/ers-workstation/ersclient/fhir"
)

func TestSearchServiceRequestFindsTheRequestsOfAUBRN(t *testing.T) {
	e := newTestEnv(t, h1World)
	type match struct{ id, status string }
	cases := []struct {
		name   string
		client *ersclient.Client
		ubrn   string
		want   []match
	}{
		{"a referral has one r. id", e.rc(), ubrnBooked, []match{{"r.00000000-0000-4000-8000-" + ubrnBooked, "active"}}},
		{"an advice request has one a. id", e.rc(), ubrnAdvice, []match{{"a.11111111-2222-4333-8444-555555555555", "active"}}},
		{"a converted advice request has both, the referral first", e.rc(), ubrnConverted,
			[]match{{"r.66666666-7777-4888-8999-000000000001", "active"}, {"a.66666666-7777-4888-8999-000000000000", "completed"}}},
		{"the provider of the service finds it too", e.spc(), ubrnBooked, []match{{"r.00000000-0000-4000-8000-" + ubrnBooked, "active"}}},
		{"an unknown UBRN finds nothing", e.rc(), "000000079999", nil},
		{"another organisation's request is not revealed", e.client(userRC2, ersclient.ReferringClinician, orgGP2, ""), ubrnBooked, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := tc.client.SearchServiceRequests(context.Background(), tc.ubrn)
			if err != nil {
				t.Fatal(err)
			}
			if len(got.Matches) != len(tc.want) || got.Bundle.Total == nil || *got.Bundle.Total != int64(len(tc.want)) {
				t.Fatalf("got %+v", got.Matches)
			}
			for i, m := range got.Matches {
				if m.ID != tc.want[i].id || m.Status != tc.want[i].status || m.UBRN != tc.ubrn || m.NHSNumber != "9990001235" || m.Version == "" {
					t.Errorf("match %d: %+v, want %+v", i, m, tc.want[i])
				}
			}
		})
	}
}

func TestSearchServiceRequestQueryRules(t *testing.T) {
	e := newTestEnv(t, h1World)
	h := userHeaders(userRC, ersclient.ReferringClinician, orgGP)
	cases := []struct {
		name       string
		query      string
		status     int
		wantResult int
	}{
		{"a bare UBRN is accepted", "identifier=" + ubrnBooked, 200, 1},
		{"a UBRN with its system is accepted", "identifier=" + url.QueryEscape(fhir.SystemUBRN+"|"+ubrnBooked), 200, 1},
		{"the identifier is mandatory", "", 400, 0},
		{"an empty identifier is refused", "identifier=", 400, 0},
		{"another system is refused", "identifier=" + url.QueryEscape("https://fhir.nhs.uk/Id/nhs-number|9990001235"), 400, 0},
		{"something that is not a UBRN is refused", "identifier=abc", 400, 0},
		{"unknown parameters are refused", "identifier=" + ubrnBooked + "&status=active", 400, 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			status, _, body := e.raw(http.MethodGet, BasePath+"/R4/ServiceRequest?"+tc.query, "", h)
			if status != tc.status {
				t.Fatalf("got %d %s", status, body)
			}
			if status == 400 {
				if !strings.Contains(string(body), `"code":"REC_BAD_REQUEST"`) || !strings.Contains(string(body), fhir.CSHTTPErrorCodes) ||
					!strings.Contains(string(body), `"code":"required"`) {
					t.Errorf("not an R4 REC_BAD_REQUEST outcome: %s", body)
				}
				return
			}
			var b fhir.Bundle
			if err := fhir.Unmarshal(body, &b); err != nil {
				t.Fatal(err)
			}
			if len(b.Entry) != tc.wantResult || b.Type != "searchset" || b.Timestamp == "" || b.Meta == nil || b.Meta.LastUpdated == "" {
				t.Errorf("bundle %+v", b)
			}
			if want := e.srv.URL + "/referrals/FHIR/R4/ServiceRequest/r."; !strings.HasPrefix(b.Entry[0].FullURL, want) {
				t.Errorf("fullUrl %s", b.Entry[0].FullURL)
			}
			if self := b.LinkURL("self"); !strings.HasPrefix(self, e.srv.URL+"/referrals/FHIR/R4/ServiceRequest?identifier=") {
				t.Errorf("self link %s", self)
			}
		})
	}
	t.Run("the advice entry is coded as advice and guidance", func(t *testing.T) {
		_, _, body := e.raw(http.MethodGet, BasePath+"/R4/ServiceRequest?identifier="+ubrnConverted, "", h)
		var b struct {
			Entry []struct {
				Resource struct {
					Intent   string
					Category []struct {
						Coding []struct{ System, Code string }
					}
					Code *struct {
						Coding []struct{ System, Code string }
					}
					Subject struct {
						Identifier struct{ System, Value string }
					}
				}
			}
		}
		if err := json.Unmarshal(body, &b); err != nil || len(b.Entry) != 2 {
			t.Fatalf("%v %s", err, body)
		}
		ref, adv := b.Entry[0].Resource, b.Entry[1].Resource
		if ref.Category[0].Coding[0].Code != "referral" || ref.Code != nil || ref.Intent != "order" || ref.Subject.Identifier.System != fhir.SystemNHSNumberR4 {
			t.Errorf("referral entry %+v", ref)
		}
		if adv.Category[0].Coding[0].Code != "request" || adv.Code == nil || adv.Code.Coding[0].Code != "advice-and-guidance" {
			t.Errorf("advice entry %+v", adv)
		}
	})
	t.Run("a referring admin is refused by role", func(t *testing.T) {
		status, _, _ := e.raw(http.MethodGet, BasePath+"/R4/ServiceRequest?identifier="+ubrnBooked, "", userHeaders(userRA, ersclient.ReferringAdmin, orgGP))
		if status != 403 {
			t.Errorf("got %d", status)
		}
	})
	t.Run("an application may not search", func(t *testing.T) {
		status, _, _ := e.raw(http.MethodGet, BasePath+"/R4/ServiceRequest?identifier="+ubrnBooked, "",
			map[string]string{HeaderSandboxApp: appProvider, HeaderSandboxAppRestricted: "true"})
		if status != 403 {
			t.Errorf("got %d", status)
		}
	})
}
