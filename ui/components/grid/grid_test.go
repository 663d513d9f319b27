package grid_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"github.com/ers-workstation/ers-workstation/ui/components/grid"
	"github.com/ers-workstation/ers-workstation/ui/theme"
	"github.com/ers-workstation/ers-workstation/ui/uitest"
)

func testStyles() *theme.Styles { return theme.New(theme.Default) }

// shownKeys lists the keys in display order by walking the selection.
func shownKeys(g *grid.Model) []string {
	shown, _ := g.Counts()
	var out []string
	g.Update(uitest.Key("g"))
	for i := 0; i < shown; i++ {
		k, _ := g.Selected()
		out = append(out, k)
		g.Update(uitest.Key("j"))
	}
	return out
}

func small() *grid.Model {
	g := grid.New([]grid.Column{
		{Title: "Name", Width: 10},
		{Title: "Town", Width: 10, Drop: 1},
	}, testStyles())
	g.SetSize(40, 10)
	g.SetRows([]string{"a", "b", "c", "d"}, [][]string{
		{"Carol", "Leeds"}, {"alice", "York"}, {"Bob", "leeds"}, {"alice", "Bath"},
	}, nil)
	return g
}

func TestSelectionFollowsTheKeyThroughSortFilterAndNewRows(t *testing.T) {
	g := small()
	if !g.Select("c") {
		t.Fatal("Select(c) failed")
	}
	g.SortBy(0, false)
	if k, _ := g.Selected(); k != "c" {
		t.Fatalf("after sort selected %q, want c", k)
	}
	g.SetFilter("LEE")
	if got := g.Filter(); got != "LEE" {
		t.Fatalf("Filter() = %q, want the text as typed", got)
	}
	if k, _ := g.Selected(); k != "c" {
		t.Fatalf("after filter selected %q, want c", k)
	}
	g.SetRows([]string{"x", "c", "y"}, [][]string{{"Xena", "Leeds"}, {"Bob", "Leeds"}, {"Yan", "Hull"}}, nil)
	if k, _ := g.Selected(); k != "c" {
		t.Fatalf("after new rows selected %q, want c", k)
	}
	if shown, total := g.Counts(); shown != 2 || total != 3 {
		t.Fatalf("counts %d of %d, want 2 of 3", shown, total)
	}
}

func TestAFilteredOutSelectionComesBackWhenTheFilterWidens(t *testing.T) {
	g := small()
	g.Select("b")
	g.SetFilter("leeds")
	if k, _ := g.Selected(); k == "b" {
		t.Fatal("a filtered-out row is still selected")
	}
	g.SetFilter("")
	if k, _ := g.Selected(); k != "b" {
		t.Fatalf("selected %q after clearing the filter, want b", k)
	}
}

func TestFilterIgnoresCaseSearchesEveryColumnAndNotAcrossCells(t *testing.T) {
	cases := []struct {
		query string
		want  []string
	}{
		{"", []string{"a", "b", "c", "d"}},
		{"ALICE", []string{"b", "d"}},
		{"leeds", []string{"a", "c"}},
		{"l", []string{"a", "b", "c", "d"}},
		{"aliceyork", nil},
		{"zzz", nil},
	}
	for _, tc := range cases {
		t.Run(fmt.Sprintf("query %q shows %v", tc.query, tc.want), func(t *testing.T) {
			g := small()
			g.SetFilter(tc.query)
			if got := shownKeys(g); !slices.Equal(got, tc.want) {
				t.Fatalf("got %v", got)
			}
		})
	}
}

func TestNarrowingTheFilterGivesWhatAFreshFilterGives(t *testing.T) {
	typed, _ := newWorklistGrid(3000, 120, 40)
	fresh, _ := newWorklistGrid(3000, 120, 40)
	query := "dermatology clinic 1"
	for i := 1; i <= len(query); i++ {
		typed.SetFilter(query[:i])
		fresh.SetFilter("")
		fresh.SetFilter(query[:i])
		if a, b := shownKeys(typed), shownKeys(fresh); !slices.Equal(a, b) {
			t.Fatalf("query %q: typed %d rows, fresh %d", query[:i], len(a), len(b))
		}
	}
	for i := len(query) - 1; i >= 0; i-- { // and back with backspace
		typed.SetFilter(query[:i])
		fresh.SetFilter("")
		fresh.SetFilter(query[:i])
		if a, b := shownKeys(typed), shownKeys(fresh); !slices.Equal(a, b) {
			t.Fatalf("query %q after backspace: typed %d rows, fresh %d", query[:i], len(a), len(b))
		}
	}
}

