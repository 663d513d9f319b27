package worklist

import (
	"context"
	"sort"

	tea "charm.land/bubbletea/v2"

	"github.com/ers-workstation/ers-workstation/ersclient"
	"github.com/ers-workstation/ers-workstation/ersclient/fhir"
	"github.com/ers-workstation/ers-workstation/ui/screen"
)

// picker chooses the provider filters from lists, never typed codes: first
// what to filter by, then a value drawn from the loaded rows (and, for a
// specialty, the coding A004 gives it).
type picker struct {
	title   string
	options []option
	cursor  int
	// dimension is the step the options belong to; "" is the first step.
	dimension string
	loading   bool
	err       error
}

// option is one line of the picker: a dimension to open, or a change to
// the filters.
type option struct {
	label string
	open  string
	apply func(*filters)
}

// specialtiesMsg is A004 SPECIALTY, wanted by the specialty step.
type specialtiesMsg struct {
	data *ersclient.ReferenceData
	err  error
}

// providerTabs reports whether any tab takes the provider filters.
func (m *Model) providerTabs() bool {
	for _, t := range m.tabs {
		if t.list.ForProvider() {
			return true
		}
	}
	return false
}

func (m *Model) openPicker() tea.Cmd {
	if !m.providerTabs() {
		return nil
	}
	m.picker = &picker{title: "Filter the provider lists by", options: []option{
		{label: "Service", open: "service"},
		{label: "Specialty", open: "specialty"},
		{label: "Location", open: "location"},
		{label: "Clinician", open: "clinician"},
		{label: "Clear all filters", apply: func(f *filters) { *f = filters{} }},
	}}
	return nil
}

// pickerKey moves, chooses, or steps back (esc, backspace); f closes.
func (m *Model) pickerKey(msg tea.KeyPressMsg) tea.Cmd {
	p := m.picker
	switch msg.String() {
	case "up", "k":
		p.cursor = max(p.cursor-1, 0)
	case "down", "j":
		p.cursor = min(p.cursor+1, len(p.options)-1)
	case "g", "home":
		p.cursor = 0
	case "G", "end":
		p.cursor = max(len(p.options)-1, 0)
	case "f":
		m.picker = nil
	case "esc", "backspace":
		if p.dimension == "" {
			m.picker = nil
		} else {
			return m.openPicker()
		}
	case "enter":
		if len(p.options) == 0 {
			return nil
		}
		o := p.options[p.cursor]
		if o.open != "" {
			return m.step(o.open)
		}
		o.apply(&m.filters)
		m.picker = nil
		return m.reloadProvider()
	}
	return nil
}

// reloadProvider loads the provider lists again with the new filters.
func (m *Model) reloadProvider() tea.Cmd {
	var cmds []tea.Cmd
	for _, t := range m.tabs {
		if t.list.ForProvider() {
			cmds = append(cmds, m.load(t))
		}
	}
	return tea.Batch(cmds...)
}

