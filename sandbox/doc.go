// Package sandbox is a stateful simulator of the e-RS FHIR API, behaving like
// the integration environment rather than the official stateless sandbox:
// referrals move through their lifecycle, worklists are computed from the
// state, versions and locks are enforced, and the access rules of the live
// service (business function, organisation, on-behalf-of, legitimate
// relationship, application-restricted limits) apply.
//
// Server is an http.Handler serving every operation of the API under
// /referrals/FHIR/STU3 and /referrals/FHIR/R4, plus /_ping and /_status. Its
// state lives in package store; package seed builds the data sets; package
// faults decides rate limits and injected failures. It is not for production
// data: everything is synthetic and in memory.
package sandbox
