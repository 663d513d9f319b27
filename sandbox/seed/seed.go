// Package seed builds the simulator's data sets: "examples", whose
// identifiers and states match the official e-RS example messages, and
// "synthetic", a deterministic generated volume.
package seed

// Stub, replaced by H6.
