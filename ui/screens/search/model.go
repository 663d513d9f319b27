package search

import (
	"charm.land/bubbles/v2/help"
	tea "charm.land/bubbletea/v2"

	"github.com/ers-workstation/ers-workstation/ersclient"
	"github.com/ers-workstation/ers-workstation/session"
	"github.com/ers-workstation/ers-workstation/ui/components/grid"
	"github.com/ers-workstation/ers-workstation/ui/screen"
)

// pane is what the body shows.
type pane int

const (
	paneForm pane = iota
	paneResults
)

// level is a note's weight, shown in words as well as colour.
type level int

const (
	info level = iota
	warn
)

// note is the one line that says what the last action did or refused.
type note struct {
	level level
	text  string
}

func noteOf(l level, text string) note { return note{level: l, text: text} }

// Model is the service search screen: the criteria form, the results grid
// with a service detail pane, and the shortlist.
type Model struct {
	c   screen.Common
	req Request
	// referringClinician is the clinician a clinician admin (RCA) acts
	// for, which A010 requires of them.
	referringClinician string
	// commRuleOrg is the referral's commissioning rule organisation when
	// its shortlist is being changed (A010 requires it then).
	commRuleOrg string

	f      form
	picker *picker
	pane   pane
	keys   keyMap
	note   note
	seq    int // request ids
	ref    refData

	searchReq int
	searching bool
	searchErr error
	attempt   *ersclient.ServiceSearch // the last search sent, for a retry
	found     *found
	grid      *grid.Model

	// shortlist is in the user's order; pending is a referral's shortlist
	// until the first results say which of it can be kept.
	shortlist []ersclient.ServiceResult
	pending   []ersclient.ShortlistedService

	cache         *ersclient.ServiceCache
	details       map[string]ersclient.ServiceDetail
	detailOn      bool
	detailFor     string
	detailReq     int
	detailLoading bool
	detailErr     error
	detailTop     int

	width, height int
}

// New builds the screen for arg: a Request (or *Request), or the signed-in
// identity (a clinician admin's searches name the clinician they act for;
// with a Request, the session's identity says so). It does no I/O.
func New(c screen.Common, arg any) *Model {
	c = c.WithDefaults(DefaultTimeout)
	m := &Model{c: c, f: newForm(c.Styles), keys: newKeyMap(), ref: newRefData(),
		grid: grid.New(columns(), c.Styles), details: map[string]ersclient.ServiceDetail{}}
	m.cache = ersclient.NewServiceCache(c.ERS)
	switch a := arg.(type) {
	case Request:
		m.req = a
	case *Request:
		if a != nil {
			m.req = *a
		}
	default:
		m.referringClinician = clinicianOf(screen.IdentityArg(arg).Role)
	}
	if m.referringClinician == "" && c.Auth != nil {
		// Opened with a Request (from the referral screen): the session
		// knows whom a clinician admin acts for.
		if id, ok := c.Auth.Identity(); ok {
			m.referringClinician = clinicianOf(id.Role)
		}
	}
	m.start()
	m.f.setFocus(m.f.fields()[0])
	return m
}

// clinicianOf is the SDS id a clinician admin acts for, "" for others.
func clinicianOf(r *session.Role) string {
	if r != nil && ersclient.BusinessFunction(r.BusinessFunction) == ersclient.ReferringClinicianAdmin {
		return r.OnBehalfOf
	}
	return ""
}

// start fills the form from the Request: a referral's patient, criteria and
// shortlist, or an earlier search's criteria.
func (m *Model) start() {
	r := m.req
	advice := r.RequestType == ersclient.RequestAdviceAndGuidance
	var crit ersclient.SearchCriteria
	if r.Criteria != nil {
		crit = *r.Criteria
	}
	nhs := r.NHSNumber
	if ref := r.Referral; ref != nil && ref.Resource != nil {
		s := ref.Summary()
		nhs = or(nhs, s.NHSNumber)
		services, sc, ok := ersclient.ReferralShortlist(ref.Resource)
		if ok {
			m.pending = services
			if r.Criteria == nil {
				crit = sc
			}
		}
		if crit.Priority.Code == "" && s.Priority != "" {
			crit.Priority = ersclient.PriorityCoding(s.Priority)
		}
		m.commRuleOrg = s.CommissioningRuleOrg
		m.f.locked, advice = true, false
	}
	m.f.fill(nhs, advice, crit)
}

