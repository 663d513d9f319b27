package grid_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"github.com/ers-workstation/ers-workstation/ui/components/grid"
)

func TestUpdateRowMovesTheRowInTheSortAndKeepsTheSelection(t *testing.T) {
	g := small()       // a Carol, b alice, c Bob, d alice
	g.SortBy(0, false) // by text: Bob Carol alice alice
	g.Select("c")
	if !g.UpdateRow("a", []string{"Aaron", "Leeds"}, grid.Done) {
		t.Fatal("UpdateRow(a) found no row")
	}
	if got := shownKeys(g); !slices.Equal(got, []string{"a", "c", "b", "d"}) {
		t.Fatalf("order after the update %v, want a c b d", got)
	}
	g.Select("c")
	if k, _ := g.Selected(); k != "c" {
		t.Fatalf("selected %q", k)
	}
	if !strings.Contains(ansi.Strip(g.View()), "Aaron") {
		t.Fatalf("the new text is not drawn:\n%s", ansi.Strip(g.View()))
	}
	if g.UpdateRow("zz", []string{"x"}, grid.None) {
		t.Fatal("UpdateRow of a missing key reported a change")
	}
}

func TestUpdateRowMovesTheRowIntoAndOutOfTheFilter(t *testing.T) {
	g := small()
	g.SetFilter("leeds") // a, c
	g.UpdateRow("b", []string{"alice", "Leeds"}, grid.None)
	if shown, _ := g.Counts(); shown != 3 {
		t.Fatalf("after b moved to Leeds %d shown, want 3", shown)
	}
	g.UpdateRow("a", []string{"Carol", "Hull"}, grid.None)
	if got := shownKeys(g); !slices.Equal(got, []string{"b", "c"}) {
		t.Fatalf("shown %v, want b c", got)
	}
}

func TestRemoveRowMovesTheSelectionToTheRowInItsPlace(t *testing.T) {
	g := small()
	g.SortBy(0, false) // Bob(c) Carol(a) alice(b) alice(d)
	g.Select("a")
	if !g.RemoveRow("a") {
		t.Fatal("RemoveRow(a) found no row")
	}
	if k, _ := g.Selected(); k != "b" {
		t.Fatalf("selected %q after removing the selected row, want b (now in its place)", k)
	}
	if shown, total := g.Counts(); shown != 3 || total != 3 {
		t.Fatalf("counts %d of %d", shown, total)
	}
	g.SetFilter("a") // alice(b) alice(d): Bob has no a
	g.RemoveRow("c") // not shown: the filter's rows stay right
	if got := shownKeys(g); !slices.Equal(got, []string{"b", "d"}) {
		t.Fatalf("shown %v, want b d", got)
	}
	g.SetFilter("")
	if got := shownKeys(g); !slices.Equal(got, []string{"b", "d"}) {
		t.Fatalf("all rows %v, want b d", got)
	}
	if g.RemoveRow("c") {
		t.Fatal("removing a row twice reported a change")
	}
}

// A row changed or removed in place gives what SetRows with the same rows
// gives, over a long sorted, filtered list.
func TestInPlaceChangesAgreeWithSetRows(t *testing.T) {
	g, _ := newWorklistGrid(500, 120, 40)
	g.SortBy(3, true)
	g.SetFilter("clinic 1")
	keys, cells, marks := worklist(500)
	for i := 0; i < 500; i += 37 {
		k := keys[i]
		if i%2 == 0 {
			g.RemoveRow(k)
			j := slices.Index(keys, k)
			keys, cells, marks = slices.Delete(keys, j, j+1), slices.Delete(cells, j, j+1), slices.Delete(marks, j, j+1)
			continue
		}
		row := slices.Clone(cells[i])
		row[3] = fmt.Sprintf("Respiratory %d", i)
		g.UpdateRow(k, row, grid.Done)
		cells[i], marks[i] = row, grid.Done
	}
	fresh := grid.New(worklistColumns(nil), testStyles())
	fresh.SetSize(120, 40)
	fresh.SetRows(keys, cells, marks)
	fresh.SortBy(3, true)
	fresh.SetFilter("clinic 1")
	if a, b := shownKeys(g), shownKeys(fresh); !slices.Equal(a, b) {
		t.Fatalf("in place %d rows, fresh %d rows; first difference at %d", len(a), len(b), firstDiff(a, b))
	}
	if a, b := ansi.Strip(g.View()), ansi.Strip(fresh.View()); a != b {
		t.Fatalf("views differ:\n%s\n---\n%s", a, b)
	}
}

func firstDiff(a, b []string) int {
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			return i
		}
	}
	return min(len(a), len(b))
}

// BenchmarkUpdateRow100000 is a broadcast's cost on a sorted list of
// 100,000 rows: one row changed, then a frame.
func BenchmarkUpdateRow100000(b *testing.B) {
	g, cells := newWorklistGrid(100000, 120, 40)
	g.SortBy(3, false)
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		r := (i * 7919) % 100000
		row := slices.Clone(cells[r])
		row[3] = []string{"Cardiology", "Urology"}[i%2]
		g.UpdateRow(row[0], row, grid.Done)
		_ = g.View()
	}
}

// BenchmarkRemoveRow100000 is a referral leaving a list of 100,000 rows.
func BenchmarkRemoveRow100000(b *testing.B) {
	g, _ := newWorklistGrid(100000, 120, 40)
	keys, _, _ := worklist(100000)
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		if i >= len(keys) {
			b.Fatal("ran out of rows")
		}
		g.RemoveRow(keys[(i*7919)%len(keys)])
		_ = g.View()
	}
}
