package seed

import (
	"github.com/ers-workstation/ers-workstation/ersclient"
	"github.com/ers-workstation/ers-workstation/sandbox/store"
)

// The business function e-RS uses for service definers: A030 returns it and
// clients must filter it out of the header choices.
const serviceDefiner ersclient.BusinessFunction = "SERVICE_DEFINER"

// addExamplePeople adds the organisations, users and applications of the
// examples. The SDS ids and ODS codes are those of the official examples and
// tests; the names are invented.
func addExamplePeople(st *store.State) {
	for _, o := range []store.Organisation{
		{ODS: ExampleReferringOrg, Name: "Beech Lane Surgery", Kind: store.OrgReferrer, Postcode: "LS1 2UT"},
		{ODS: "R68", Name: "Moorside Medical Practice", Kind: store.OrgReferrer, Postcode: "LS6 2AB"},
		{ODS: ExampleProviderOrg, Name: "Airedale and Wharfe Hospitals NHS Trust", Kind: store.OrgProvider, Postcode: "LS9 7TF"},
		{ODS: "R69", Name: "Calder Valley Hospitals NHS Trust", Kind: store.OrgProvider, Postcode: "LS1 3EX"},
	} {
		st.Orgs[o.ODS] = &o
	}

	rc, rca, ra := ersclient.ReferringClinician, ersclient.ReferringClinicianAdmin, ersclient.ReferringAdmin
	spc, spa, spca := ersclient.ServiceProviderClinician, ersclient.ServiceProviderAdmin, ersclient.ServiceProviderClinicianAdmin
	users := []*store.User{
		newUser(ExampleRC, "Dr", "Rachel", "Ahmed", role(ExampleReferringOrg, rc)),
		// The RCA of the referring practice is also the SPCA of the trust,
		// as in the official tests.
		newUser(ExampleRCA, "", "Adam", "Whitfield", role(ExampleReferringOrg, rca), role(ExampleProviderOrg, spca)),
		newUser(ExampleRA, "", "Rita", "Osei", role(ExampleReferringOrg, ra)),
		newUser(ExampleSPC, "Dr", "Samuel", "Lindqvist", role(ExampleProviderOrg, spc)),
		newUser(ExampleSPA, "", "Priya", "Natarajan", role(ExampleProviderOrg, spa)),
		newUser(ExampleSPCAActsFor, "Dr", "Sara", "Okafor", role(ExampleProviderOrg, spc)),
		// The clinician the examples name everywhere: referring clinician
		// for the RCA requests (A010, A011, A021, A044), named clinician of
		// searches and bookings, allocated clinician of worklists.
		newUser(ExampleClinician, "Dr", "Olu", "Bankole",
			role(ExampleReferringOrg, rc), role("R69", rc), role(ExampleProviderOrg, spc)),
		// The slot clinician of the A015 examples and requester of A024's.
		newUser("921600556514", "Dr", "Hana", "Kowalski", role(ExampleProviderOrg, spc), role("R69", spc), role("R68", rc)),
		newUser("103264992985", "Dr", "Tom", "Evans", role("R69", rc)),
		newUser("021600556513", "Dr", "Grace", "Mensah", role(ExampleReferringOrg, rc)),
		// The A030 example: two organisations, one with a role outside the
		// header enum.
		newUser("000000000101", "Dr", "Ivan", "Petrov", role("R69", serviceDefiner), role("R69", spc), role("R69", spa), role("R68", rc)),
		// The A040 example's practitioner.
		newUser("111111111111", "Dr", "Lena", "Fischer", role(ExampleProviderOrg, spc)),
	}
	for _, u := range users {
		st.Users[u.ID] = u
	}
	st.Users[ExampleRCA].OnBehalfOf = map[string][]string{ExampleProviderOrg: {ExampleSPCAActsFor, "111111111111"}}

	st.Apps[ExampleProviderApp] = &store.App{ID: ExampleProviderApp, Name: "Example trust PAS", ODS: ExampleProviderOrg,
		BusinessFunction: store.ProviderAuthorisedApplication, UserID: "555000000001"}
	st.Apps[ExampleReferrerApp] = &store.App{ID: ExampleReferrerApp, Name: "Example practice system", ODS: ExampleReferringOrg,
		BusinessFunction: store.ReferrerAuthorisedApplication, UserID: "555000000002"}
}
