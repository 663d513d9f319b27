package faults

import (
	"encoding/json"
	"strings"
	"testing"
	"time"
)

func TestDecideAppliesOnlyTheRulesOfTheOperation(t *testing.T) {
	in := NewInjector(1)
	if err := in.SetPlan(Plan{Rules: []Rule{
		{Op: "A016", Latency: Duration(200 * time.Millisecond), ErrorRate: 1, Status: 504},
		{Latency: Duration(10 * time.Millisecond)},
	}}); err != nil {
		t.Fatal(err)
	}
	if d := in.Decide("A016"); d.Status != 504 || d.Delay != 210*time.Millisecond {
		t.Errorf("A016: %+v, want 504 after 210ms", d)
	}
	if d := in.Decide("A005"); d.Status != 0 || d.Delay != 10*time.Millisecond {
		t.Errorf("A005: %+v, want only the 10ms for all", d)
	}
}

func TestDecideFiresAtTheConfiguredShareAndRepeatsWithTheSeed(t *testing.T) {
	plan := Plan{Rules: []Rule{{ErrorRate: 0.25, Status: 503, RetryAfter: Duration(2 * time.Second), Jitter: Duration(time.Millisecond)}}}
	run := func() (fired int, trace []Decision) {
		in := NewInjector(42)
		if err := in.SetPlan(plan); err != nil {
			t.Fatal(err)
		}
		for range 4000 {
			d := in.Decide("A008")
			trace = append(trace, d)
			if d.Status == 503 {
				fired++
				if d.RetryAfter != 2*time.Second {
					t.Fatalf("Retry-After %v, want 2s", d.RetryAfter)
				}
			}
		}
		return fired, trace
	}
	fired, first := run()
	if fired < 800 || fired > 1200 {
		t.Errorf("503 fired %d times in 4000, want about 1000", fired)
	}
	_, second := run()
	for i := range first {
		if first[i] != second[i] {
			t.Fatalf("decision %d differs between runs with the same seed: %+v vs %+v", i, first[i], second[i])
		}
	}
}

func TestAnEmptyPlanServesEverything(t *testing.T) {
	if d := NewInjector(1).Decide("A005"); d != (Decision{}) {
		t.Errorf("empty plan decided %+v", d)
	}
}

func TestPlansAreValidated(t *testing.T) {
	for name, p := range map[string]Plan{
		"a status that cannot be injected": {Rules: []Rule{{ErrorRate: 0.5, Status: 404}}},
		"a share above one":                {Rules: []Rule{{DropRate: 1.5}}},
		"a negative latency":               {Rules: []Rule{{Latency: Duration(-time.Second)}}},
		"a negative write hold":            {WriteHold: Duration(-time.Second)},
	} {
		if err := NewInjector(1).SetPlan(p); err == nil {
			t.Errorf("%s was accepted", name)
		}
	}
}

func TestParseRuleReadsTheCommandLineForm(t *testing.T) {
	r, err := ParseRule("op=A016, latency=200ms,jitter=50ms,error_rate=0.1,status=504,drop_rate=0.01,slow_body=2s,retry_after=3s")
	if err != nil {
		t.Fatal(err)
	}
	want := Rule{Op: "A016", Latency: Duration(200 * time.Millisecond), Jitter: Duration(50 * time.Millisecond), ErrorRate: 0.1, Status: 504,
		DropRate: 0.01, SlowBody: Duration(2 * time.Second), RetryAfter: Duration(3 * time.Second)}
	if r != want {
		t.Errorf("got %+v, want %+v", r, want)
	}
	for _, bad := range []string{"latency", "speed=3", "latency=soon", "error_rate=0.5,status=418"} {
		if _, err := ParseRule(bad); err == nil {
			t.Errorf("ParseRule(%q) accepted", bad)
		}
	}
}

func TestParseRuleErrorsSayWhatIsWrongWithoutARuleNumber(t *testing.T) {
	for in, want := range map[string]string{
		"slow":                              `"slow" is not key=value`,
		"speed=3":                           `unknown key "speed"`,
		"latency=soon":                      `latency: "soon" is not a duration`,
		"error_rate=lots,status=503":        `error_rate: "lots" is not a share from 0 to 1`,
		"drop_rate=NaN":                     "error_rate and drop_rate are shares from 0 to 1",
		"error_rate=0.5,status=bad":         `status: "bad" is not a status`,
		"op=A016,error_rate=0.5,status=418": "status 418 cannot be injected; use 500, 502, 503 or 504",
		"latency=-1s":                       "durations must not be negative",
	} {
		_, err := ParseRule(in)
		if err == nil {
			t.Errorf("ParseRule(%q) accepted", in)
			continue
		}
		if msg := err.Error(); !strings.HasPrefix(msg, want) || strings.Contains(msg, "rule") || strings.Contains(msg, "strconv") {
			t.Errorf("ParseRule(%q) error %q, want it to start %q and name no rule number or Go function", in, msg, want)
		}
	}
}

func TestPlanErrorsNameTheRule(t *testing.T) {
	err := Plan{Rules: []Rule{{}, {Op: "A016", ErrorRate: 0.5, Status: 200}}}.Validate()
	if err == nil || err.Error() != "rule 2 (A016): status 200 cannot be injected; use 500, 502, 503 or 504" {
		t.Errorf("Validate: %v", err)
	}
}

func TestPlansRoundTripThroughJSON(t *testing.T) {
	in := `{"rules":[{"op":"A016","latency":"250ms","error_rate":0.5,"status":502}],"write_hold":"1s"}`
	var p Plan
	if err := json.Unmarshal([]byte(in), &p); err != nil {
		t.Fatal(err)
	}
	if p.Rules[0].Latency != Duration(250*time.Millisecond) || p.WriteHold != Duration(time.Second) {
		t.Errorf("decoded %+v", p)
	}
	out, _ := json.Marshal(p)
	if !strings.Contains(string(out), `"latency":"250ms"`) {
		t.Errorf("encoded %s", out)
	}
}

func TestLimiterCountsEachApplicationSeparately(t *testing.T) {
	l := NewLimiter(0.001, 2) // two calls, then none for a long while
	for i, want := range []bool{true, true, false} {
		if got := l.Allow("app-a"); got != want {
			t.Errorf("app-a call %d: %v, want %v", i+1, got, want)
		}
	}
	if !l.Allow("app-b") {
		t.Error("app-b was limited by app-a's calls")
	}
}
