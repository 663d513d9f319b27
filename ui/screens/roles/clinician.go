package roles

import (
	"strconv"
	"strings"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"

	"github.com/ers-workstation/ers-workstation/ersclient"
	"github.com/ers-workstation/ers-workstation/gatewayapi"
	"github.com/ers-workstation/ers-workstation/session"
	"github.com/ers-workstation/ers-workstation/ui/components/fit"
	"github.com/ers-workstation/ers-workstation/ui/components/scroll"
	"github.com/ers-workstation/ers-workstation/ui/screen"
)

// clinicianPicker is the second step for a clinician admin: whom to act
// for. It is pushed over the role list, so esc returns to it.
type clinicianPicker struct {
	c             screen.Common
	user          session.Identity
	role          session.Role
	all           []gatewayapi.Clinician
	last          string // SDS id of the clinician last acted for here
	width, height int

	filter textinput.Model
	shown  []int // indexes into all that match the filter
	cursor int
	top    int

	choice choice
	keys   clinicianKeys
}

func newClinicianPicker(c screen.Common, user session.Identity, role session.Role, all []gatewayapi.Clinician, last string) *clinicianPicker {
	in := textinput.New()
	in.Prompt = "/ "
	in.Placeholder = "type to filter by name or id"
	in.SetStyles(textinput.Styles{
		Focused: textinput.StyleState{Text: c.Styles.Text, Placeholder: c.Styles.Faint, Prompt: c.Styles.Accent},
		Blurred: textinput.StyleState{Text: c.Styles.Text, Placeholder: c.Styles.Faint, Prompt: c.Styles.Faint},
	})
	p := &clinicianPicker{c: c, user: user, role: role, all: all, last: last, filter: in, keys: newClinicianKeys()}
	p.refilter()
	for i, idx := range p.shown {
		if all[idx].SDSUserID == last {
			p.cursor = i
		}
	}
	return p
}

func (p *clinicianPicker) Init() tea.Cmd { return nil }

func (p *clinicianPicker) Update(msg tea.Msg) (screen.Screen, tea.Cmd) {
	switch msg := msg.(type) {
	case chosenMsg:
		return p, p.choice.answered(msg)
	case tea.KeyPressMsg:
		if p.filter.Focused() {
			return p, p.filterKey(msg)
		}
		return p, p.key(msg)
	}
	if p.filter.Focused() {
		var cmd tea.Cmd
		p.filter, cmd = p.filter.Update(msg)
		return p, cmd
	}
	return p, nil
}

// filterKey edits the filter: enter keeps it, esc clears it, the arrows
// still move.
func (p *clinicianPicker) filterKey(msg tea.KeyPressMsg) tea.Cmd {
	switch msg.String() {
	case "enter":
		p.filter.Blur()
		return nil
	case "esc":
		p.filter.Reset()
		p.filter.Blur()
		p.refilter()
		return nil
	case "up":
		p.move(p.cursor - 1)
		return nil
	case "down":
		p.move(p.cursor + 1)
		return nil
	}
	var cmd tea.Cmd
	p.filter, cmd = p.filter.Update(msg)
	p.refilter()
	return cmd
}

func (p *clinicianPicker) key(msg tea.KeyPressMsg) tea.Cmd {
	k := p.KeyMap().(clinicianKeys)
	if to, ok := k.Move(msg, p.cursor, len(p.shown)); ok {
		p.cursor = to
		return nil
	}
	switch {
	case key.Matches(msg, k.Filter):
		return p.filter.Focus()
	case key.Matches(msg, k.Choose):
		if len(p.shown) == 0 {
			return nil
		}
		cl := p.all[p.shown[p.cursor]]
		role := p.role
		role.OnBehalfOf, role.OnBehalfOfName = cl.SDSUserID, cl.Name
		return p.choice.start(p.c, p.user.UserID, role)
	}
	return nil
}

func (p *clinicianPicker) move(i int) {
	if len(p.shown) > 0 {
		p.cursor = min(max(i, 0), len(p.shown)-1)
	}
}