func TestSortIsStableBothWaysAndUsesTheColumnsCompare(t *testing.T) {
	g := small()
	g.SortBy(1, false) // by text: Bath, Leeds, York, leeds
	if got := shownKeys(g); !slices.Equal(got, []string{"d", "a", "b", "c"}) {
		t.Fatalf("ascending: %v", got)
	}
	g.SortBy(0, true) // alice twice: b before d in both directions
	if got := shownKeys(g); !slices.Equal(got, []string{"b", "d", "a", "c"}) {
		t.Fatalf("descending: %v", got)
	}
	if col, desc := g.Sort(); col != 0 || !desc {
		t.Fatalf("Sort() = %d, %v", col, desc)
	}
	g.SortBy(-1, false)
	if got := shownKeys(g); !slices.Equal(got, []string{"a", "b", "c", "d"}) {
		t.Fatalf("unsorted: %v", got)
	}

	w, cells := newWorklistGrid(500, 120, 40)
	w.SortBy(8, true) // Days, numerically
	keys := shownKeys(w)
	last := 1 << 30
	for _, k := range keys {
		var i int
		fmt.Sscanf(k, "%d", &i)
		var d int
		fmt.Sscanf(cells[i-100000000000][8], "%d", &d)
		if d > last {
			t.Fatalf("days not descending: %d after %d", d, last)
		}
		last = d
	}
}

func TestNarrowTerminalsDropColumnsInDropOrder(t *testing.T) {
	g, _ := newWorklistGrid(10, 240, 10)
	if got := g.VisibleColumns(); len(got) != 12 {
		t.Fatalf("240 wide shows %v, want all 12", got)
	}
	prev := g.VisibleColumns()
	for w := 239; w >= 40; w-- {
		g.SetSize(w, 10)
		got := g.VisibleColumns()
		for _, c := range []int{0, 1, 2} {
			if !slices.Contains(got, c) {
				t.Fatalf("%d wide dropped column %d, which never drops", w, c)
			}
		}
		// A column goes only after every column with a higher Drop.
		cols := worklistColumns(nil)
		for _, c := range got {
			for d := range cols {
				if !slices.Contains(got, d) && cols[d].Drop < cols[c].Drop && cols[c].Drop > 0 {
					t.Fatalf("%d wide dropped %q (Drop %d) but kept %q (Drop %d)", w, cols[d].Title, cols[d].Drop, cols[c].Title, cols[c].Drop)
				}
			}
		}
		if len(got) > len(prev) {
			t.Fatalf("narrowing to %d showed more columns", w)
		}
		prev = got
	}
	g.SetSize(80, 24)
	if got := g.VisibleColumns(); slices.Contains(got, 11) || slices.Contains(got, 5) {
		t.Fatalf("80 wide still shows clinician or type: %v", got)
	}
}

func TestEveryFrameIsExactlyTheSize(t *testing.T) {
	for _, n := range []int{0, 3, 500} {
		g, _ := newWorklistGrid(n, 80, 24)
		for _, s := range append(uitest.Sizes(), uitest.Size{W: 1, H: 1}, uitest.Size{W: 3, H: 2}, uitest.Size{W: 30, H: 5}) {
			g.SetSize(s.W, s.H)
			g.Update(uitest.Key("G"))
			uitest.AssertFrame(t, g.View(), s.W, s.H)
			g.SetFilter("dermatology")
			uitest.AssertFrame(t, g.View(), s.W, s.H)
			g.SetFilter("no such row")
			uitest.AssertFrame(t, g.View(), s.W, s.H)
			g.SetFilter("")
		}
	}
}

func TestMovementKeys(t *testing.T) {
	g, _ := newWorklistGrid(100, 120, 11) // ten rows in view
	steps := []struct {
		key  string
		want int
	}{
		{"j", 1}, {"down", 2}, {"k", 1}, {"pgdown", 11}, {"ctrl+d", 16}, {"ctrl+u", 11},
		{"pgup", 1}, {"G", 99}, {"j", 99}, {"home", 0}, {"k", 0}, {"end", 99}, {"g", 0},
	}
	for _, s := range steps {
		g.Update(uitest.Key(s.key))
		k, _ := g.Selected()
		if want := fmt.Sprintf("%012d", 100000000000+s.want); k != want {
			t.Fatalf("after %s selected %s, want row %d", s.key, k, s.want)
		}
	}
	if r := g.CursorRow(); r != 1 {
		t.Fatalf("CursorRow at the top is %d, want 1", r)
	}
}

