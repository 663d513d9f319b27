package referral

import (
	"charm.land/bubbles/v2/key"
)

// keyMap is every key of the screen. None of them is a root key (esc, q, y,
// ?, :); "k" is movement, so keeping a file is "K".
type keyMap struct {
	Up, Down, PageUp, PageDown, HalfUp, HalfDown, Top, Bottom key.Binding
	NextTab, PrevTab, Summary, Clinical, Attachments          key.Binding
	Reload, Focus                                             key.Binding
	Download, Open, Keep                                      key.Binding
	// One key per provider action; enabled only when it is offered.
	Accept, Reject, Later, Review, Cancel key.Binding
	// The referrer's, shared by every copy of the map (see referrerKeys).
	referrer *referrerKeys
}

func newKeyMap() keyMap {
	b := func(help string, desc string, keys ...string) key.Binding {
		return key.NewBinding(key.WithKeys(keys...), key.WithHelp(help, desc))
	}
	return keyMap{
		Up:          b("↑/k", "up", "up", "k"),
		Down:        b("↓/j", "down", "down", "j"),
		PageUp:      b("pgup", "page up", "pgup"),
		PageDown:    b("pgdn", "page down", "pgdown"),
		HalfUp:      b("ctrl+u", "half page up", "ctrl+u"),
		HalfDown:    b("ctrl+d", "half page down", "ctrl+d"),
		Top:         b("g/home", "top", "g", "home"),
		Bottom:      b("G/end", "bottom", "G", "end"),
		NextTab:     b("tab", "next section", "tab"),
		PrevTab:     b("shift+tab", "previous section", "shift+tab"),
		Summary:     b("1", "summary", "1"),
		Clinical:    b("2", "clinical information", "2"),
		Attachments: b("3", "attachments", "3"),
		Reload:      b("r", "reload", "r"),
		Focus:       b("f", "focus UBRN / NHS number", "f"),
		Download:    b("enter", "download and preview", "enter"),
		Open:        b("o", "open in system viewer", "o"),
		Keep:        b("K", "keep file after sign-out", "K"),
		Accept:      b("a", actionLabel(actAccept), "a"),
		Reject:      b("x", actionLabel(actReject), "x"),
		Later:       b("p", actionLabel(actLater), "p"),
		Review:      b("v", actionLabel(actReview), "v"),
		Cancel:      b("c", actionLabel(actCancel), "c"),
		referrer:    newReferrerKeys(),
	}
}

// actionKey is the binding that starts an action.
func (k *keyMap) actionKey(action string) *key.Binding {
	switch action {
	case actAccept:
		return &k.Accept
	case actReject:
		return &k.Reject
	case actLater:
		return &k.Later
	case actReview:
		return &k.Review
	case actCancel:
		return &k.Cancel
	}
	return k.referrer.binding(action)
}

func (k keyMap) ShortHelp() []key.Binding {
	return append([]key.Binding{k.NextTab, k.Download, k.Accept, k.Reject, k.Later, k.Review, k.Cancel},
		append(k.referrer.all(), k.Reload)...)
}

func (k keyMap) FullHelp() [][]key.Binding {
	return [][]key.Binding{
		{k.Up, k.Down, k.PageUp, k.PageDown, k.HalfUp, k.HalfDown, k.Top, k.Bottom},
		{k.NextTab, k.PrevTab, k.Summary, k.Clinical, k.Attachments, k.Focus, k.Reload},
		{k.Download, k.Open, k.Keep},
		{k.Accept, k.Reject, k.Later, k.Review, k.Cancel},
		k.referrer.all(),
	}
}
