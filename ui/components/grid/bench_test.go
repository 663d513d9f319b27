package grid_test

import (
	"fmt"
	"runtime"
	"testing"

	"github.com/ers-workstation/ers-workstation/ui/uitest"
)

// The budgets: View under 1 ms per frame at 100,000 rows, a filter
// keystroke under 10 ms, under 150 MB held by 100,000 rows.

func benchmarkView(b *testing.B, n int) {
	g, _ := newWorklistGrid(n, 120, 40)
	down, up := uitest.Key("j"), uitest.Key("k")
	g.View()
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		// Walk down a page and back, so new rows are drawn as well as
		// the ones already prepared.
		if (i/200)%2 == 0 {
			g.Update(down)
		} else {
			g.Update(up)
		}
		_ = g.View()
	}
}

func BenchmarkView1000(b *testing.B)   { benchmarkView(b, 1000) }
func BenchmarkView10000(b *testing.B)  { benchmarkView(b, 10000) }
func BenchmarkView100000(b *testing.B) { benchmarkView(b, 100000) }

// BenchmarkFilterKeystroke100000 types one more character of a query that
// still matches many rows, from the query before it.
func BenchmarkFilterKeystroke100000(b *testing.B) {
	g, _ := newWorklistGrid(100000, 120, 40)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		b.StopTimer()
		g.SetFilter("")
		g.SetFilter("cardiolog")
		b.StartTimer()
		g.SetFilter("cardiology")
		_ = g.View()
	}
}

// BenchmarkFilterFirstKeystroke100000 is the worst keystroke: the first
// character, over every row.
func BenchmarkFilterFirstKeystroke100000(b *testing.B) {
	g, _ := newWorklistGrid(100000, 120, 40)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		g.SetFilter([]string{"c", "d"}[i%2])
		_ = g.View()
	}
}

// BenchmarkSetRows100000 is the cost of a refresh's new rows.
func BenchmarkSetRows100000(b *testing.B) {
	g, _ := newWorklistGrid(0, 120, 40)
	keys, cells, marks := worklist(100000)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		g.SetRows(keys, cells, marks)
	}
}

// BenchmarkMemory100000 reports the heap held by a grid of 100,000 rows,
// cells included, after a frame is drawn and a filter typed.
func BenchmarkMemory100000(b *testing.B) {
	for b.Loop() {
		before := heap()
		g, _ := newWorklistGrid(100000, 120, 40)
		g.View()
		g.SetFilter("derm")
		g.View()
		g.SetFilter("")
		g.View()
		after := heap()
		runtime.KeepAlive(g)
		b.ReportMetric(float64(after-before)/1e6, "MB-held")
	}
}

func heap() uint64 {
	runtime.GC()
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return ms.HeapAlloc
}

func TestBenchmarkFixtureIsRealistic(t *testing.T) {
	_, cells, _ := worklist(3)
	if got := fmt.Sprint(cells[0][:3]); got != "[100000000000 999 000 0018 ROUTINE]" {
		t.Fatalf("fixture row: %s", got)
	}
}
