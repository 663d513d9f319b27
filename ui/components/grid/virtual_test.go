package grid

import (
	"fmt"
	"testing"

	"github.com/ers-workstation/ers-workstation/ui/theme"
)

func TestOnlyTheRowsDrawnArePrepared(t *testing.T) {
	g := New([]Column{{Title: "Key", Width: 8}, {Title: "Text", Width: 20}}, theme.New(theme.Mono))
	keys := make([]string, 10000)
	cells := make([][]string, len(keys))
	for i := range keys {
		keys[i] = fmt.Sprint(i)
		cells[i] = []string{keys[i], "row " + keys[i]}
	}
	g.SetRows(keys, cells, nil)
	g.SetSize(60, 21)
	g.View()
	prepared := 0
	for _, l := range g.lines {
		if l != "" {
			prepared++
		}
	}
	if prepared != 20 {
		t.Fatalf("%d rows prepared for a 20-row view of 10,000", prepared)
	}
}