// refilter keeps the clinicians whose name or id holds the filter text,
// ignoring case, and keeps the highlighted one when it still matches.
func (p *clinicianPicker) refilter() {
	var keep string
	if p.cursor < len(p.shown) {
		keep = p.all[p.shown[p.cursor]].SDSUserID
	}
	q := strings.ToLower(strings.TrimSpace(p.filter.Value()))
	p.shown, p.cursor, p.top = p.shown[:0], 0, 0
	for i, cl := range p.all {
		if q == "" || strings.Contains(strings.ToLower(cl.Name), q) || strings.Contains(cl.SDSUserID, q) {
			if cl.SDSUserID == keep {
				p.cursor = len(p.shown)
			}
			p.shown = append(p.shown, i)
		}
	}
}

func (p *clinicianPicker) View() string {
	st := p.c.Styles
	head, foot := fit.NewBlock(p.width, margin), fit.NewBlock(p.width, margin)
	head.Blank()
	head.Add(st.Title.Render, "Choose the clinician you act for")
	head.Add(st.Text.Render, ersclient.BusinessFunction(p.role.BusinessFunction).Label()+" at "+orgLabel(p.role.OrganisationName, p.role.ODS))
	head.Blank()
	if p.filter.Focused() || p.filter.Value() != "" {
		p.filter.SetWidth(max(head.Width-4, 1))
		head.Line(p.filter.View())
		head.Blank()
	}
	switch {
	case len(p.all) == 0:
		foot.Add(st.Text.Render, "e-RS lists no clinicians you may act for at this organisation.")
		foot.Add(st.Faint.Render, "Press esc to choose another role.")
	case len(p.shown) == 0:
		foot.Add(st.Faint.Render, "No clinician matches the filter. Press / to change it.")
	default:
		p.choice.footer(foot, st)
	}
	height := max(p.height-head.Len()-foot.Len(), 0)
	var list []string
	if height > 0 && len(p.shown) > 0 {
		p.top = scroll.Window(p.top, p.cursor, len(p.shown), height)
		for i := p.top; i < len(p.shown) && len(list) < height; i++ {
			cl := p.all[p.shown[i]]
			list = append(list, "  "+itemLine(st, cl.Name+"   "+cl.SDSUserID, cl.SDSUserID == p.last, i == p.cursor, head.Width))
		}
	}
	return frame(head, list, foot, p.width, p.height)
}

func (p *clinicianPicker) SetSize(width, height int) { p.width, p.height = width, height }
func (p *clinicianPicker) Title() string             { return "Choose clinician" }

func (p *clinicianPicker) Status() string {
	if p.filter.Value() != "" {
		return strconv.Itoa(len(p.shown)) + " of " + strconv.Itoa(len(p.all)) + " clinicians"
	}
	return strconv.Itoa(len(p.all)) + " clinicians"
}

// Capturing while the filter has focus, so every key goes into it.
func (p *clinicianPicker) Capturing() bool { return p.filter.Focused() }
func (p *clinicianPicker) Dirty() bool     { return false }

func (p *clinicianPicker) KeyMap() help.KeyMap {
	k := p.keys
	ready := len(p.shown) > 0 && !p.choice.busy
	for _, b := range []*key.Binding{&k.Up, &k.Down, &k.Top, &k.Bottom, &k.Choose} {
		b.SetEnabled(ready)
	}
	k.Filter.SetEnabled(len(p.all) > 0)
	return k
}

type clinicianKeys struct {
	scroll.Keys
	Choose, Filter key.Binding
}

func newClinicianKeys() clinicianKeys {
	k := newKeyMap()
	return clinicianKeys{
		Keys: k.Keys, Choose: k.Choose,
		Filter: key.NewBinding(key.WithKeys("/"), key.WithHelp("/", "filter")),
	}
}

func (k clinicianKeys) ShortHelp() []key.Binding {
	return []key.Binding{k.Up, k.Down, k.Choose, k.Filter}
}
func (k clinicianKeys) FullHelp() [][]key.Binding {
	return [][]key.Binding{{k.Up, k.Down, k.Top, k.Bottom}, {k.Choose, k.Filter}}
}

var _ screen.Screen = (*clinicianPicker)(nil)
