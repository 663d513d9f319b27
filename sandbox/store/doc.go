// Package store holds the simulator's state: the organisations, users,
// services, slots, referrals, appointments, advice and guidance requests and
// uploaded files of one simulated e-RS, in memory.
//
// The model is e-RS's own (a referral has a state, a shortlist, an
// appointment), not FHIR: handlers render FHIR resources from it. Every change
// goes through Store.Write, which serialises writers, takes the per-record
// lock that makes concurrent updates of one record answer 423, and bumps
// versions. It is not a database: nothing survives the process.
package store
