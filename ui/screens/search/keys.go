package search

import (
	"charm.land/bubbles/v2/key"
)

// keyMap is the screen's keys. None is a root global (? : esc q y ctrl+c)
// except esc while a field captures typing, when the root passes it on.
type keyMap struct {
	// The form.
	Next, Prev, Toggle, Pick, Search, Leave key.Binding
	// The picker.
	Choose, Cancel key.Binding
	// The results.
	Add, Remove, Continue, Details, Form, Retry, DetailDown, DetailUp key.Binding

	grid []key.Binding
}

func newKeyMap() keyMap {
	return keyMap{
		Next:       key.NewBinding(key.WithKeys("tab", "down"), key.WithHelp("tab/↓", "next field")),
		Prev:       key.NewBinding(key.WithKeys("shift+tab", "up"), key.WithHelp("shift+tab/↑", "previous field")),
		Toggle:     key.NewBinding(key.WithKeys("space", "left", "right"), key.WithHelp("space/←/→", "change")),
		Pick:       key.NewBinding(key.WithKeys("enter", "space"), key.WithHelp("enter", "choose from list")),
		Search:     key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "search")),
		Leave:      key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "leave field")),
		Choose:     key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "choose")),
		Cancel:     key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "cancel")),
		Add:        key.NewBinding(key.WithKeys("space", "+"), key.WithHelp("space/+", "add to shortlist")),
		Remove:     key.NewBinding(key.WithKeys("-"), key.WithHelp("-", "remove from shortlist")),
		Continue:   key.NewBinding(key.WithKeys("enter", "c"), key.WithHelp("enter/c", "continue with shortlist")),
		Details:    key.NewBinding(key.WithKeys("i"), key.WithHelp("i", "service details")),
		Form:       key.NewBinding(key.WithKeys("f"), key.WithHelp("f", "edit search")),
		Retry:      key.NewBinding(key.WithKeys("r"), key.WithHelp("r", "search again")),
		DetailDown: key.NewBinding(key.WithKeys("J"), key.WithHelp("J", "scroll details down")),
		DetailUp:   key.NewBinding(key.WithKeys("K"), key.WithHelp("K", "scroll details up")),
	}
}

// state enables the keys that work now, so help never lies.
func (k *keyMap) state(m *Model) {
	picking := m.picker != nil
	form := !picking && m.pane == paneForm
	text := form && m.f.focus.text()
	results := !picking && m.pane == paneResults
	have := m.found != nil && !m.searching
	_, sel := m.grid.Selected()

	k.Next.SetEnabled(form)
	k.Prev.SetEnabled(form)
	k.Toggle.SetEnabled(form && !text && (m.f.focus == fSort || m.f.focus == fAgeGender || (m.f.focus == fRequestType && !m.f.locked)))
	k.Pick.SetEnabled(form && m.f.focus.coded())
	k.Search.SetEnabled(form && !m.f.focus.coded())
	k.Leave.SetEnabled(text)
	k.Choose.SetEnabled(picking)
	k.Cancel.SetEnabled(picking)

	k.Add.SetEnabled(results && have && sel)
	k.Remove.SetEnabled(results && have && sel && len(m.shortlist) > 0)
	k.Continue.SetEnabled(results && have && len(m.shortlist) > 0)
	k.Details.SetEnabled(results && have)
	k.Form.SetEnabled(!picking && !text && (results || m.found != nil || m.searchErr != nil))
	k.Retry.SetEnabled(!picking && !text && (m.attempt != nil && !m.searching || m.refDataErr() != nil))
	k.DetailDown.SetEnabled(results && m.detailOn)
	k.DetailUp.SetEnabled(results && m.detailOn)
	k.grid = nil
	if results && have {
		k.grid = m.grid.KeyMap()
	}
	if k.Retry.Enabled() && m.refDataErr() != nil && m.searchErr == nil {
		k.Retry.SetHelp("r", "load lists again")
	}
}

// ShortHelp is the keys for the bottom bar.
func (k keyMap) ShortHelp() []key.Binding {
	return []key.Binding{k.Next, k.Toggle, k.Pick, k.Search, k.Leave, k.Choose, k.Cancel,
		k.Add, k.Remove, k.Continue, k.Details, k.Form, k.Retry}
}

// FullHelp is every key, grouped.
func (k keyMap) FullHelp() [][]key.Binding {
	return [][]key.Binding{
		{k.Next, k.Prev, k.Toggle, k.Pick, k.Search, k.Leave},
		{k.Choose, k.Cancel},
		{k.Add, k.Remove, k.Continue, k.Details, k.DetailDown, k.DetailUp, k.Form, k.Retry},
		k.grid,
	}
}
