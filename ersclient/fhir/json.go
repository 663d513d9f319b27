package fhir

import (
	"github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"
)

// Extra holds the JSON members of an element that its Go type does not model.
// They are written back, unchanged, when the element is encoded.
type Extra = map[string]jsontext.Value

// Unmarshal decodes FHIR JSON into v. Member names are case-sensitive, as FHIR
// requires; duplicate names and invalid UTF-8 are errors.
func Unmarshal(data []byte, v any) error {
	return json.Unmarshal(data, v)
}

// Marshal encodes v as FHIR JSON. Members kept in Extra maps are written in a
// deterministic order, so the same value always gives the same bytes.
func Marshal(v any) ([]byte, error) {
	return json.Marshal(v, json.Deterministic(true))
}
