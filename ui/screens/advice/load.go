package advice

import (
	"context"

	tea "charm.land/bubbletea/v2"

	"github.com/ers-workstation/ers-workstation/ersclient"
	"github.com/ers-workstation/ers-workstation/session"
	"github.com/ers-workstation/ers-workstation/ui/screen"
)

type (
	identityMsg struct {
		id  session.Identity
		err error
	}
	loadedMsg struct {
		gen       int
		req       *ersclient.AdviceRequest
		thread    *ersclient.AdviceThread
		err       error // A024's: nothing to show
		threadErr error // A025's: the request shows, the conversation says why not
	}
)

const taskLoad = "Loading A&G request"

// identify asks the session who the user is (from memory): the Open arg
// is only a UBRN.
func (m *Model) identify() tea.Cmd {
	auth := m.c.Auth
	if auth == nil {
		return nil
	}
	return func() tea.Msg {
		id, ok := auth.Identity()
		if !ok {
			return identityMsg{err: session.ErrSignInRequired}
		}
		return identityMsg{id: id}
	}
}

// identified records the user and restores their draft for this request.
func (m *Model) identified(msg identityMsg) tea.Cmd {
	m.user, m.userErr = msg.id, msg.err
	if msg.err != nil || msg.id.UserID == "" {
		return nil
	}
	return m.loadDrafts()
}

// load starts a generation: A024, then A025 at the version A024 gave.
func (m *Model) load() tea.Cmd {
	m.gen++
	m.loading, m.loadErr = true, nil
	gen, c, ubrn := m.gen, m.c, m.ubrn
	return screen.Task(taskLoad, func() tea.Msg {
		req, err := call(c, func(ctx context.Context) (*ersclient.AdviceRequest, error) {
			return c.ERS.RetrieveAdviceRequest(ctx, ubrn)
		})
		if err != nil {
			return loadedMsg{gen: gen, err: err}
		}
		th, terr := call(c, func(ctx context.Context) (*ersclient.AdviceThread, error) {
			return c.ERS.RetrieveAdviceConversation(ctx, ubrn, req.Version)
		})
		return loadedMsg{gen: gen, req: req, thread: th, threadErr: terr}
	})
}

func (m *Model) loaded(msg loadedMsg) tea.Cmd {
	m.loading = false
	if msg.err != nil {
		m.loadErr = msg.err
		return nil
	}
	m.setRequest(msg.req, msg.thread, msg.threadErr)
	return nil
}

// setRequest shows a request and its conversation; the form keeps its
// text, and takes the request's priority unless the user chose one.
func (m *Model) setRequest(req *ersclient.AdviceRequest, th *ersclient.AdviceThread, threadErr error) {
	m.req, m.sum, m.loadErr = req, req.Summary(), nil
	if m.sum.UBRN == "" {
		m.sum.UBRN = m.ubrn
	}
	m.thread, m.threadErr = th, threadErr
	var msgs []ersclient.AdviceMessage
	if th != nil {
		msgs = th.Messages
	}
	m.conv.set(msgs)
	m.form.defaultPriority(m.sum.Priority)
	m.buildDocs()
}
