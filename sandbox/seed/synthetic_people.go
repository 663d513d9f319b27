package seed

import (
	"fmt"

	"github.com/ers-workstation/ers-workstation/ersclient"
	"github.com/ers-workstation/ers-workstation/sandbox/store"
)

// postcodeAreas are the postcode areas the synthetic organisations lie in
// and how many districts each has: a region of northern England, so that
// distance searches find services near and far.
var postcodeAreas = []struct {
	area      string
	districts int
}{
	{"LS", 28}, {"BD", 24}, {"HX", 7}, {"HD", 9}, {"WF", 17}, {"YO", 62}, {"HG", 5},
	{"S", 75}, {"DN", 41}, {"HU", 20}, {"M", 50}, {"OL", 16},
}

// inwardLetters are the letters a postcode's inward code may end with.
const inwardLetters = "ABDEFGHJLNPQRSTUWXYZ"

var (
	givenNames = []string{"Aisha", "Ben", "Chloe", "Daniel", "Ella", "Farid", "Grace", "Harry", "Imran", "Jade",
		"Kofi", "Laura", "Mohammed", "Nadia", "Oliver", "Priya", "Quentin", "Rosa", "Sanjay", "Tamsin",
		"Usman", "Vera", "William", "Xin", "Yusuf", "Zara", "Callum", "Maeve", "Tomasz", "Ifeoma"}
	familyNames = []string{"Ahmed", "Brown", "Clarke", "Das", "Evans", "Fletcher", "Green", "Hussain", "Iqbal", "Jones",
		"Khan", "Lewis", "Mistry", "Nowak", "O'Brien", "Patel", "Quinn", "Robinson", "Singh", "Thompson",
		"Umar", "Varga", "Walker", "Xu", "Young", "Zielinski", "Okonkwo", "McLeod", "Haddad", "Sørensen"}
	siteKinds = []string{"General Hospital", "Infirmary", "Community Hospital", "Health Centre", "Treatment Centre"}
	townNames = []string{"Aireborough", "Calderbrook", "Denholme", "Eastmoor", "Fenwick", "Garforth Vale", "Hebden",
		"Ilkley Moor", "Kirkstall", "Longridge", "Marsden", "Northowram", "Ossett", "Pudsey", "Rothwell", "Shipley"}
)

// postcode returns a random postcode of a random area of the region.
func (g *generator) postcode() string {
	a := pick(g, postcodeAreas)
	return fmt.Sprintf("%s%d %d%c%c", a.area, 1+g.rng.IntN(a.districts), g.rng.IntN(10),
		inwardLetters[g.rng.IntN(len(inwardLetters))], inwardLetters[g.rng.IntN(len(inwardLetters))])
}

// nearby returns a postcode in the same district as p ("LS9 7TF" gives
// "LS9 ...").
func (g *generator) nearby(p string) string {
	for i := range len(p) {
		if p[i] == ' ' {
			return fmt.Sprintf("%s %d%c%c", p[:i], g.rng.IntN(10),
				inwardLetters[g.rng.IntN(len(inwardLetters))], inwardLetters[g.rng.IntN(len(inwardLetters))])
		}
	}
	return p
}

// addUser adds a user with a generated name and SDS id.
func (g *generator) addUser(clinician bool, rs ...store.Role) string {
	id := fmt.Sprintf("%012d", 400_000_000_001+len(g.st.Users))
	title := ""
	if clinician {
		title = "Dr"
	}
	u := newUser(id, title, pick(g, givenNames), pick(g, familyNames), rs...)
	g.st.Users[id] = u
	return id
}

