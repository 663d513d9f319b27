package screen_test

import (
	"testing"

	tea "charm.land/bubbletea/v2"

	"github.com/ers-workstation/ers-workstation/ui/screen"
	"github.com/ers-workstation/ers-workstation/ui/uitest"
)

// recorder keeps every message, to see their order.
type recorder struct{ msgs []tea.Msg }

func (r *recorder) Update(msg tea.Msg) (*recorder, tea.Cmd) {
	r.msgs = append(r.msgs, msg)
	return r, nil
}

func TestATaskSaysBusyBeforeAndNotBusyWithItsAnswer(t *testing.T) {
	cmd := screen.Task("Loading", func() tea.Msg { return "answer" })
	msgs := uitest.RunInit(&recorder{}, cmd).Msgs
	if len(msgs) != 3 || msgs[0] != (screen.Busy{Task: "Loading", On: true}) {
		t.Fatalf("messages %v: want busy on first, then the answer and busy off", msgs)
	}
	var off, answer bool
	for _, m := range msgs[1:] {
		off = off || m == screen.Busy{Task: "Loading"}
		answer = answer || m == "answer"
	}
	if !off || !answer {
		t.Errorf("messages %v: want the answer and busy off after busy on", msgs)
	}
}
