package fhir

// Extensions is a list of extensions with lookups by URL.
type Extensions []Extension

// Find returns the first extension with the given URL. e-RS item extensions
// use full StructureDefinition URLs; their sub-extensions use short names
// ("priority", "patient"), so both are matched exactly.
func (es Extensions) Find(url string) (*Extension, bool) {
	for i := range es {
		if es[i].URL == url {
			return &es[i], true
		}
	}
	return nil, false
}

// All returns every extension with the given URL (some repeat, such as
// PatientAdditionalRequirement).
func (es Extensions) All(url string) []*Extension {
	var out []*Extension
	for i := range es {
		if es[i].URL == url {
			out = append(out, &es[i])
		}
	}
	return out
}

// Value returns the value of the first extension with the given URL.
func (es Extensions) Value(url string) (Value, bool) {
	if e, ok := es.Find(url); ok {
		return e.Value, true
	}
	return Value{}, false
}

// String returns the text of the value of the first extension with the URL.
func (es Extensions) String(url string) string {
	v, _ := es.Value(url)
	return v.String()
}

// Sub looks up a sub-extension of e by its short URL.
func (e *Extension) Sub(url string) (*Extension, bool) {
	return e.Extension.Find(url)
}

// SubString returns the text of a sub-extension's value, or "".
func (e *Extension) SubString(url string) string {
	return e.Extension.String(url)
}
