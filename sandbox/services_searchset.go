package sandbox

import (
	"fmt"
	"net/http"

	"github.com/google/uuid"

	"github.com/ers-workstation/ers-workstation/ersclient/fhir"
	"github.com/ers-workstation/ers-workstation/sandbox/store"
)

// serveR4Search answers an R4 search (A030, A035, A040): find walks the
// state under the read lock and adds each resource that matches with its
// full URL; the answer is the searchset of them, self as its link.
func (c *call) serveR4Search(self string, find func(st *store.State, add func(fullURL string, res any) error) error) {
	var entries []fhir.BundleEntry
	add := func(fullURL string, res any) error {
		e, err := r4MatchEntry(fullURL, res)
		if err != nil {
			return err
		}
		entries = append(entries, e)
		return nil
	}
	if err := c.s.store.Read(func(st *store.State) error { return find(st, add) }); err != nil {
		c.fail(err)
		return
	}
	c.writeResource(http.StatusOK, c.r4MatchBundle(self, entries), 0)
}

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
