package attach

import "charm.land/bubbles/v2/key"

// keyMap is the component's keys. In the list they are plain letters the
// host does not use; in the picker and the typed path the component
// captures every key, so esc and tab are its own there.
type keyMap struct {
	// the list of files chosen
	Add, Remove, Up, Down key.Binding
	// the picker
	Open, Parent, PageUp, PageDown, Hidden key.Binding
	// the picker and the typed path
	Switch, Close, Check key.Binding
}

func newKeyMap() keyMap {
	return keyMap{
		Add:      key.NewBinding(key.WithKeys("a", "enter"), key.WithHelp("a", "add a file")),
		Remove:   key.NewBinding(key.WithKeys("d", "delete"), key.WithHelp("d", "remove file")),
		Up:       key.NewBinding(key.WithKeys("up", "k"), key.WithHelp("↑/k", "up")),
		Down:     key.NewBinding(key.WithKeys("down", "j"), key.WithHelp("↓/j", "down")),
		Open:     key.NewBinding(key.WithKeys("enter", "right", "l"), key.WithHelp("enter", "open folder / choose file")),
		Parent:   key.NewBinding(key.WithKeys("left", "h", "backspace"), key.WithHelp("←", "up a folder")),
		PageUp:   key.NewBinding(key.WithKeys("pgup"), key.WithHelp("pgup", "page up")),
		PageDown: key.NewBinding(key.WithKeys("pgdown"), key.WithHelp("pgdown", "page down")),
		Hidden:   key.NewBinding(key.WithKeys("."), key.WithHelp(".", "show hidden files")),
		Switch:   key.NewBinding(key.WithKeys("tab"), key.WithHelp("tab", "type a path")),
		Close:    key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "close the picker")),
		Check:    key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "attach the file typed")),
	}
}

// update enables the keys usable now and names them for what they do.
func (k *keyMap) update(m *Model) {
	list := m.focused && m.mode == modeList
	k.Add.SetEnabled(list)
	k.Remove.SetEnabled(list && len(m.files) > 0)
	k.Up.SetEnabled(list && m.fileIdx > 0 || m.focused && m.mode == modeBrowse)
	k.Down.SetEnabled(list && m.fileIdx < len(m.files)-1 || m.focused && m.mode == modeBrowse)
	browse := m.focused && m.mode == modeBrowse
	for _, b := range []*key.Binding{&k.Open, &k.Parent, &k.PageUp, &k.PageDown, &k.Hidden} {
		b.SetEnabled(browse)
	}
	if m.dir.hidden {
		k.Hidden.SetHelp(".", "hide hidden files")
	} else {
		k.Hidden.SetHelp(".", "show hidden files")
	}
	capturing := m.Capturing()
	k.Switch.SetEnabled(capturing)
	k.Close.SetEnabled(capturing)
	k.Check.SetEnabled(m.focused && m.mode == modeTyped)
	if m.mode == modeTyped {
		k.Switch.SetHelp("tab", "browse")
	} else {
		k.Switch.SetHelp("tab", "type a path")
	}
}

// all is the bindings of a mode, for help.
func (k *keyMap) all(md mode) []key.Binding {
	switch md {
	case modeBrowse:
		return []key.Binding{k.Up, k.Down, k.Open, k.Parent, k.PageUp, k.PageDown, k.Hidden, k.Switch, k.Close}
	case modeTyped:
		return []key.Binding{k.Check, k.Switch, k.Close}
	}
	return []key.Binding{k.Add, k.Remove, k.Up, k.Down}
}
