package referral

import (
	"context"
	"fmt"
	"io"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/ers-workstation/ers-workstation/ersclient"
	"github.com/ers-workstation/ers-workstation/files"
	"github.com/ers-workstation/ers-workstation/ui/components/document"
	"github.com/ers-workstation/ers-workstation/ui/screen"
)

// docItem is a document the referral offers: its clinical information
// summary (and those of the related referrals in the pathway), or an
// attachment.
type docItem struct {
	key    string // "ci:<ubrn>" or "att:<id>"
	title  string
	detail string
	ubrn   string // clinical information of this UBRN
	attID  string // or this attachment
	// why says why the file cannot be downloaded now; "" when it can.
	why string
}

// docState is what happened to a document here.
type docState struct {
	busy    bool
	path    string
	kept    bool
	err     error
	preview []string       // the text, one entry per line
	note    string         // why there is no preview
	text    *document.Text // preview, wrapped once per width
}

// docs is the documents half of the screen: the two lists, what was
// downloaded, and the preview of the focused one.
type docs struct {
	store   *files.Store
	enabled bool
	getenv  func(string) string
	opener  func(path string) error

	clinical, attachments []docItem
	cursor                [tabCount]int
	scroll                int
	state                 map[string]*docState
}

func newDocs(store *files.Store, enabled bool, getenv func(string) string, opener func(string) error) docs {
	return docs{store: store, enabled: enabled, getenv: getenv, opener: opener, state: map[string]*docState{}}
}

// buildDocs lists the documents of the referral shown; what was downloaded
// stays.
func (m *Model) buildDocs() {
	s := m.sum
	d := &m.docs
	d.clinical = nil
	for i, ubrn := range append([]string{s.UBRN}, s.RelatedReferrals...) {
		it := docItem{key: "ci:" + ubrn, ubrn: ubrn, title: "Clinical information summary (PDF)"}
		if i == 0 {
			it.detail = "this referral"
			if !s.ClinicalInfoLastUpdated.IsZero() {
				it.detail += ", updated " + date(s.ClinicalInfoLastUpdated)
			}
		} else {
			it.detail = "related referral " + ubrn
		}
		d.clinical = append(d.clinical, it)
	}
	d.attachments = nil
	for _, a := range s.Attachments {
		it := docItem{key: "att:" + a.ID, attID: a.ID, title: a.Title}
		if it.title == "" {
			it.title = a.ID
		}
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
		d.attachments = append(d.attachments, it)
	}
	for t := tabClinical; t < tabCount; t++ {
		d.cursor[t] = min(d.cursor[t], max(len(d.items(t))-1, 0))
	}
}

func (d *docs) items(tab int) []docItem {
	if tab == tabClinical {
		return d.clinical
	}
	if tab == tabAttachments {
		return d.attachments
	}
	return nil
}

func (d *docs) selected(tab int) (docItem, *docState, bool) {
	items := d.items(tab)
	if len(items) == 0 {
		return docItem{}, nil, false
	}
	it := items[min(d.cursor[tab], len(items)-1)]
	return it, d.state[it.key], true
}

func (d *docs) canDownload(tab int) bool {
	it, st, ok := d.selected(tab)
	return ok && it.why == "" && (st == nil || !st.busy)
}

func (d *docs) savedPath(tab int) string {
	if _, st, ok := d.selected(tab); ok && st != nil {
		return st.path
	}
	return ""
}

func (d *docs) canKeep(tab int) bool {
	_, st, ok := d.selected(tab)
	return ok && st != nil && st.path != "" && !st.kept
}

// Results of the document commands.
type (
	downloadedMsg struct {
		key     string
		path    string
		preview []string
		note    string
		err     error
	}
	keptMsg struct {
		key, path string
		err       error
	}
	openedMsg struct {
		path string
		err  error
	}
)

