// Package refdata is the simulator's reference data: the local code systems
// A004 serves (SPECIALTY, CLINIC-TYPE, PRIORITY and the cancellation and
// non-attendance reasons) with the properties the business rules read.
package refdata

// Stub, replaced by H5.

// Set is every code system.
type Set struct{}

// Default returns the simulator's reference data.
func Default() *Set { return &Set{} }
