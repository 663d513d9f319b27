// Package pdf writes the simple, valid PDF documents the simulator returns
// for clinical information (A007), patient letters (A019) and advice
// overviews (A043).
package pdf

// Stub, replaced by H7.
