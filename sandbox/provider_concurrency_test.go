package sandbox

import (
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ers-workstation/ers-workstation/ersclient"
	"github.com/ers-workstation/ers-workstation/sandbox/store"
)

// provSend is a raw call safe to make from any goroutine: it reports
// rather than failing the test.
func provSend(e *testEnv, path, body string, headers map[string]string) (int, error) {
	req, err := http.NewRequest(http.MethodPost, e.srv.URL+path, strings.NewReader(body))
	if err != nil {
		return 0, err
	}
	req.Header.Set("Authorization", "Bearer test-token")
	if body != "" {
		req.Header.Set("Content-Type", fhirJSON)
	}
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	io.Copy(io.Discard, resp.Body) //nolint:errcheck // only the status matters
	return resp.StatusCode, nil
}

// provRace sends the calls at once and returns their statuses.
func provRace(t *testing.T, e *testEnv, calls []func() (int, error)) []int {
	t.Helper()
	statuses := make([]int, len(calls))
	errs := make([]error, len(calls))
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i, call := range calls {
		wg.Go(func() {
			<-start
			statuses[i], errs[i] = call()
		})
	}
	close(start)
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	return statuses
}

// Many clinicians act on the same referral at the same version: accept,
// reject and cancel-action-later, then (round two) referrers cancel it at
// the next version. Exactly one call wins each version; every other gets
// 409 (it saw the new version) or 423 (it met the update in progress);
// the referral shows the winner's change and nothing else.
func TestConcurrentProviderActionsOnOneReferral(t *testing.T) {
	const callers = 32
	for _, tc := range []struct {
		name string
		hold time.Duration
	}{
		{"while each update applies at once", 0},
		{"while each update holds the record", 20 * time.Millisecond},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newTestEnv(t, provBookedWorld)
			e.store.SetWriteHold(tc.hold)
			spc := provHeaders(userSPC, ersclient.ServiceProviderClinician, orgTrust, "1")
			actions := []struct{ op, body string }{
				{"$ers.acceptReferral", ""},
				{"$ers.rejectReferral", provParams(provCoding("rejectionReason", csApptCanc, "SERVICE_INAPPROPRIATE"))},
				{"$ers.cancelAppointmentActionLater", provParams(provString("comments", "Please rebook"))},
			}
			var calls []func() (int, error)
			for i := range callers {
				a := actions[i%len(actions)]
				calls = append(calls, func() (int, error) { return provSend(e, provPath(provUBRN, a.op), a.body, spc) })
			}
			statuses := provRace(t, e, calls)
			winner := provOneWinner(t, statuses)
			r, appt := provRead(t, e, provUBRN)
			if r.Version != 2 {
				t.Fatalf("after one winning update the referral is version %d, want 2", r.Version)
			}
			switch actions[winner%len(actions)].op {
			case "$ers.acceptReferral":
				if r.State != store.StateBooked || r.ContextStatus != "" || appt.Version != 1 || len(r.History) != 1 {
					t.Errorf("accept won but the referral is %s/%q, appointment v%d, %d history entries", r.State, r.ContextStatus, appt.Version, len(r.History))
				}
			case "$ers.rejectReferral":
				if r.State != store.StateRejected || appt.Status != "cancelled" || appt.Version != 2 || len(r.History) != 2 {
					t.Errorf("reject won but the referral is %s, appointment %s v%d, %d history entries", r.State, appt.Status, appt.Version, len(r.History))
				}
			default:
				if r.State != store.StateTriagedToAction || appt.Status != "proposed" || appt.Version != 2 || len(r.History) != 2 {
					t.Errorf("cancel-action-later won but the referral is %s, appointment %s v%d, %d history entries", r.State, appt.Status, appt.Version, len(r.History))
				}
			}

			rc := provHeaders(userRC, ersclient.ReferringClinician, orgGP, "2")
			cancel := provParams(provCoding("cancellationReason", csRefCanc, "RAISED_IN_ERROR"))
			calls = calls[:0]
			for range callers {
				calls = append(calls, func() (int, error) { return provSend(e, provPath(provUBRN, "$ers.cancelReferral"), cancel, rc) })
			}
			provOneWinner(t, provRace(t, e, calls))
			r, _ = provRead(t, e, provUBRN)
			if r.Version != 3 || r.State != store.StateCancelledReferral || r.History[len(r.History)-1].State != store.StateCancelledReferral {
				t.Errorf("after the cancellation the referral is v%d %s", r.Version, r.State)
			}
		})
	}
}

// provOneWinner checks that exactly one call succeeded and every other got
// 409 or 423, and returns the winner's index.
func provOneWinner(t *testing.T, statuses []int) int {
	t.Helper()
	winner, conflicts, locked := -1, 0, 0
	for i, s := range statuses {
		switch s {
		case http.StatusOK:
			if winner >= 0 {
				t.Fatalf("calls %d and %d both succeeded at the same version", winner, i)
			}
			winner = i
		case http.StatusConflict:
			conflicts++
		case http.StatusLocked:
			locked++
		default:
			t.Fatalf("call %d got %d, want 200, 409 or 423", i, s)
		}
	}
	if winner < 0 {
		t.Fatalf("no call succeeded: %v", statuses)
	}
	t.Logf("one winner, %d conflicts, %d locked", conflicts, locked)
	return winner
}