// addPeople adds the practices, trusts and commissioners, their users and
// the applications.
func (g *generator) addPeople() {
	nPractices := min(max(g.referrals/1500, 4), 80)
	nTrusts := min(max(g.services/30, 3), 40)
	nCommissioners := min(max(nPractices/6, 2), 12)
	for i := range nCommissioners {
		ods := fmt.Sprintf("Q%02d", 70+i)
		g.commissioners = append(g.commissioners, ods)
		g.st.Orgs[ods] = &store.Organisation{ODS: ods, Name: orgName(ods, fmt.Sprintf("%s Integrated Care Board", townNames[i%len(townNames)])),
			Kind: store.OrgCommissioner, Postcode: g.postcode()}
	}

	rc, rca, ra := ersclient.ReferringClinician, ersclient.ReferringClinicianAdmin, ersclient.ReferringAdmin
	for i := range nPractices {
		p := &practice{ods: fmt.Sprintf("Y%05d", 10001+i), postcode: g.postcode(), commissionerODS: g.commissioners[i%nCommissioners]}
		g.st.Orgs[p.ods] = &store.Organisation{ODS: p.ods, Name: orgName(p.ods, fmt.Sprintf("%s %s", townNames[i%len(townNames)], pick(g, []string{"Surgery", "Medical Centre", "Health Practice", "Group Practice"}))),
			Kind: store.OrgReferrer, Postcode: p.postcode}
		for range 4 {
			p.rcs = append(p.rcs, g.addUser(true, role(p.ods, rc)))
		}
		p.rcas = append(p.rcas, g.addUser(false, role(p.ods, rca)))
		for range 2 {
			p.ras = append(p.ras, g.addUser(false, role(p.ods, ra)))
		}
		g.practices = append(g.practices, p)
	}
	// Locums: some clinicians refer from a second practice too.
	for i, p := range g.practices {
		if i%3 == 0 {
			other := g.practices[(i+1)%len(g.practices)]
			u := g.st.Users[p.rcs[0]]
			u.Roles = append(u.Roles, store.Role{Org: other.ods, BusinessFunction: rc, ID: roleID(other.ods, u.ID)})
			other.rcs = append(other.rcs, u.ID)
		}
	}

	spc, spa, spca := ersclient.ServiceProviderClinician, ersclient.ServiceProviderAdmin, ersclient.ServiceProviderClinicianAdmin
	for i := range nTrusts {
		t := &trust{ods: fmt.Sprintf("R%c%d", 'V'+rune(i/9), 1+i%9), postcode: g.postcode()}
		g.st.Orgs[t.ods] = &store.Organisation{ODS: t.ods, Name: orgName(t.ods, fmt.Sprintf("%s Hospitals NHS Foundation Trust", townNames[(i+5)%len(townNames)])),
			Kind: store.OrgProvider, Postcode: t.postcode}
		for range 10 {
			t.spcs = append(t.spcs, g.addUser(true, role(t.ods, spc)))
		}
		for range 4 {
			t.spas = append(t.spas, g.addUser(false, role(t.ods, spa)))
		}
		for range 2 {
			id := g.addUser(false, role(t.ods, spca))
			// A clinician admin acts for some of the trust's clinicians.
			n := 3 + g.rng.IntN(3)
			start := g.rng.IntN(len(t.spcs))
			var obo []string
			for k := range n {
				obo = append(obo, t.spcs[(start+k)%len(t.spcs)])
			}
			g.st.Users[id].OnBehalfOf = map[string][]string{t.ods: obo}
			t.spca = append(t.spca, id)
		}
		g.trusts = append(g.trusts, t)
		app := "pas-" + t.ods
		g.st.Apps[app] = &store.App{ID: app, Name: g.st.Orgs[t.ods].Name + " PAS", ODS: t.ods,
			BusinessFunction: store.ProviderAuthorisedApplication, UserID: t.spas[0]}
	}
	for _, p := range g.practices[:min(3, len(g.practices))] {
		app := "gp-" + p.ods
		g.st.Apps[app] = &store.App{ID: app, Name: g.st.Orgs[p.ods].Name + " clinical system", ODS: p.ods,
			BusinessFunction: store.ReferrerAuthorisedApplication, UserID: p.ras[0]}
	}
}