// changing reports a referral's shortlist being changed.
func (m *Model) changing() bool { return m.req.Referral != nil && m.req.Referral.Resource != nil }

// Init loads the code systems, and searches at once when changing a
// referral's shortlist (its criteria are the search).
func (m *Model) Init() tea.Cmd {
	cmds := []tea.Cmd{m.loadRefData()}
	if m.changing() {
		cmds = append(cmds, m.runSearch())
	}
	return tea.Batch(cmds...)
}

// Update handles replies and keys.
func (m *Model) Update(msg tea.Msg) (screen.Screen, tea.Cmd) {
	switch msg := msg.(type) {
	case refDataMsg:
		m.refDataLoaded(msg)
	case searchedMsg:
		return m, m.searched(msg)
	case detailMsg:
		m.detailLoaded(msg)
	case tea.KeyPressMsg:
		return m, m.key(msg)
	default:
		if m.picker != nil {
			var cmd tea.Cmd
			m.picker.input, cmd = m.picker.input.Update(msg)
			return m, cmd
		}
		if m.pane == paneForm {
			return m, m.f.update(msg)
		}
	}
	return m, nil
}

// blurForm stops the text inputs taking keys while the results show.
func (m *Model) blurForm() {
	for i := range m.f.texts {
		if fieldID(i).text() {
			m.f.texts[i].Blur()
		}
	}
}

// SetSize records the size View fills.
func (m *Model) SetSize(width, height int) {
	m.width, m.height = width, height
	for i := range m.f.texts {
		if fieldID(i).text() {
			m.f.texts[i].SetWidth(max(width-labelWidth-8, 8))
		}
	}
	if m.picker != nil {
		m.picker.input.SetWidth(max(width-14, 10))
	}
}

// Title names the screen.
func (m *Model) Title() string {
	if m.changing() {
		return "Change shortlist"
	}
	return "Service search"
}

// Status is the search's state for the bottom bar.
func (m *Model) Status() string {
	switch {
	case m.searching:
		return "Searching…"
	case m.found != nil:
		shown, _ := m.grid.Counts()
		return plural(shown, "service") + " · shortlist " + itoa(len(m.shortlist)) + " of " + itoa(m.maxList())
	}
	return ""
}

// maxList is how many services the shortlist may hold.
func (m *Model) maxList() int {
	if m.advice() {
		return 1
	}
	return ersclient.MaxShortlist
}

// Capturing is true while a text field or the picker's filter has focus.
func (m *Model) Capturing() bool {
	return m.picker != nil || (m.pane == paneForm && m.f.focus.text())
}

// Dirty is true while a shortlist is built, or a patient typed in, that
// leaving would lose.
func (m *Model) Dirty() bool {
	return len(m.shortlist) > 0 || (m.found == nil && !m.changing() && m.f.typed())
}

// FocusedID is the highlighted service's id among the results, else the
// patient's NHS number.
func (m *Model) FocusedID() (label, value string, ok bool) {
	if m.pane == paneResults {
		if s, ok := m.selected(); ok {
			return "Service id", s.ID, true
		}
	}
	if n := m.f.nhsNumber(); ersclient.ValidNHSNumber(n) {
		return "NHS number", n, true
	}
	return "", "", false
}

// KeyMap is the keys that work now.
func (m *Model) KeyMap() help.KeyMap {
	k := m.keys
	k.state(m)
	return k
}

var (
	_ screen.Screen     = (*Model)(nil)
	_ screen.Identifier = (*Model)(nil)
)
