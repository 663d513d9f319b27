package search

import (
	"context"

	tea "charm.land/bubbletea/v2"

	"github.com/ers-workstation/ers-workstation/ersclient"
	"github.com/ers-workstation/ers-workstation/ersclient/fhir"
)

// The A004 code systems the form picks from.
const (
	csPriority   = "PRIORITY"
	csSpecialty  = "SPECIALTY"
	csClinicType = "CLINIC-TYPE"
)

// refData is the screen's copy of the code systems, loaded once per screen
// (and again only after a failure); each load carries a request id.
type refData struct {
	data    map[string]*ersclient.ReferenceData
	reqs    map[string]int
	errs    map[string]error
	loading map[string]bool
}

func newRefData() refData {
	return refData{data: map[string]*ersclient.ReferenceData{}, reqs: map[string]int{},
		errs: map[string]error{}, loading: map[string]bool{}}
}

// refDataMsg answers one code system's load.
type refDataMsg struct {
	kind string
	id   int
	data *ersclient.ReferenceData
	err  error
}

// loadRefData asks for each code system not yet loaded or loading.
func (m *Model) loadRefData() tea.Cmd {
	var cmds []tea.Cmd
	for _, kind := range []string{csPriority, csSpecialty, csClinicType} {
		if m.ref.data[kind] != nil || m.ref.loading[kind] {
			continue
		}
		m.seq++
		id, ers, timeout := m.seq, m.c.ERS, m.c.Timeout
		m.ref.reqs[kind], m.ref.loading[kind] = id, true
		delete(m.ref.errs, kind)
		cmds = append(cmds, func() tea.Msg {
			ctx, cancel := context.WithTimeout(context.Background(), timeout)
			defer cancel()
			d, err := ers.RetrieveReferenceData(ctx, kind)
			return refDataMsg{kind: kind, id: id, data: d, err: err}
		})
	}
	return tea.Batch(cmds...)
}

// refDataLoaded keeps a load's answer unless a later load superseded it.
func (m *Model) refDataLoaded(msg refDataMsg) {
	if msg.id != m.ref.reqs[msg.kind] {
		return
	}
	m.ref.loading[msg.kind] = false
	if msg.err != nil {
		m.ref.errs[msg.kind] = msg.err
		return
	}
	m.ref.data[msg.kind] = msg.data
	m.relabel()
}

// refDataErr is the first code system that failed to load.
func (m *Model) refDataErr() error {
	for _, kind := range []string{csPriority, csSpecialty, csClinicType} {
		if err := m.ref.errs[kind]; err != nil {
			return err
		}
	}
	return nil
}

// relabel names the codes a referral or an earlier search filled in, now
// that the code systems can say what they are.
func (m *Model) relabel() {
	f := &m.f
	if d := m.ref.data[csPriority]; d != nil && !f.priority.none() {
		f.priority.Label = d.Display(f.priority.Coding.Code)
	}
	if d := m.ref.data[csSpecialty]; d != nil && !f.specialty.none() {
		if c, ok := d.Lookup(f.specialty.Coding.Code); ok {
			f.specialty.Label = c.Display
		}
	}
	if d := m.ref.data[csClinicType]; d != nil && !f.clinic.none() {
		if c, ok := d.Lookup(f.clinic.Coding.Code); ok {
			f.clinic.Label, f.clinic.Parent = c.Display, c.Value("specialty")
		}
	}
}

// picks are a code system's choices usable now; for clinic types, those
// of the chosen specialty only.
func (m *Model) picks(kind string) []pick {
	d := m.ref.data[kind]
	if d == nil {
		return nil
	}
	var out []pick
	for _, c := range d.Effective(m.c.Now()) {
		p := pick{Coding: c.Coding(), Label: or(c.Display, c.Code)}
		switch kind {
		case csPriority:
			// Search criteria carry the eRS-Priority-1 coding, not A004's.
			p.Coding = ersclient.PriorityCoding(ersclient.Priority(c.Code))
		case csClinicType:
			p.Coding = fhir.Coding{Code: c.Code}
			p.Parent = c.Value("specialty")
			if sp := m.f.specialty; !sp.none() && p.Parent != "" && p.Parent != sp.Coding.Code {
				continue
			}
		}
		out = append(out, p)
	}
	return out
}

// openPicker opens the list of the focused coded field, loading its code
// system first when it is not there yet.
func (m *Model) openPicker() tea.Cmd {
	kind, title, anyLabel := "", "", ""
	switch m.f.focus {
	case fPriority:
		kind, title = csPriority, "Choose the priority"
	case fSpecialty:
		kind, title, anyLabel = csSpecialty, "Choose a specialty", "Any specialty"
	case fClinicType:
		kind, title, anyLabel = csClinicType, "Choose a clinic type", "Any clinic type"
		if !m.f.specialty.none() {
			title += " (" + m.f.specialty.Label + ")"
		}
	default:
		return nil
	}
	if m.ref.data[kind] == nil {
		m.note = noteOf(warn, "The list of "+kindWords(kind)+" is not loaded yet; press r to load it again if it failed.")
		return m.loadRefData()
	}
	current := map[fieldID]pick{fPriority: m.f.priority, fSpecialty: m.f.specialty, fClinicType: m.f.clinic}[m.f.focus]
	m.picker = newPicker(m.c.Styles, m.f.focus, title, anyLabel, m.picks(kind), current)
	m.picker.input.SetWidth(max(m.width-14, 10))
	return m.picker.input.Focus()
}

// chosen applies a picker's choice; a new specialty drops a clinic type
// that belongs to another.
func (m *Model) chosen(field fieldID, p pick) {
	switch field {
	case fPriority:
		m.f.priority = p
	case fSpecialty:
		m.f.specialty = p
		if c := m.f.clinic; !c.none() && !p.none() && c.Parent != "" && c.Parent != p.Coding.Code {
			m.f.clinic = pick{}
			m.note = noteOf(info, "The clinic type was cleared: it belongs to another specialty.")
		}
	case fClinicType:
		m.f.clinic = p
	}
	delete(m.f.errs, field)
}

func kindWords(kind string) string {
	switch kind {
	case csPriority:
		return "priorities"
	case csSpecialty:
		return "specialties"
	}
	return "clinic types"
}