// step opens the values of one dimension.
func (m *Model) step(dim string) tea.Cmd {
	p := &picker{dimension: dim}
	m.picker = p
	switch dim {
	case "service":
		p.title = "Service"
		p.options = append(p.options, option{label: "Any service", apply: func(f *filters) { f.service, f.serviceName = "", "" }})
		for _, v := range m.distinct(func(r *ersclient.WorklistRow) (string, string) { return r.ServiceID, r.ServiceName }) {
			p.options = append(p.options, option{label: v.label(), apply: func(f *filters) { f.service, f.serviceName = v.code, v.name }})
		}
	case "specialty":
		p.title = "Specialty"
		if m.specialties == nil {
			p.loading = true
			return specialtiesCmd(m.c)
		}
		m.specialtyOptions(p)
	case "location":
		p.title = "Location"
		p.options = append(p.options, option{label: "Any location", apply: func(f *filters) { f.location = "" }})
		// Worklist rows do not say where a service runs; the user's own
		// organisation is the location they can name.
		if m.role != nil && m.role.ODS != "" {
			ods, name := m.role.ODS, m.role.OrganisationName
			p.options = append(p.options, option{label: value{code: ods, name: name}.label(), apply: func(f *filters) { f.location = ods }})
		}
	case "clinician":
		p.title = "Clinician"
		p.options = append(p.options,
			option{label: "Any", apply: func(f *filters) { f.clinicianAssigned, f.clinician, f.clinicianName = nil, "", "" }},
			option{label: "Clinician assigned", apply: func(f *filters) { f.clinicianAssigned, f.clinician, f.clinicianName = fhir.Ptr(true), "", "" }},
			option{label: "No clinician assigned", apply: func(f *filters) { f.clinicianAssigned, f.clinician, f.clinicianName = fhir.Ptr(false), "", "" }},
		)
		for _, v := range m.distinct(func(r *ersclient.WorklistRow) (string, string) {
			return first(r.AllocatedClinician, r.NamedClinician), ""
		}) {
			p.options = append(p.options, option{label: v.label(), apply: func(f *filters) {
				f.clinicianAssigned, f.clinician, f.clinicianName = fhir.Ptr(true), v.code, ""
			}})
		}
	}
	return nil
}

// specialtyOptions lists the specialties on the loaded rows, each sent as
// the coding A004 gave it (its system carries the service's base URL).
func (m *Model) specialtyOptions(p *picker) {
	p.options = append(p.options,
		option{label: "Any", apply: func(f *filters) { f.specialtyAssigned, f.specialty, f.specialtyName = nil, fhir.Coding{}, "" }},
		option{label: "Specialty assigned", apply: func(f *filters) {
			f.specialtyAssigned, f.specialty, f.specialtyName = fhir.Ptr(true), fhir.Coding{}, ""
		}},
		option{label: "No specialty assigned", apply: func(f *filters) {
			f.specialtyAssigned, f.specialty, f.specialtyName = fhir.Ptr(false), fhir.Coding{}, ""
		}},
	)
	if m.specialties == nil {
		return
	}
	for _, v := range m.distinct(func(r *ersclient.WorklistRow) (string, string) { return r.SpecialtyCode, r.SpecialtyDisplay }) {
		c, ok := m.specialties.Lookup(v.code)
		if !ok {
			continue
		}
		v.name = first(v.name, c.Display)
		p.options = append(p.options, option{label: v.label(), apply: func(f *filters) {
			f.specialtyAssigned, f.specialty, f.specialtyName = fhir.Ptr(true), c.Coding(), v.name
		}})
	}
}

func specialtiesCmd(c screen.Common) tea.Cmd {
	ers, timeout := c.ERS, c.Timeout
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(context.Background(), timeout)
		defer cancel()
		d, err := ers.RetrieveReferenceData(ctx, "SPECIALTY")
		return specialtiesMsg{data: d, err: err}
	}
}

func (m *Model) specialtiesLoaded(msg specialtiesMsg) {
	if msg.err == nil {
		m.specialties = msg.data
	}
	p := m.picker
	if p == nil || p.dimension != "specialty" || !p.loading {
		return
	}
	p.loading, p.err = false, msg.err
	m.specialtyOptions(p)
}

// value is a code with its name, as a picker line.
type value struct{ code, name string }

func (v value) label() string {
	if v.name == "" || v.name == v.code {
		return v.code
	}
	return v.name + " (" + v.code + ")"
}

// distinct collects the values of the provider tabs' rows, by name.
func (m *Model) distinct(of func(*ersclient.WorklistRow) (code, name string)) []value {
	seen := map[string]int{}
	var out []value
	for _, t := range m.tabs {
		if !t.list.ForProvider() {
			continue
		}
		for i := range t.rows {
			code, name := of(&t.rows[i])
			if code == "" {
				continue
			}
			if j, ok := seen[code]; ok {
				if out[j].name == "" {
					out[j].name = name
				}
				continue
			}
			seen[code] = len(out)
			out = append(out, value{code: code, name: name})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].label() < out[j].label() })
	return out
}