func TestMovementKeysAreDisabledWithoutRows(t *testing.T) {
	g := small()
	g.SetFilter("nothing")
	for _, b := range g.KeyMap() {
		if b.Enabled() {
			t.Fatalf("%v enabled with no rows shown", b.Keys())
		}
	}
	if _, ok := g.Selected(); ok {
		t.Fatal("a row is selected with none shown")
	}
	g.SetFilter("")
	if !g.KeyMap()[0].Enabled() {
		t.Fatal("movement disabled with rows shown")
	}
}

func TestSelectedRowHasThePointerAndReverseVideoAndMarksHaveGlyphs(t *testing.T) {
	g := grid.New([]grid.Column{{Title: "Name", Width: 10}}, testStyles())
	g.SetSize(30, 5)
	g.SetRows([]string{"a", "b", "c"}, [][]string{{"Ann"}, {"Ben"}, {"Cal"}}, []grid.Mark{grid.None, grid.Attention, grid.Done})
	g.Select("b")
	lines := strings.Split(g.View(), "\n")
	if got := ansi.Strip(lines[2]); !strings.HasPrefix(got, "▶ ! Ben") {
		t.Fatalf("selected row: %q", got)
	}
	if !strings.Contains(lines[2], "\x1b[7m") {
		t.Fatalf("selected row is not reverse video: %q", lines[2])
	}
	if got := ansi.Strip(lines[3]); !strings.HasPrefix(got, "  ✓ Cal") {
		t.Fatalf("done row: %q", got)
	}
	if strings.Count(lines[3], "\x1b[") > 2 {
		t.Fatalf("more than one style on a row: %q", lines[3])
	}
	for _, k := range []grid.Mark{grid.None, grid.Attention, grid.Changed, grid.Done} {
		if ansi.StringWidth(k.Glyph()) != 1 {
			t.Fatalf("glyph of %v is not one cell", k)
		}
	}
}

func TestCellsCannotBreakTheLineOrSendEscapes(t *testing.T) {
	g := grid.New([]grid.Column{{Title: "Note", Width: 12}, {Title: "Name", Width: 8}}, testStyles())
	g.SetSize(30, 4)
	g.SetRows([]string{"a", "b"}, [][]string{{"two\nlines", "x\x1b[2Jy"}, {"日本語の文字列です", "Zoë O'Brien-Smythe"}}, nil)
	v := g.View()
	uitest.AssertFrame(t, v, 30, 4)
	if strings.Contains(v, "\x1b[2J") {
		t.Fatal("an escape sequence from a cell reached the view")
	}
	if got := ansi.Strip(strings.Split(v, "\n")[2]); !strings.Contains(got, "…") {
		t.Fatalf("a long cell is not cut with an ellipsis: %q", got)
	}
}

func TestAThemeChangedInPlaceRestylesTheRows(t *testing.T) {
	st := theme.New(theme.Default)
	g := grid.New([]grid.Column{{Title: "Name", Width: 10}}, st)
	g.SetSize(20, 3)
	g.SetRows([]string{"a", "b"}, [][]string{{"Ann"}, {"Ben"}}, []grid.Mark{grid.None, grid.Attention})
	before := g.View()
	*st = *theme.New(theme.HighContrast)
	after := g.View()
	if before == after || ansi.Strip(before) != ansi.Strip(after) {
		t.Fatalf("theme change: styles unchanged or text changed\n%q\n%q", before, after)
	}
}

func TestGoldens(t *testing.T) {
	for _, s := range []uitest.Size{{W: 80, H: 24}, {W: 120, H: 40}} {
		g, _ := newWorklistGrid(60, s.W, s.H)
		g.SortBy(8, true)
		g.Update(uitest.Key("g"))
		g.Update(uitest.Key("j"))
		uitest.Golden(t, fmt.Sprintf("worklist_%dx%d", s.W, s.H), g.View())
		g.SetFilter("derm")
		uitest.Golden(t, fmt.Sprintf("filtered_%dx%d", s.W, s.H), g.View())
	}
}

func TestWideningTheTerminalBringsDroppedColumnsBack(t *testing.T) {
	g, _ := newWorklistGrid(5, 80, 10)
	if v := ansi.Strip(g.View()); strings.Contains(v, "Dr Bob Brown") {
		t.Fatal("80 wide shows the clinician column")
	}
	g.SetSize(240, 10)
	if v := ansi.Strip(g.View()); !strings.Contains(v, "Dr Bob Brown") || !strings.Contains(v, "TRIAGE_DEFERRAL") {
		t.Fatalf("240 wide lacks clinician or type:\n%s", v)
	}
}
