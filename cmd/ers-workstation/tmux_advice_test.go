package main

import (
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ers-workstation/ers-workstation/ersclient"
	"github.com/ers-workstation/ers-workstation/sandbox/cis2"
)

// seedQuestions are the first messages the simulator's seed writes into an
// A&G conversation (askTexts in sandbox/seed/synthetic_advice.go, askText in
// examples_advice.go): every request opens with one of them.
var seedQuestions = []string{
	"Please advise on management: symptoms for three months despite first-line treatment.",
	"Abnormal result on routine testing; is referral needed or can this be managed in primary care?",
	"Patient anxious about family history; grateful for advice on investigation.",
	"Please advise me on this patient who has had intermittent chest tightness on exertion for three months.",
}

// awaitingCount reads the worklist's "N of M (filter: F)" for filter f.
func awaitingCount(f string) *regexp.Regexp {
	return regexp.MustCompile(`(\d+) of (\d+) \(filter: ` + regexp.QuoteMeta(f) + `\)`)
}

// filtered waits for the count re matches to differ from not (nil: any)
// and returns it with the screen; at the deadline it returns what shows,
// so the caller can say what stayed wrong.
func (x tmux) filtered(what string, re *regexp.Regexp, not []int) ([]int, string) {
	x.t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	var last []int
	for {
		s := x.screen()
		if m := re.FindStringSubmatch(s); m != nil {
			shown, _ := strconv.Atoi(m[1])
			total, _ := strconv.Atoi(m[2])
			last = []int{shown, total}
			if not == nil || shown != not[0] || total != not[1] {
				return last, s
			}
		}
		if time.Now().After(deadline) {
			if last == nil {
				x.t.Fatalf("%s: the count never showed; the screen:\n%s", what, s)
			}
			return last, s
		}
		time.Sleep(100 * time.Millisecond) // polling, with the deadline above
	}
}

var adviceUBRN = regexp.MustCompile(`A&G UBRN (\d{12})`)

// TestTheAdviceFlowInARealTerminal runs the built binary in tmux as a
// provider clinician answering an A&G request (issue 9's "one flow driven
// in tmux"): open the A&G tab, keep the requests awaiting the provider,
// open the first and read its conversation, write a response, leave the
// form and come back to the kept draft, return it with advice, confirm
// with y, see the request go to the referrer with the response in the
// conversation, and back on the worklist one request fewer awaiting the
// provider.
func TestTheAdviceFlowInARealTerminal(t *testing.T) {
	x := startInTmux(t, "--referrals 300 --persona "+cis2.PersonaProviderClinician)
	x.waitFor("the role picker", ersclient.ServiceProviderClinician.Label(), cis2.ProviderODS)
	x.keys("Enter")
	x.waitFor("the home screen", "What would you like to do?", "w  Worklists")
	x.keys("w")
	x.waitFor("the worklists", "Referrals for review", "Advice and guidance requests")
	x.keys("3")
	// The tab's count in digits, not "(…)": its rows are loaded, so "/"
	// (enabled only with rows) filters them.
	loaded := regexp.MustCompile(`Advice and guidance requests \(\d+\)`)
	deadline := time.Now().Add(30 * time.Second)
	for !loaded.MatchString(x.screen()) {
		if time.Now().After(deadline) {
			t.Fatalf("the A&G tab never loaded; the screen:\n%s", x.screen())
		}
		time.Sleep(100 * time.Millisecond) // polling, with the deadline above
	}
	// Only the requests waiting for the provider: the first can be
	// answered, and the count of them is the provider's to-do.
	awaiting := ersclient.AdviceProviderResponseRequired.Label()
	count := awaitingCount(awaiting)
	x.keys("/")
	x.text(awaiting)
	x.keys("Enter")
	before, _ := x.filtered("the requests awaiting the provider", count, nil)
	if before[0] < 1 {
		t.Fatalf("no A&G request awaits the provider:\n%s", x.screen())
	}

	x.keys("Enter")
	opened := x.waitFor("the A&G request", "A&G UBRN", awaiting, "Referrer · user")
	ubrn := adviceUBRN.FindStringSubmatch(opened)[1]
	seen := false
	for _, q := range seedQuestions {
		seen = seen || strings.Contains(opened, q)
	}
	if !seen {
		t.Errorf("none of the seed's questions is in the conversation; the screen:\n%s", opened)
	}

	const response = "Synthetic: start physiotherapy exercises at home and review in six weeks."
	x.keys("w")
	x.waitFor("the response form", "Response to the referrer", "Outcome")
	x.text(response)
	x.waitFor("the typed response", response, strconv.Itoa(len(response))+" / ")
	// esc leaves the text for the conversation; the draft stays.
	x.keys("Escape")
	x.waitFor("the conversation again", "Referrer · user")
	x.keys("w")
	x.waitFor("the kept draft", "Response to the referrer", response)

	x.keys("Tab")
	x.waitFor("the outcome field", "▶ Outcome")
	x.keys("Right")
	x.waitFor("the outcome", "‹ "+ersclient.AdviceReturnWithAdvice.Label()+" ›", "Recommendation")
	x.keys("Tab")
	x.waitFor("the recommendation field", "▶ Recommendation")
	x.keys("Right")
	x.waitFor("the recommendation", "‹ "+ersclient.RecommendAdviceOnly.Label()+" ›")
	x.keys("C-s")
	x.waitFor("the confirmation's contents", "Send A&G response",
		"Outcome: "+ersclient.AdviceReturnWithAdvice.Label()+".", "Recommendation: "+ersclient.RecommendAdviceOnly.Label()+".")
	x.confirm("Send A&G response")

	// The request is now the referrer's to review; "Response sent" is the
	// screen's status, which outlasts the toast.
	x.waitFor("the sent response", "Response sent", ersclient.AdviceReferrerToReviewResponse.Label())
	x.keys("G") // the end of the conversation, where the response is
	after := x.waitFor("the response in the conversation", "Provider · user", response)
	if strings.Contains(after, "Response to the referrer") {
		t.Errorf("the form is still open after sending:\n%s", after)
	}

	x.keys("Escape") // back to the worklist
	x.waitFor("the worklist", "Advice and guidance requests")
	now, s := x.filtered("after responding", count, before)
	if now[0] != before[0]-1 {
		t.Errorf("after responding to %s, %d of %d requests await the provider; want %d (was %d of %d):\n%s",
			ubrn, now[0], now[1], before[0]-1, before[0], before[1], s)
	}
	x.keys("C-c")
}

