// Package seed builds the simulator's data sets: "examples", whose
// identifiers and states match the official e-RS example messages, and
// "synthetic", a deterministic generated volume for demonstrations and
// performance tests.
//
// Both return a fresh *store.State on every call, so that a store can be
// reset to them. Neither reads files: the records are authored here, in Go,
// and only their identifiers come from the official examples. The package
// is not a fixture loader and holds no FHIR: the handlers render FHIR from
// the state.
package seed

import (
	"slices"
	"time"

	"github.com/ers-workstation/ers-workstation/ersclient"
	"github.com/ers-workstation/ers-workstation/sandbox/store"
)

// roleID is the PractitionerRole id A030 shows for a user at an
// organisation, in the form of the official example
// (PractitionerRole-R69-000000000101).
func roleID(org, user string) string { return "PractitionerRole-" + org + "-" + user }

// role is one business function at one organisation; newUser fills in its
// PractitionerRole id.
func role(org string, bf ersclient.BusinessFunction) store.Role {
	return store.Role{Org: org, BusinessFunction: bf}
}

// newUser builds a user whose roles carry the PractitionerRole id of their
// organisation.
func newUser(id, title, given, family string, rs ...store.Role) *store.User {
	for i := range rs {
		rs[i].ID = roleID(rs[i].Org, id)
	}
	return &store.User{ID: id, Title: title, Given: given, Family: family, Roles: rs}
}

// addSlots adds slots to the state in start order per service, as
// store.State.AddSlot requires, whatever order they were built in.
func addSlots(st *store.State, slots []*store.Slot) {
	slices.SortStableFunc(slots, func(a, b *store.Slot) int {
		if c := a.Start.Compare(b.Start); c != 0 {
			return c
		}
		if a.ID < b.ID {
			return -1
		}
		if a.ID > b.ID {
			return 1
		}
		return 0
	})
	for _, s := range slots {
		st.AddSlot(s)
	}
}

// clinicTime is the start of a clinic session: the day of t at hour h, UTC.
func clinicTime(t time.Time, h, m int) time.Time {
	y, mo, d := t.UTC().Date()
	return time.Date(y, mo, d, h, m, 0, 0, time.UTC)
}
