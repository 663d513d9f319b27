package sandbox

import (
	"strconv"
	"time"

	"github.com/go-json-experiment/json/jsontext"
)

// Worklists are written by hand rather than through the FHIR types: a
// 10,000-item list is over 10 MB of JSON, which reflection-based encoding
// takes about 90 ms to produce, the appender below a few. The shapes are
// those of the official eRS-FetchWorklist-List-1 examples; tests decode the
// output with the FHIR types and compare it with those examples.

// worklistJSON appends JSON to a byte slice.
type worklistJSON struct{ b []byte }

func (w *worklistJSON) raw(s string) { w.b = append(w.b, s...) }

// str appends s as a JSON string. Plain ASCII (nearly every value: codes,
// ids, dates) is copied as it is; anything else goes through the JSON
// encoder's quoting, which escapes and replaces invalid UTF-8.
func (w *worklistJSON) str(s string) {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c == '"' || c == '\\' || c >= 0x80 {
			w.b, _ = jsontext.AppendQuote(w.b, s)
			return
		}
	}
	w.b = append(w.b, '"')
	w.b = append(w.b, s...)
	w.b = append(w.b, '"')
}

// instant appends a time as e-RS writes it: UTC with milliseconds.
func (w *worklistJSON) instant(t time.Time) {
	w.b = append(w.b, '"')
	w.b = t.UTC().AppendFormat(w.b, "2006-01-02T15:04:05.000Z")
	w.b = append(w.b, '"')
}

func (w *worklistJSON) date(t time.Time) {
	w.b = append(w.b, '"')
	w.b = t.UTC().AppendFormat(w.b, time.DateOnly)
	w.b = append(w.b, '"')
}

// coding appends {"system":..,"code":..[,"display":..]}.
func (w *worklistJSON) coding(system, code, display string) {
	w.raw(`{"system":`)
	w.str(system)
	w.raw(`,"code":`)
	w.str(code)
	if display != "" {
		w.raw(`,"display":`)
		w.str(display)
	}
	w.b = append(w.b, '}')
}

// identifier appends {"system":..,"value":..}.
func (w *worklistJSON) identifier(system, value string) {
	w.raw(`{"system":`)
	w.str(system)
	w.raw(`,"value":`)
	w.str(value)
	w.b = append(w.b, '}')
}

// worklistItem writes the sub-extensions of one item extension, each
// {"url":<short name>, value[x]}.
type worklistItem struct {
	w *worklistJSON
	n int
}

// start opens a sub-extension and writes its url; the caller writes the
// value member and close ends it.
func (it *worklistItem) start(url, valueKind string) {
	if it.n > 0 {
		it.w.b = append(it.w.b, ',')
	}
	it.n++
	it.w.raw(`{"url":`)
	it.w.str(url)
	it.w.b = append(it.w.b, ',', '"')
	it.w.raw(valueKind)
	it.w.b = append(it.w.b, '"', ':')
}

func (it *worklistItem) close() { it.w.b = append(it.w.b, '}') }

// concept is a valueCodeableConcept of one coding.
func (it *worklistItem) concept(url, system, code, display string) {
	it.start(url, "valueCodeableConcept")
	it.w.raw(`{"coding":[`)
	it.w.coding(system, code, display)
	it.w.raw(`]}`)
	it.close()
}

func (it *worklistItem) instant(url string, t time.Time) {
	it.start(url, "valueDateTime")
	it.w.instant(t)
	it.close()
}

func (it *worklistItem) date(url string, t time.Time) {
	it.start(url, "valueDate")
	it.w.date(t)
	it.close()
}

func (it *worklistItem) boolean(url string, v bool) {
	it.start(url, "valueBoolean")
	it.w.b = strconv.AppendBool(it.w.b, v)
	it.close()
}

func (it *worklistItem) integer(url string, v int) {
	it.start(url, "valueInteger")
	it.w.b = strconv.AppendInt(it.w.b, int64(v), 10)
	it.close()
}

func (it *worklistItem) text(url, s string) {
	it.start(url, "valueString")
	it.w.str(s)
	it.close()
}

// localRef is a valueReference to a contained resource ("#Patient-...").
func (it *worklistItem) localRef(url, ref string) {
	it.start(url, "valueReference")
	it.w.raw(`{"reference":`)
	it.w.str(ref)
	it.w.b = append(it.w.b, '}')
	it.close()
}

// identifierRef is a valueReference by identifier, with an optional
// display.
func (it *worklistItem) identifierRef(url, system, value, display string) {
	it.start(url, "valueReference")
	it.w.raw(`{"identifier":`)
	it.w.identifier(system, value)
	if display != "" {
		it.w.raw(`,"display":`)
		it.w.str(display)
	}
	it.w.b = append(it.w.b, '}')
	it.close()
}
