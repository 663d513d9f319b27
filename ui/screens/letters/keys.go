package letters

import "charm.land/bubbles/v2/key"

// keyMap is the screen's own keys. The attachments component has a, enter,
// d and the arrows (and every key while its picker is open); these are
// letters it does not use, and none is a root key.
type keyMap struct {
	Send, PatientLetter, Open, Keep, Retry, Up, Down key.Binding
}

func newKeyMap() keyMap {
	return keyMap{
		Send:          key.NewBinding(key.WithKeys("s"), key.WithHelp("s", "set the referral's letters (asks first)")),
		PatientLetter: key.NewBinding(key.WithKeys("P"), key.WithHelp("P", "patient letter")),
		Open:          key.NewBinding(key.WithKeys("o"), key.WithHelp("o", "open patient letter")),
		Keep:          key.NewBinding(key.WithKeys("K"), key.WithHelp("K", "keep patient letter after sign-out")),
		Retry:         key.NewBinding(key.WithKeys("r"), key.WithHelp("r", "try again")),
		Up:            key.NewBinding(key.WithKeys("pgup"), key.WithHelp("pgup", "scroll preview up")),
		Down:          key.NewBinding(key.WithKeys("pgdown"), key.WithHelp("pgdn", "scroll preview down")),
	}
}

// helpKeys is the screen's keys with the component's, for help.
type helpKeys struct {
	own    keyMap
	attach []key.Binding
}

func (h helpKeys) ShortHelp() []key.Binding {
	return append(append([]key.Binding{}, h.attach...), h.own.Send, h.own.PatientLetter, h.own.Open, h.own.Retry)
}

func (h helpKeys) FullHelp() [][]key.Binding {
	k := h.own
	return [][]key.Binding{h.attach, {k.Send, k.Retry}, {k.PatientLetter, k.Open, k.Keep, k.Up, k.Down}}
}