// download fetches the focused document and saves it with the document
// component (0600, a safe name, nothing partial on failure), reading its
// text for the preview.
func (d *docs) download(c screen.Common, tab int) tea.Cmd {
	it, st, ok := d.selected(tab)
	if !ok || it.why != "" || (st != nil && st.busy) {
		return nil
	}
	if !d.enabled {
		return toast("No download folder is set up, so the file cannot be saved.", screen.Warning)
	}
	d.state[it.key] = &docState{busy: true}
	d.scroll = 0
	src := document.Source{Key: it.key, Title: it.title, FileName: it.title,
		Fetch: func(ctx context.Context, w io.Writer) (*ersclient.Download, error) {
			if it.attID != "" {
				return c.ERS.RetrieveAttachment(ctx, it.attID, w)
			}
			return c.ERS.RetrieveClinicalInformation(ctx, it.ubrn, w)
		}}
	if it.ubrn != "" {
		src.FileName = it.ubrn + "_Clinical_Information.pdf"
	}
	store, task := d.store, "Downloading "+it.title
	return tea.Batch(busy(task, true), func() tea.Msg {
		saved, err := call(c, func(ctx context.Context) (document.Saved, error) { return document.Save(ctx, store, src) })
		return tea.BatchMsg{busy(task, false), msgCmd(downloadedMsg{key: it.key, path: saved.Path, preview: saved.Text, note: saved.Note, err: err})}
	})
}

// keep moves the focused document's file to the kept folder.
func (d *docs) keep(tab int) tea.Cmd {
	it, st, ok := d.selected(tab)
	if !ok || st == nil || st.path == "" || st.kept {
		return nil
	}
	store, path := d.store, st.path
	return func() tea.Msg {
		kept, err := store.Keep(path)
		return keptMsg{key: it.key, path: kept, err: err}
	}
}

// open shows the focused document's file in the system viewer, or says
// where it is when there is no display to show it on.
func (d *docs) open(tab int) tea.Cmd {
	path := d.savedPath(tab)
	if path == "" {
		return nil
	}
	v := document.Viewer{Getenv: d.getenv, Open: d.opener}
	if !v.HasDisplay() {
		return document.OpenFile(v, path) // says where the file is
	}
	opener := d.opener
	return func() tea.Msg { return openedMsg{path: path, err: opener(path)} }
}

func (d *docs) update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case downloadedMsg:
		st := &docState{path: msg.path, err: msg.err, preview: msg.preview, note: msg.note, text: document.NewText(msg.preview)}
		d.state[msg.key] = st
		if msg.err != nil {
			return nil
		}
		return document.SavedToast(msg.path)
	case keptMsg:
		st := d.state[msg.key]
		if st == nil {
			return nil
		}
		if msg.err != nil {
			return document.KeepFailedToast(msg.err)
		}
		st.path, st.kept = msg.path, true
		return document.KeptToast(msg.path)
	case openedMsg:
		return document.OpenedToast(msg.path, msg.err)
	}
	return nil
}

// move moves the list (arrows, j/k, g/G) and scrolls the preview (pages).
func (d *docs) move(msg tea.KeyPressMsg, k keyMap, tab, height int) {
	n := len(d.items(tab))
	c := d.cursor[tab]
	page := max(height/2, 1)
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
		d.scroll -= 2 * page
	case key.Matches(msg, k.PageDown):
		d.scroll += 2 * page
	case key.Matches(msg, k.HalfUp):
		d.scroll -= page
	case key.Matches(msg, k.HalfDown):
		d.scroll += page
	}
	c = min(max(c, 0), max(n-1, 0))
	if c != d.cursor[tab] {
		d.cursor[tab], d.scroll = c, 0
	}
	d.scroll = max(d.scroll, 0)
}

// previewLines is the focused document's preview wrapped to width, cached
// per width by the document component.
func (st *docState) previewLines(width int) []string {
	if st.text == nil {
		st.text = document.NewText(st.preview)
	}
	return st.text.Lines(width)
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

func toast(text string, level screen.Level) tea.Cmd {
	return func() tea.Msg { return screen.Toast{Text: text, Level: level} }
}

func msgCmd(msg tea.Msg) tea.Cmd { return func() tea.Msg { return msg } }
