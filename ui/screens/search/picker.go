package search

import (
	"strings"

	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"

	"github.com/ers-workstation/ers-workstation/ersclient/fhir"
	"github.com/ers-workstation/ers-workstation/ui/components/scroll"
	"github.com/ers-workstation/ers-workstation/ui/theme"
)

// pick is a code chosen from an A004 code system; the zero pick is "any".
type pick struct {
	Coding fhir.Coding
	Label  string
	// Parent is a clinic type's specialty code (its A004 property).
	Parent string
}

func (p pick) none() bool { return p.Coding.Code == "" }

// option is one line of a picker.
type option struct {
	pick  pick
	lower string // the label in lower case, for the filter
}

// picker chooses a code from a long list (a few hundred specialties) by
// typing part of its name: the list narrows on every key.
type picker struct {
	field  fieldID
	title  string
	input  textinput.Model
	all    []option
	shown  []int
	cursor int
	top    int
	// anyLabel, when set, is a first line that clears the choice.
	anyLabel string
}

func newPicker(st *theme.Styles, field fieldID, title, anyLabel string, picks []pick, current pick) *picker {
	p := &picker{field: field, title: title, anyLabel: anyLabel, input: newInput(st, "Filter: ", "type part of the name or code")}
	if anyLabel != "" {
		p.all = append(p.all, option{pick: pick{Label: anyLabel}, lower: strings.ToLower(anyLabel)})
	}
	for _, pk := range picks {
		p.all = append(p.all, option{pick: pk, lower: strings.ToLower(pk.Label + " " + pk.Coding.Code)})
	}
	p.filter()
	for i, at := range p.shown {
		if p.all[at].pick.Coding.Code == current.Coding.Code {
			p.cursor = i
		}
	}
	return p
}

// filter keeps the options whose label or code holds every typed word.
func (p *picker) filter() {
	words := strings.Fields(strings.ToLower(p.input.Value()))
	p.shown = p.shown[:0]
	for i, o := range p.all {
		ok := true
		for _, w := range words {
			if !strings.Contains(o.lower, w) {
				ok = false
				break
			}
		}
		if ok {
			p.shown = append(p.shown, i)
		}
	}
	p.cursor = min(p.cursor, max(len(p.shown)-1, 0))
}

// key handles a key in the open picker: movement, or typing into the
// filter. done is true with the choice on enter; cancel on esc.
func (p *picker) key(msg tea.KeyPressMsg) (chosen pick, done, cancel bool, cmd tea.Cmd) {
	switch msg.String() {
	case "esc":
		return pick{}, false, true, nil
	case "enter":
		if len(p.shown) == 0 {
			return pick{}, false, false, nil
		}
		return p.all[p.shown[p.cursor]].pick, true, false, nil
	case "up":
		p.cursor = max(p.cursor-1, 0)
		return
	case "down":
		p.cursor = min(p.cursor+1, max(len(p.shown)-1, 0))
		return
	case "pgup":
		p.cursor = max(p.cursor-10, 0)
		return
	case "pgdown":
		p.cursor = min(p.cursor+10, max(len(p.shown)-1, 0))
		return
	}
	before := p.input.Value()
	p.input, cmd = p.input.Update(msg)
	if p.input.Value() != before {
		p.filter()
	}
	return pick{}, false, false, cmd
}

// lines draws the picker in height lines: title, filter, then the options
// that fit around the cursor.
func (p *picker) lines(st *theme.Styles, height int) []string {
	out := []string{st.Title.Render(p.title), p.input.View()}
	room := height - len(out)
	if len(p.shown) == 0 {
		return append(out, st.Faint.Render("Nothing matches the filter."))
	}
	p.top = scroll.Window(p.top, p.cursor, len(p.shown), max(room, 0))
	for i := p.top; i < len(p.shown) && i < p.top+room; i++ {
		o := p.all[p.shown[i]]
		label := o.pick.Label
		if o.pick.Coding.Code != "" && !strings.Contains(label, o.pick.Coding.Code) {
			label += " (" + o.pick.Coding.Code + ")"
		}
		if i == p.cursor {
			out = append(out, st.Selected.Render("▶ "+label))
		} else {
			out = append(out, st.Text.Render("  "+label))
		}
	}
	return out
}

// newInput is a text input in the theme's styles, with a steady cursor.
func newInput(st *theme.Styles, prompt, placeholder string) textinput.Model {
	in := textinput.New()
	in.Prompt, in.Placeholder = prompt, placeholder
	in.SetStyles(textinput.Styles{
		Focused: textinput.StyleState{Text: st.Text, Placeholder: st.Faint, Prompt: st.Accent},
		Blurred: textinput.StyleState{Text: st.Text, Placeholder: st.Faint, Prompt: st.Faint},
	})
	return in
}
