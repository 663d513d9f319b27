package search

import (
	"testing"

	tea "charm.land/bubbletea/v2"

	"github.com/ers-workstation/ers-workstation/ersclient"
	"github.com/ers-workstation/ers-workstation/ui/uitest"
)

// The budget: the results grid with 1,000 services, one key and
// View, under 1 ms per frame.

// resultsOf builds the screen at 120x40 showing n results.
func resultsOf(b *testing.B, n int) *Model {
	m := New(common(newFake(n)), nil)
	m.SetSize(120, 40)
	s := ersclient.ServiceSearch{NHSNumber: testNHS, RequestType: ersclient.RequestAppointment,
		Criteria: ersclient.SearchCriteria{Priority: ersclient.PriorityCoding(ersclient.PriorityRoutine)}}
	m.seq++
	m.searchReq = m.seq
	m.searched(searchedMsg{id: m.searchReq, search: s, res: &ersclient.ServiceSearchResults{Services: services(n)}})
	if got := len(m.found.res.Services); got != n {
		b.Fatalf("%d results", got)
	}
	m.View()
	return m
}

func benchmarkKeys(b *testing.B, n int, ks ...tea.KeyPressMsg) {
	m := resultsOf(b, n)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		m.Update(ks[(i/200)%len(ks)])
		_ = m.View()
	}
}

// BenchmarkResultsMove1000 walks down 200 rows and back up.
func BenchmarkResultsMove1000(b *testing.B) {
	benchmarkKeys(b, 1000, uitest.Key("j"), uitest.Key("k"))
}

// BenchmarkResultsShortlist1000 adds and removes services while moving:
// each shortlist change redraws its row and the shortlist panel.
func BenchmarkResultsShortlist1000(b *testing.B) {
	m := resultsOf(b, 1000)
	seq := []tea.KeyPressMsg{uitest.Key("space"), uitest.Key("j"), uitest.Key("-"), uitest.Key("j")}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		if i%800 == 0 {
			m.Update(uitest.Key("g"))
		}
		m.Update(seq[i%len(seq)])
		_ = m.View()
	}
}
