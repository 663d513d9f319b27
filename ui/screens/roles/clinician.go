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

	filter  textinput.Model
	shown   []int // indexes into all that match the filter
	cursor  int
	top     int
	attempt int

	choosing  bool
	chooseErr error
	keys      clinicianKeys
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
		if msg.attempt != p.attempt || !p.choosing {
			return p, nil
		}
		p.choosing = false
		cmd, err := msg.result()
		p.chooseErr = err
		return p, cmd
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
	switch {
	case key.Matches(msg, k.Up):
		p.move(p.cursor - 1)
	case key.Matches(msg, k.Down):
		p.move(p.cursor + 1)
	case key.Matches(msg, k.Top):
		p.move(0)
	case key.Matches(msg, k.Bottom):
		p.move(len(p.shown) - 1)
	case key.Matches(msg, k.Filter):
		return p.filter.Focus()
	case key.Matches(msg, k.Choose):
		if len(p.shown) == 0 || p.choosing {
			return nil
		}
		cl := p.all[p.shown[p.cursor]]
		role := p.role
		role.OnBehalfOf, role.OnBehalfOfName = cl.SDSUserID, cl.Name
		p.choosing, p.chooseErr = true, nil
		p.attempt++
		return chooseCmd(p.c, p.user.UserID, role, p.attempt)
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
	w := max(p.width-2*margin, 1)
	var head, foot []string
	addTo := func(lines *[]string, style func(...string) string, text string) {
		for _, l := range fit.Wrap(text, w) {
			*lines = append(*lines, "  "+style(l))
		}
	}
	head = append(head, "")
	addTo(&head, st.Title.Render, "Choose the clinician you act for")
	addTo(&head, st.Text.Render, ersclient.BusinessFunction(p.role.BusinessFunction).Label()+" at "+orgLabel(p.role.OrganisationName, p.role.ODS))
	head = append(head, "")
	if p.filter.Focused() || p.filter.Value() != "" {
		p.filter.SetWidth(max(w-4, 1))
		head = append(head, "  "+p.filter.View(), "")
	}
	switch {
	case len(p.all) == 0:
		addTo(&foot, st.Text.Render, "e-RS lists no clinicians you may act for at this organisation.")
		addTo(&foot, st.Faint.Render, "Press esc to choose another role.")
	case len(p.shown) == 0:
		addTo(&foot, st.Faint.Render, "No clinician matches the filter. Press / to change it.")
	case p.choosing:
		foot = append(foot, "")
		addTo(&foot, st.Text.Render, "Setting your role…")
	case p.chooseErr != nil:
		foot = append(foot, "")
		foot = explain(foot, addTo, st, p.chooseErr, "", "enter")
	}
	height := max(p.height-len(head)-len(foot), 0)
	var list []string
	if height > 0 && len(p.shown) > 0 {
		p.top = scroll.Window(p.top, p.cursor, len(p.shown), height)
		for i := p.top; i < len(p.shown) && len(list) < height; i++ {
			cl := p.all[p.shown[i]]
			text := cl.Name + "   " + cl.SDSUserID
			if cl.SDSUserID == p.last {
				text += "   (last used)"
			}
			if i == p.cursor {
				list = append(list, "  "+st.Selected.Render(fit.Line("▶ "+text, w)))
			} else {
				list = append(list, "  "+st.Text.Render("  "+text))
			}
		}
	}
	lines := append(append(head, list...), foot...)
	return fit.Frame(strings.Join(lines, "\n"), p.width, p.height)
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
	ready := len(p.shown) > 0 && !p.choosing
	for _, b := range []*key.Binding{&k.Up, &k.Down, &k.Top, &k.Bottom, &k.Choose} {
		b.SetEnabled(ready)
	}
	k.Filter.SetEnabled(len(p.all) > 0)
	return k
}

type clinicianKeys struct {
	Up, Down, Top, Bottom key.Binding
	Choose, Filter        key.Binding
}

func newClinicianKeys() clinicianKeys {
	k := newKeyMap()
	return clinicianKeys{
		Up: k.Up, Down: k.Down, Top: k.Top, Bottom: k.Bottom, Choose: k.Choose,
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
