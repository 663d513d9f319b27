package worklist

import (
	"strconv"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
)

// keyMap is the screen's keys. The global keys (? : esc q y ctrl+c) are
// the root's; tab and the digits are free because the root binds none.
type keyMap struct {
	NextTab, PrevTab, JumpTab key.Binding
	Open, Refresh, Filter     key.Binding
	Sort, Reverse             key.Binding
	Filters, Lookup           key.Binding
	// Keep and Clear are the filter input's enter and esc; Choose and
	// Cancel those of the UBRN input and the filter picker. They are
	// enabled only in those states.
	Keep, Clear, Choose, Cancel key.Binding

	grid []key.Binding
}

func newKeyMap() keyMap {
	return keyMap{
		NextTab: key.NewBinding(key.WithKeys("tab", "]"), key.WithHelp("tab/]", "next list")),
		PrevTab: key.NewBinding(key.WithKeys("shift+tab", "["), key.WithHelp("shift+tab/[", "previous list")),
		JumpTab: key.NewBinding(key.WithKeys("1"), key.WithHelp("1", "list 1")),
		Open:    key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "open")),
		Refresh: key.NewBinding(key.WithKeys("r"), key.WithHelp("r", "refresh")),
		Filter:  key.NewBinding(key.WithKeys("/"), key.WithHelp("/", "filter")),
		Sort:    key.NewBinding(key.WithKeys("s"), key.WithHelp("s", "sort by next column")),
		Reverse: key.NewBinding(key.WithKeys("S"), key.WithHelp("S", "reverse sort")),
		Filters: key.NewBinding(key.WithKeys("f"), key.WithHelp("f", "provider filters")),
		Lookup:  key.NewBinding(key.WithKeys("u"), key.WithHelp("u", "look up UBRN")),
		Keep:    key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "keep filter")),
		Clear:   key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "clear filter")),
		Choose:  key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "choose")),
		Cancel:  key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "cancel")),
	}
}

// setTabs binds one digit per tab.
func (k *keyMap) setTabs(n int) {
	if n == 0 {
		k.JumpTab.SetEnabled(false)
		return
	}
	keys := make([]string, n)
	for i := range keys {
		keys[i] = strconv.Itoa(i + 1)
	}
	k.JumpTab.SetKeys(keys...)
	k.JumpTab.SetHelp("1-"+strconv.Itoa(n), "jump to list")
}

// digit is the tab a digit key names, or -1.
func digit(msg tea.KeyPressMsg, tabs int) int {
	s := msg.String()
	if len(s) != 1 || s[0] < '1' || s[0] > '9' {
		return -1
	}
	if i := int(s[0] - '1'); i < tabs {
		return i
	}
	return -1
}

// state enables the keys that work now, so help never lies.
func (k *keyMap) state(m *Model) {
	capturing := m.Capturing()
	t := m.current()
	hasRows := t != nil && len(t.rows) > 0
	for _, b := range []*key.Binding{&k.NextTab, &k.PrevTab} {
		b.SetEnabled(!capturing && len(m.tabs) > 1)
	}
	k.JumpTab.SetEnabled(!capturing && len(m.tabs) > 1)
	k.Open.SetEnabled(!capturing && hasRows)
	k.Refresh.SetEnabled(!capturing && t != nil)
	k.Filter.SetEnabled(!capturing && hasRows)
	k.Sort.SetEnabled(!capturing && hasRows)
	k.Reverse.SetEnabled(!capturing && hasRows)
	k.Filters.SetEnabled(!capturing && m.providerTabs())
	k.Lookup.SetEnabled(!capturing)
	k.Keep.SetEnabled(m.searching)
	k.Clear.SetEnabled(m.searching)
	k.Choose.SetEnabled(m.lookup != nil || m.picker != nil)
	k.Cancel.SetEnabled(m.lookup != nil || m.picker != nil)
	if capturing {
		k.grid = nil
	}
}

// ShortHelp is the keys for the bottom bar.
func (k keyMap) ShortHelp() []key.Binding {
	return []key.Binding{k.Open, k.NextTab, k.Filter, k.Sort, k.Refresh, k.Keep, k.Clear, k.Choose, k.Cancel}
}

// FullHelp is every key, grouped.
func (k keyMap) FullHelp() [][]key.Binding {
	return [][]key.Binding{
		{k.Open, k.NextTab, k.PrevTab, k.JumpTab},
		{k.Filter, k.Sort, k.Reverse, k.Refresh, k.Filters, k.Lookup},
		{k.Keep, k.Clear, k.Choose, k.Cancel},
		k.grid,
	}
}
