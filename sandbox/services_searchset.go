package sandbox

import (
	"fmt"

	"github.com/google/uuid"

	"github.com/ers-workstation/ers-workstation/ersclient/fhir"
)

// r4MatchBundle is the R4 searchset the service and identity searches
// answer with (A030, A035, A040): a fresh id, meta.lastUpdated and
// timestamp now, total, a self link, and the entries.
func (c *call) r4MatchBundle(self string, entries []fhir.BundleEntry) *fhir.Bundle {
	now := instantString(c.Now())
	total := int64(len(entries))
	return &fhir.Bundle{
		ResourceType: "Bundle",
		ID:           uuid.NewString(),
		Meta:         &fhir.Meta{LastUpdated: now},
		Type:         "searchset",
		Timestamp:    now,
		Total:        &total,
		Link:         []fhir.BundleLink{{Relation: "self", URL: self}},
		Entry:        entries,
	}
}

// r4MatchEntry is one entry of such a bundle, found by the search.
func r4MatchEntry(fullURL string, res any) (fhir.BundleEntry, error) {
	raw, err := fhir.NewRawResource(res)
	if err != nil {
		return fhir.BundleEntry{}, fmt.Errorf("encode %s: %w", fullURL, err)
	}
	return fhir.BundleEntry{FullURL: fullURL, Resource: raw, Search: &fhir.BundleSearch{Mode: "match"}}, nil
}
