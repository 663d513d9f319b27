package advice

import (
	"strings"

	"github.com/ers-workstation/ers-workstation/ersclient"
	"github.com/ers-workstation/ers-workstation/ui/components/fit"
	"github.com/ers-workstation/ers-workstation/ui/theme"
)

// conversation is the messages laid out as styled lines, once per width:
// scrolling only slices, a resize lays out again.
type conversation struct {
	msgs  []ersclient.AdviceMessage
	width int
	lines []string
	top   int
}

func (c *conversation) set(msgs []ersclient.AdviceMessage) {
	c.msgs, c.lines, c.width = msgs, nil, 0
}

// layout is the lines at width, from the cache when the width is the same.
func (c *conversation) layout(st *theme.Styles, width int) []string {
	if c.lines != nil && c.width == width {
		return c.lines
	}
	c.width = width
	c.lines = c.lines[:0]
	if len(c.msgs) == 0 {
		c.lines = append(c.lines, st.Faint.Render("There are no messages in this conversation yet."))
		return c.lines
	}
	for i, m := range c.msgs {
		if i > 0 {
			c.lines = append(c.lines, "")
		}
		for _, l := range fit.Wrap(header(m), width) {
			c.lines = append(c.lines, st.Title.Render(l))
		}
		for _, para := range strings.Split(m.Text, "\n") {
			for _, l := range fit.Wrap(clean(para), width) {
				c.lines = append(c.lines, st.Text.Render(l))
			}
		}
		for _, a := range m.Attachments {
			text := "Attachment: " + attachmentTitle(a)
			if !a.Downloadable() {
				text += " [" + a.Availability.Label() + "]"
			} else {
				text += " (d lists the documents to download)"
			}
			for _, l := range fit.Wrap(text, width) {
				c.lines = append(c.lines, st.Faint.Render(l))
			}
		}
	}
	return c.lines
}

// header names the sender: side, SDS id, role and organisation, and time.
func header(m ersclient.AdviceMessage) string {
	parts := []string{m.SentBy.Label()}
	sds, org, role := m.SenderSDS, m.SenderOrg, m.SenderRole
	if sds == "" {
		sds = m.Sender.SDSUserID
	}
	if org == "" {
		org = m.Sender.Organisation
	}
	if role == "" {
		role = m.Sender.RoleLabel()
	}
	if sds != "" {
		parts = append(parts, "user "+sds)
	}
	if role != "" {
		parts = append(parts, role)
	}
	if org != "" {
		parts = append(parts, org)
	}
	if !m.Sent.IsZero() {
		parts = append(parts, m.Sent.Format("2 Jan 2006 15:04"))
	}
	return strings.Join(parts, " · ")
}

func attachmentTitle(a ersclient.AttachmentSummary) string {
	if a.Title != "" {
		return a.Title
	}
	if a.ID != "" {
		return a.ID
	}
	return a.DocumentID
}

// clean drops what a terminal would act on from text e-RS sent.
func clean(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r == '\t':
			return ' '
		case r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0):
			return -1
		}
		return r
	}, s)
}
