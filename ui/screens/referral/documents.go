package referral

import (
	"context"
	"fmt"
	"io"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/ers-workstation/ers-workstation/ersclient"
	"github.com/ers-workstation/ers-workstation/ui/components/document"
)

// docItem is a document the referral offers: its clinical information
// summary (and those of the related referrals in the pathway), or an
// attachment. What happened to it is kept by the document.Set.
type docItem struct {
	src    document.Source // Key "ci:<ubrn>" or "att:<id>"
	detail string
	// why says why the file cannot be downloaded now; "" when it can.
	why string
}

// buildDocs lists the documents of the referral shown; what was downloaded
// stays in the Set.
func (m *Model) buildDocs() {
	s, c := m.sum, m.c
	var clinical []docItem
	for i, ubrn := range append([]string{s.UBRN}, s.RelatedReferrals...) {
		it := docItem{src: document.Source{Key: "ci:" + ubrn, Title: "Clinical information summary (PDF)",
			FileName: ubrn + "_Clinical_Information.pdf",
			Fetch: func(ctx context.Context, w io.Writer) (*ersclient.Download, error) {
				return c.ERS.RetrieveClinicalInformation(ctx, ubrn, w)
			}}}
		if i == 0 {
			it.detail = "this referral"
			if !s.ClinicalInfoLastUpdated.IsZero() {
				it.detail += ", updated " + date(s.ClinicalInfoLastUpdated)
			}
		} else {
			it.detail = "related referral " + ubrn
		}
		clinical = append(clinical, it)
	}
	var attachments []docItem
	for _, a := range s.Attachments {
		title := a.Title
		if title == "" {
			title = a.ID
		}
		it := docItem{src: document.Source{Key: "att:" + a.ID, Title: title, FileName: title,
			Fetch: func(ctx context.Context, w io.Writer) (*ersclient.Download, error) {
				return c.ERS.RetrieveAttachment(ctx, a.ID, w)
			}}}
		parts := []string{}
		if a.Type != "" {
			parts = append(parts, strings.ToLower(strings.ReplaceAll(string(a.Type), "_", " ")))
		}
		if a.Size > 0 {
			parts = append(parts, sizeText(a.Size))
		}
		if !a.Created.IsZero() {
			parts = append(parts, date(a.Created))
		}
		it.detail = strings.Join(parts, ", ")
		if !a.Downloadable() {
			it.why = a.Availability.Label()
			if a.AttachedBy != "" || a.AttachedByOrg != "" {
				it.why += " (uploaded by " + strings.TrimSpace(a.AttachedBy+" "+a.AttachedByOrg) + ")"
			}
		}
		attachments = append(attachments, it)
	}
	m.lists = [tabCount][]docItem{tabClinical: clinical, tabAttachments: attachments}
	for t := range m.lists {
		m.cursor[t] = min(m.cursor[t], max(len(m.lists[t])-1, 0))
	}
	m.focusDoc()
}

// focused is the document under the cursor of the section shown; none on
// the summary or an empty list.
func (m *Model) focused() (docItem, bool) {
	items := m.lists[m.tab]
	if len(items) == 0 {
		return docItem{}, false
	}
	return items[min(m.cursor[m.tab], len(items)-1)], true
}

// focusDoc shows the focused document in the Set's pane. The summary
// leaves the pane alone, so coming back keeps the preview's place.
func (m *Model) focusDoc() {
	if m.tab == tabSummary {
		return
	}
	it, _ := m.focused()
	m.docs.Focus(it.src.Key)
}

// docKey handles download (enter), open (o) and keep (K) on the focused
// document; handled is false for any other key.
func (m *Model) docKey(msg tea.KeyPressMsg, k keyMap) (cmd tea.Cmd, handled bool) {
	it, ok := m.focused()
	switch {
	case key.Matches(msg, k.Download):
		if ok && it.why == "" {
			cmd = m.docs.Download(it.src)
		}
	case key.Matches(msg, k.Open):
		cmd = m.docs.Open(it.src.Key)
	case key.Matches(msg, k.Keep):
		cmd = m.docs.Keep(it.src.Key)
	default:
		return nil, false
	}
	return cmd, true
}

// moveDoc moves the list (arrows, j/k, g/G) and scrolls the preview
// (pages); focusDoc then shows the document now under the cursor.
func (m *Model) moveDoc(msg tea.KeyPressMsg, k keyMap) {
	n := len(m.lists[m.tab])
	c := m.cursor[m.tab]
	page := max(m.bodyHeight()/2, 1)
	switch {
	case key.Matches(msg, k.Up):
		c--
	case key.Matches(msg, k.Down):
		c++
	case key.Matches(msg, k.Top):
		c = 0
	case key.Matches(msg, k.Bottom):
		c = n - 1
	case key.Matches(msg, k.PageUp):
		m.docs.Scroll(-2 * page)
	case key.Matches(msg, k.PageDown):
		m.docs.Scroll(2 * page)
	case key.Matches(msg, k.HalfUp):
		m.docs.Scroll(-page)
	case key.Matches(msg, k.HalfDown):
		m.docs.Scroll(page)
	}
	m.cursor[m.tab] = min(max(c, 0), max(n-1, 0))
}

func sizeText(n int64) string {
	switch {
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%d KB", n/(1<<10))
	}
	return fmt.Sprintf("%d bytes", n)
}
