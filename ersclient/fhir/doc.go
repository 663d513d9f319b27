// Package fhir holds the FHIR STU3 and R4 resource types that the e-RS API sends
// and receives, and the JSON encoding rules for them.
//
// Every type keeps the members it does not model in an Extra map, so that a
// resource decoded and encoded again loses nothing: the client can hand a
// resource back to e-RS (or a test can compare it with an official example)
// without knowing every profile in detail.
//
// It is not a general FHIR library: only the resources, fields and code systems
// that e-RS uses are modelled, and no profile validation is done here.
// Screens should not use this package directly; ersclient offers friendly views.
package fhir
