package document

import tea "charm.land/bubbletea/v2"

// drive runs cmd to its end, feeding the Set its own messages, and returns
// the rest (toasts, busy).
func drive(s *Set, cmd tea.Cmd) []tea.Msg {
	var out []tea.Msg
	var run func(tea.Cmd)
	run = func(cmd tea.Cmd) {
		if cmd == nil {
			return
		}
		switch m := cmd().(type) {
		case tea.BatchMsg:
			for _, c := range m {
				run(c)
			}
		default:
			if next, ok := s.Update(m); ok {
				run(next)
				return
			}
			out = append(out, m)
		}
	}
	run(cmd)
	return out
}
