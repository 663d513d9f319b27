package booking

import (
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/ers-workstation/ers-workstation/ersclient"
	"github.com/ers-workstation/ers-workstation/ui/components/fit"
	"github.com/ers-workstation/ers-workstation/ui/components/scroll"
	"github.com/ers-workstation/ers-workstation/ui/theme"
)

// slotList is the free slots of one service as loaded so far, page by page,
// grouped by day and session. A015 pages are not a snapshot: a slot seen on
// an earlier page is kept once, and a change of e-RS's total while paging
// (a gap may have opened) is noted so the user can refresh.
type slotList struct {
	slots   []ersclient.SlotView // unique, in time order
	seen    map[string]bool
	total   int // e-RS's count over all pages, from the first page
	page    int // the last page loaded
	hasNext bool
	shifted bool // the total changed between pages
	loc     *time.Location

	rows   []slotRow
	rowOf  []int // slot index -> row index
	cursor int   // slot index; -1 when there are none
	top    int   // first row shown

	// lines caches each row cut and padded to width, styled, so a frame
	// touches only the rows it shows.
	lines      []string
	linesWidth int
}

type rowKind int

const (
	rowDay rowKind = iota
	rowSession
	rowSlot
)

type slotRow struct {
	kind rowKind
	slot int // index in slots, for rowSlot
	text string
}

func newSlotList(loc *time.Location) slotList {
	return slotList{seen: map[string]bool{}, cursor: -1, loc: loc}
}

// replace starts again from a first page (a refresh): what e-RS says now
// replaces what was shown. The cursor stays on the same slot if it is still
// free, else on the slot now in its place.
func (l *slotList) replace(p *ersclient.SlotPage) {
	keepID, keepIdx := l.selectedID(), l.cursor
	*l = slotList{seen: map[string]bool{}, cursor: -1, loc: l.loc}
	l.total = p.Total
	l.add(p)
	if !l.selectID(keepID) && keepIdx >= 0 && len(l.slots) > 0 {
		l.cursor = min(keepIdx, len(l.slots)-1)
	}
}

// add appends a further page, dropping slots already shown.
func (l *slotList) add(p *ersclient.SlotPage) {
	keepID := l.selectedID()
	if l.page > 0 && p.Total != l.total {
		l.shifted = true
	}
	l.page, l.hasNext = p.Page, p.HasNext
	for _, s := range p.Slots {
		if s.ID == "" || l.seen[s.ID] {
			continue
		}
		l.seen[s.ID] = true
		l.slots = append(l.slots, s)
	}
	sort.SliceStable(l.slots, func(i, j int) bool {
		if !l.slots[i].Start.Equal(l.slots[j].Start) {
			return l.slots[i].Start.Before(l.slots[j].Start)
		}
		return l.slots[i].ID < l.slots[j].ID
	})
	l.regroup()
	if !l.selectID(keepID) && l.cursor < 0 && len(l.slots) > 0 {
		l.cursor = 0
	}
}

// regroup lays the slots out as day, session and slot rows.
func (l *slotList) regroup() {
	l.rows = l.rows[:0]
	l.rowOf = make([]int, len(l.slots))
	l.lines, l.linesWidth = nil, 0
	index := make(map[string]int, len(l.slots))
	for i, s := range l.slots {
		index[s.ID] = i
	}
	for _, d := range ersclient.GroupSlotsByDay(l.slots, l.loc) {
		l.rows = append(l.rows, slotRow{kind: rowDay, slot: -1,
			text: d.Date.Format("Monday 2 January 2006") + "  (" + plural(d.Count(), "slot") + ")"})
		for sess, ss := range d.Sessions {
			if len(ss) == 0 {
				continue
			}
			l.rows = append(l.rows, slotRow{kind: rowSession, slot: -1, text: "  " + ersclient.SlotSession(sess).String()})
			for _, s := range ss {
				i := index[s.ID]
				l.rowOf[i] = len(l.rows)
				l.rows = append(l.rows, slotRow{kind: rowSlot, slot: i, text: l.slotText(s)})
			}
		}
	}
}

// slotText is a slot's line: time, clinician, location.
func (l *slotList) slotText(s ersclient.SlotView) string {
	var b strings.Builder
	b.WriteString("    ")
	b.WriteString(s.Start.In(l.loc).Format("15:04"))
	if !s.End.IsZero() {
		b.WriteString("-" + s.End.In(l.loc).Format("15:04"))
	}
	who := s.ClinicianName
	if who == "" && s.ClinicianSDS != "" {
		who = "clinician " + s.ClinicianSDS
	}
	if who == "" {
		who = "no named clinician"
	}
	b.WriteString("  " + who)
	if s.Location != "" {
		b.WriteString("  at " + s.Location)
	}
	return b.String()
}

func (l *slotList) selectedID() string {
	if s, ok := l.selected(); ok {
		return s.ID
	}
	return ""
}

func (l *slotList) selected() (ersclient.SlotView, bool) {
	if l.cursor < 0 || l.cursor >= len(l.slots) {
		return ersclient.SlotView{}, false
	}
	return l.slots[l.cursor], true
}

func (l *slotList) selectID(id string) bool {
	if id == "" {
		return false
	}
	for i, s := range l.slots {
		if s.ID == id {
			l.cursor = i
			return true
		}
	}
	return false
}

// move moves the cursor by d slots, kept within the list.
func (l *slotList) move(d int) {
	if len(l.slots) == 0 {
		return
	}
	l.cursor = min(max(l.cursor+d, 0), len(l.slots)-1)
}

// atEnd reports the cursor on the last slot loaded.
func (l *slotList) atEnd() bool { return len(l.slots) > 0 && l.cursor == len(l.slots)-1 }

// render draws height rows from the window that keeps the cursor in view
// (with its day heading when there is room): only those rows are styled.
func (l *slotList) render(st *theme.Styles, width, height int) []string {
	if height <= 0 || len(l.rows) == 0 {
		return nil
	}
	l.cacheLines(width)
	cur := 0
	if l.cursor >= 0 {
		cur = l.rowOf[l.cursor]
	}
	l.top = scroll.Window(l.top, cur, len(l.rows), height)
	// Show the headings above the first slot of the list.
	if cur < 3 {
		l.top = 0
	}
	end := min(l.top+height, len(l.rows))
	out := make([]string, 0, end-l.top)
	for i := l.top; i < end; i++ {
		if l.cursor >= 0 && i == cur {
			out = append(out, st.Selected.Render(fit.Line("▶"+l.rows[i].text[1:], width)))
			continue
		}
		if l.lines[i] == "" {
			l.lines[i] = l.styleRow(st, l.rows[i], width)
		}
		out = append(out, l.lines[i])
	}
	return out
}

// cacheLines starts a fresh cache when the width or the layout changed;
// rows are fitted and styled when first shown.
func (l *slotList) cacheLines(width int) {
	if l.linesWidth == width && len(l.lines) == len(l.rows) {
		return
	}
	l.lines = make([]string, len(l.rows))
	l.linesWidth = width
}

func (l *slotList) styleRow(st *theme.Styles, r slotRow, width int) string {
	text := fit.Line(r.text, width)
	switch r.kind {
	case rowDay:
		return st.Title.Render(text)
	case rowSession:
		return st.Faint.Render(text)
	}
	return st.Text.Render(text)
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return strconv.Itoa(n) + " " + word + "s"
}
