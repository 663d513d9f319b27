package worklist

import (
	"context"
	"errors"
	"strings"

	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"

	"github.com/ers-workstation/ers-workstation/ersclient"
	"github.com/ers-workstation/ers-workstation/ui/screen"
)

// lookup is the UBRN input opened with u: it checks the UBRN, finds what
// it names with A041 and opens that screen.
type lookup struct {
	input textinput.Model
	// problem is what is wrong with what was typed; err a failed A041.
	problem string
	err     error
	busy    bool
	reqID   int
}

// openLookupMsg opens the input (the palette's "ubrn" command sends it).
type openLookupMsg struct{}

// lookedUpMsg is A041's answer for the request reqID.
type lookedUpMsg struct {
	reqID   int
	ubrn    string
	matches *ersclient.ServiceRequestMatches
	err     error
}

// errNoMatch is A041 finding nothing under the UBRN.
var errNoMatch = errors.New("no referral or advice request has this UBRN")

func (m *Model) openLookup() tea.Cmd {
	in := newInput(m.c.Styles, "UBRN: ", "12 digits")
	in.CharLimit = 14 // room for the spaces people type between groups
	in.SetWidth(20)
	m.lookup = &lookup{input: in}
	return m.lookup.input.Focus()
}

func (l *lookup) update(msg tea.Msg) tea.Cmd {
	var cmd tea.Cmd
	l.input, cmd = l.input.Update(msg)
	return cmd
}

// lookupKey: enter checks the UBRN and looks it up, esc closes.
func (m *Model) lookupKey(msg tea.KeyPressMsg) tea.Cmd {
	l := m.lookup
	switch msg.String() {
	case "esc":
		m.lookup = nil
		return nil
	case "enter":
		if l.busy {
			return nil
		}
		ubrn := strings.ReplaceAll(strings.TrimSpace(l.input.Value()), " ", "")
		if p := ubrnProblem(ubrn); p != "" {
			l.problem, l.err = p, nil
			return nil
		}
		l.problem, l.err = "", nil
		if !m.mayLookUp() {
			// A041 is not open to admin roles (SPA, RA): the referral
			// screen's own A005 then says whether the UBRN exists.
			m.lookup = nil
			return openRoute(RouteReferral, ubrn)
		}
		m.lastReq++
		l.busy, l.reqID = true, m.lastReq
		return searchCmd(m.c, ubrn, l.reqID)
	}
	l.problem = ""
	return l.update(msg)
}

// ubrnProblem says what is wrong with a typed UBRN, or "".
func ubrnProblem(ubrn string) string {
	if len(ubrn) != 12 {
		return "A UBRN is 12 digits."
	}
	for _, c := range ubrn {
		if c < '0' || c > '9' {
			return "A UBRN is 12 digits, with no letters or other signs."
		}
	}
	return ""
}

// mayLookUp reports whether the role may call A041 (RC, RCA, SPC, SPCA);
// an unknown role tries.
func (m *Model) mayLookUp() bool {
	if m.role == nil {
		return true
	}
	switch ersclient.BusinessFunction(m.role.BusinessFunction) {
	case ersclient.ReferringAdmin, ersclient.ServiceProviderAdmin:
		return false
	}
	return true
}

func searchCmd(c screen.Common, ubrn string, reqID int) tea.Cmd {
	ers, timeout := c.ERS, c.Timeout
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(context.Background(), timeout)
		defer cancel()
		res, err := ers.SearchServiceRequests(ctx, ubrn)
		return lookedUpMsg{reqID: reqID, ubrn: ubrn, matches: res, err: err}
	}
}

// lookedUp opens the referral the UBRN names or, failing that, the advice
// request; nothing found or an error stays in the input to try again.
func (m *Model) lookedUp(msg lookedUpMsg) tea.Cmd {
	l := m.lookup
	if l == nil || msg.reqID != l.reqID {
		return nil
	}
	l.busy = false
	if msg.err != nil {
		l.err = msg.err
		return nil
	}
	if msg.matches != nil {
		if _, ok := msg.matches.Referral(); ok {
			m.lookup = nil
			return openRoute(RouteReferral, msg.ubrn)
		}
		if _, ok := msg.matches.Advice(); ok {
			m.lookup = nil
			return openRoute(RouteAdvice, msg.ubrn)
		}
	}
	l.err = errNoMatch
	return nil
}

func openRoute(route string, arg any) tea.Cmd {
	return send(screen.Open{Route: route, Arg: arg})
}
