package grid_test

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/ers-workstation/ers-workstation/ui/components/grid"
)

// worklistColumns are the columns a worklist shows, with its drop order.
func worklistColumns(days func(a, b int) int) []grid.Column {
	return []grid.Column{
		{Title: "UBRN", Width: 12},
		{Title: "NHS number", Width: 12},
		{Title: "Priority", Width: 13},
		{Title: "Specialty", Width: 16, MinWidth: 10, Drop: 3},
		{Title: "Service", Width: 30, MinWidth: 12, Drop: 5},
		{Title: "Type", Width: 15, Drop: 7},
		{Title: "State", Width: 18, MinWidth: 10, Drop: 2},
		{Title: "Pathway", Width: 11, Drop: 4},
		{Title: "Days", Width: 4, Align: grid.Right, Drop: 1, Compare: days},
		{Title: "Contact by", Width: 11, Drop: 4},
		{Title: "Letter", Width: 7, Drop: 6},
		{Title: "Clinician", Width: 16, Drop: 8},
	}
}

// nhsNumber is the i-th synthetic NHS number: 999 prefix, valid modulus 11
// check digit.
func nhsNumber(i int) string {
	for base := 999000000 + i%1000000; ; base++ {
		d := strconv.Itoa(base)
		sum := 0
		for j := 0; j < 9; j++ {
			sum += int(d[j]-'0') * (10 - j)
		}
		check := 11 - sum%11
		if check == 11 {
			check = 0
		}
		if check != 10 {
			return d[:3] + " " + d[3:6] + " " + d[6:] + strconv.Itoa(check)
		}
	}
}

// worklist builds n realistic rows: every string its own allocation, as
// decoded JSON would be.
func worklist(n int) (keys []string, cells [][]string, marks []grid.Mark) {
	priorities := []string{"ROUTINE", "URGENT", "TWO WEEK WAIT"}
	specialties := []string{"Dermatology", "Cardiology", "Gastroenterology", "Ophthalmology", "Orthopaedics"}
	states := []string{"Awaiting review", "Review overdue", "Clinical info changed", "Booked"}
	clinicians := []string{"Dr Alice Adams", "Dr Bob Brown", "", "Dr Chloé Dubois"}
	keys = make([]string, n)
	cells = make([][]string, n)
	marks = make([]grid.Mark, n)
	for i := range n {
		p := priorities[i%3]
		keys[i] = fmt.Sprintf("%012d", 100000000000+i)
		cells[i] = []string{
			keys[i],
			nhsNumber(i),
			strings.Clone(p),
			strings.Clone(specialties[i%5]),
			fmt.Sprintf("%s Clinic %d - Example Hospital", specialties[(i/5)%5], i%40),
			strings.Clone([]string{"APPOINTMENT", "TRIAGE_DEFERRAL"}[i%2]),
			strings.Clone(states[i%4]),
			fmt.Sprintf("%02d-Mar-2026", 1+i%28),
			strconv.Itoa(i % 120),
			fmt.Sprintf("%02d-Apr-2026", 1+i%28),
			strings.Clone([]string{"", "Changed"}[i%2]),
			strings.Clone(clinicians[i%4]),
		}
		switch {
		case p == "TWO WEEK WAIT":
			marks[i] = grid.Attention
		case i%7 == 0:
			marks[i] = grid.Changed
		}
	}
	return keys, cells, marks
}

// newWorklistGrid is a grid of n worklist rows sized w x h.
func newWorklistGrid(n, w, h int) (*grid.Model, [][]string) {
	keys, cells, marks := worklist(n)
	days := func(a, b int) int {
		x, _ := strconv.Atoi(cells[a][8])
		y, _ := strconv.Atoi(cells[b][8])
		return x - y
	}
	g := grid.New(worklistColumns(days), testStyles())
	g.SetSize(w, h)
	g.SetRows(keys, cells, marks)
	return g, cells
}
