package seed

import (
	"time"

	"github.com/ers-workstation/ers-workstation/sandbox/store"
)

// The actors of the official API tests (tests/data.py upstream): who may
// send which example request. The examples data set gives each the roles
// the tests use.
const (
	ExampleReferringOrg = "D82106"       // the referring GP practice
	ExampleProviderOrg  = "RCD"          // the provider trust of most example services
	ExampleRC           = "555073103100" // REFERRING_CLINICIAN at D82106
	ExampleRCA          = "555031998104" // REFERRING_CLINICIAN_ADMIN at D82106
	ExampleRA           = "555073103103" // REFERRING_ADMIN at D82106
	ExampleSPC          = "555032006106" // SERVICE_PROVIDER_CLINICIAN at RCD
	ExampleSPA          = "555032006103" // SERVICE_PROVIDER_ADMIN at RCD
	ExampleSPCA         = "555031998104" // SERVICE_PROVIDER_CLINICIAN_ADMIN at RCD (the RCA's other role)
	ExampleSPCAActsFor  = "555031999105" // the clinician the SPCA acts for
	// ExampleClinician is the SDS id the example requests name as referring
	// clinician, named clinician and slot clinician (RC_DEV upstream).
	ExampleClinician = "021600556514"
	// ExampleCommRuleOrg is the commissioning-rule organisation of the
	// example referrals (the NHSD-eRS-Comm-Rule-Org header of A015).
	ExampleCommRuleOrg = "R69"
	// The applications of application-restricted calls.
	ExampleProviderApp = "example-provider-app"
	ExampleReferrerApp = "example-referrer-app"
)

// Examples returns the "examples" data set: organisations, users, services,
// slots, referrals, appointments, files and advice and guidance requests
// whose identifiers and states match the official example messages, so that
// each official example request, sent to a fresh copy, gets its documented
// status.
//
// The official examples were written one at a time and reuse UBRN
// 000000070000 for every write; one world cannot hold all those states at
// once. Where their bodies name a record (A016's ReferralRequest/
// 000000070000/_history/6, A034's appointments 70003-70006, A027's
// CommunicationRequest/000000070000/_history/3) that record is in the state
// the request needs. Where only the path names it (A012-A014, A022, A028,
// A031, A032, A036), one referral per state stands ready and the caller
// picks the one that fits: the table above addExampleReferrals says which.
//
// Times are relative to now. The slots the booking examples name
// (11000021, 11008006) lie in the coming weeks, not on the examples' date
// (2022-07-11): a booking takes its times from the slot. A011's examples
// give a pathway start of 2024-05-01, which must be at most 365 days before
// now: they get 201 only on a clock before 2025-05-01 (tests use
// 2024-06-01), and 422 INVALID_VALUE after.
func Examples(now time.Time) *store.State {
	now = now.UTC()
	st := store.NewState()
	addExamplePeople(st)
	addExampleServices(st, now)
	addExampleFiles(st, now)
	slots := exampleSlots(now)
	slots = append(slots, addExampleReferrals(st, now)...)
	addSlots(st, slots)
	addExampleAdvice(st, now)
	return st
}