// TestTheConversionInARealTerminal runs the built binary in tmux as a
// provider clinician converting an A&G request into a referral: find a
// request the referrer allowed to be converted, fill the conversion form
// (final guidance, review comments), confirm with y, read the referral that
// opens, and go back to the request, which shows as converted with nothing
// left loading: the request's reload answers it though the referral was
// on top when it ended.
func TestTheConversionInARealTerminal(t *testing.T) {
	x := startInTmux(t, "--persona "+cis2.PersonaProviderClinician)
	x.waitFor("the role picker", ersclient.ServiceProviderClinician.Label(), cis2.ProviderODS)
	x.keys("Enter")
	x.waitFor("the home screen", "What would you like to do?", "w  Worklists")
	x.keys("w")
	x.waitFor("the worklists", "Advice and guidance requests")
	x.keys("3")
	loaded := regexp.MustCompile(`Advice and guidance requests \(\d+\)`)
	deadline := time.Now().Add(30 * time.Second)
	for !loaded.MatchString(x.screen()) {
		if time.Now().After(deadline) {
			t.Fatalf("the A&G tab never loaded; the screen:\n%s", x.screen())
		}
		time.Sleep(100 * time.Millisecond) // polling, with the deadline above
	}
	awaiting := ersclient.AdviceProviderResponseRequired.Label()
	x.keys("/")
	x.text(awaiting)
	x.keys("Enter")
	if n, s := x.filtered("the requests awaiting the provider", awaitingCount(awaiting), nil); n[0] < 1 {
		t.Fatalf("no A&G request awaits the provider:\n%s", s)
	}

	// The requests in turn, until one the referrer allowed to be converted.
	const allowed = "Conversion to a referral: allowed by the referrer"
	var opened string
	for range 20 {
		x.keys("Enter")
		opened = x.waitFor("an A&G request", "A&G UBRN", awaiting, "Conversion to a referral")
		if strings.Contains(opened, allowed) {
			break
		}
		x.keys("Escape")
		x.waitFor("the worklist", "Advice and guidance requests")
		x.keys("j")
	}
	if !strings.Contains(opened, allowed) {
		t.Fatalf("no request awaiting the provider may be converted; the last:\n%s", opened)
	}
	ubrn := adviceUBRN.FindStringSubmatch(opened)[1]

	const guidance = "Synthetic: we will see the patient in clinic."
	const comments = "Synthetic: book into the next routine clinic."
	x.keys("c")
	x.waitFor("the conversion form", "Final guidance to the referrer", "Review comments for your admin team", "New referral priority")
	x.text(guidance)
	x.keys("Tab")
	x.text(comments)
	x.waitFor("the typed form", guidance, comments)
	x.keys("C-s")
	x.waitFor("the confirmation's contents", "Convert to a referral", "cannot be undone")
	x.confirm("Convert to a referral")

	x.waitFor("the referral", "UBRN "+ubrn, "Triaged - Provider To Action", comments)
	x.keys("Escape")
	x.waitFor("the converted request", "A&G UBRN "+ubrn, ersclient.AdviceConvertedToReferral.Label(), "Converted to a referral")
	deadline = time.Now().Add(10 * time.Second)
	for strings.Contains(x.screen(), "Working…") || strings.Contains(x.screen(), "Loading") {
		if time.Now().After(deadline) {
			t.Fatalf("the A&G screen is still busy after the conversion:\n%s", x.screen())
		}
		time.Sleep(100 * time.Millisecond) // polling, with the deadline above
	}
	x.keys("C-c")
}
