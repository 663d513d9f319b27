package screen

import tea "charm.land/bubbletea/v2"

// Task runs work with task shown as busy. The busy on is sent before the
// work starts, and the busy off with its answer whatever the screen then
// does with it: a screen that drops a stale answer (an older load
// generation) still lets the indicator stop.
func Task(task string, work tea.Cmd) tea.Cmd {
	return tea.Sequence(
		func() tea.Msg { return Busy{Task: task, On: true} },
		func() tea.Msg {
			msg := work()
			return tea.BatchMsg{
				func() tea.Msg { return Busy{Task: task} },
				func() tea.Msg { return msg },
			}
		},
	)
}
