package advice

import "charm.land/bubbles/v2/key"

// keyMap is every key of the screen. None is a root key (esc, q, y, ?, :)
// or movement; "k" is movement, so keeping a file is "K".
type keyMap struct {
	Up, Down, PageUp, PageDown, Top, Bottom key.Binding
	Reload, Documents, Download, Open, Keep key.Binding
	Respond, Convert                        key.Binding
	// In the response or conversion form.
	NextField, PrevField, Choose, Send, Leave key.Binding
	// files is the focused attachments' keys, joining while they have focus.
	files []key.Binding
}

func newKeyMap() keyMap {
	b := func(help, desc string, keys ...string) key.Binding {
		return key.NewBinding(key.WithKeys(keys...), key.WithHelp(help, desc))
	}
	return keyMap{
		Up:        b("↑/k", "up", "up", "k"),
		Down:      b("↓/j", "down", "down", "j"),
		PageUp:    b("pgup", "page up", "pgup"),
		PageDown:  b("pgdn", "page down", "pgdown"),
		Top:       b("g/home", "top", "g", "home"),
		Bottom:    b("G/end", "bottom", "G", "end"),
		Reload:    b("r", "reload", "r"),
		Documents: b("d", "conversation / documents", "d"),
		Download:  b("enter", "download and preview", "enter"),
		Open:      b("o", "open in system viewer", "o"),
		Keep:      b("K", "keep file after sign-out", "K"),
		Respond:   b("w", "write a response", "w"),
		Convert:   b("c", "convert to a referral", "c"),
		NextField: b("tab", "next field", "tab"),
		PrevField: b("shift+tab", "previous field", "shift+tab"),
		Choose:    b("←/→", "change choice", "left", "right"),
		Send:      b("ctrl+s", "send response", "ctrl+s"),
		Leave:     b("esc", "leave the text (draft kept)", "esc"),
	}
}

func (k keyMap) ShortHelp() []key.Binding {
	return append([]key.Binding{k.Respond, k.Convert, k.Documents, k.Download, k.Send, k.NextField, k.Reload}, k.files...)
}

func (k keyMap) FullHelp() [][]key.Binding {
	out := [][]key.Binding{
		{k.Up, k.Down, k.PageUp, k.PageDown, k.Top, k.Bottom},
		{k.Documents, k.Download, k.Open, k.Keep, k.Reload},
		{k.Respond, k.Convert, k.NextField, k.PrevField, k.Choose, k.Send, k.Leave},
	}
	if len(k.files) > 0 {
		out = append(out, k.files)
	}
	return out
}
