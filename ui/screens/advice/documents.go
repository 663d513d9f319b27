package advice

import (
	"context"
	"io"

	"github.com/ers-workstation/ers-workstation/ersclient"
	"github.com/ers-workstation/ers-workstation/ui/components/document"
)

// docItem is a document of the request: the overview PDF (A043) or an
// attachment of the request or of a message (A042).
type docItem struct {
	src    document.Source
	detail string
	why    string // why it cannot be downloaded now; "" when it can
}

// buildDocs lists the overview, then the request's and the messages'
// attachments (each once), in conversation order.
func (m *Model) buildDocs() {
	c, ubrn := m.c, m.ubrn
	m.items = []docItem{{
		src: document.Source{Key: "overview:" + ubrn, Title: "A&G overview (PDF)", FileName: ubrn + "_AG_Overview.pdf",
			Fetch: func(ctx context.Context, w io.Writer) (*ersclient.Download, error) {
				return c.ERS.RetrieveAdviceOverview(ctx, ubrn, w)
			}},
		detail: "the whole request and conversation",
	}}
	seen := map[string]bool{}
	add := func(a ersclient.AttachmentSummary, from string) {
		id := a.ID
		if id == "" {
			id = a.DocumentID
		}
		if seen[id] {
			return
		}
		seen[id] = true
		it := docItem{src: document.Source{Key: "att:" + id, Title: attachmentTitle(a), FileName: attachmentTitle(a),
			Fetch: func(ctx context.Context, w io.Writer) (*ersclient.Download, error) {
				return c.ERS.RetrieveAttachment(ctx, a.ID, w)
			}}, detail: from}
		if !a.Downloadable() {
			it.why = a.Availability.Label()
		}
		m.items = append(m.items, it)
	}
	for _, a := range m.sum.Attachments {
		add(a, "the request")
	}
	if m.thread != nil {
		for _, msg := range m.thread.Messages {
			from := msg.SentBy.Label()
			if !msg.Sent.IsZero() {
				from += ", " + msg.Sent.Format("2 Jan 2006 15:04")
			}
			for _, a := range msg.Attachments {
				add(a, from)
			}
		}
	}
	m.docCur = min(m.docCur, len(m.items)-1)
	if m.mode == modeDocs {
		m.focusDoc()
	}
}

func (m *Model) focusedDoc() (docItem, bool) {
	if m.docCur < 0 || m.docCur >= len(m.items) {
		return docItem{}, false
	}
	return m.items[m.docCur], true
}

func (m *Model) focusDoc() {
	if it, ok := m.focusedDoc(); ok {
		m.docs.Focus(it.src.Key)
	}
}
