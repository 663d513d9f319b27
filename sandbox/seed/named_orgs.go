package seed

// NamedOrganisation returns the fixed name of a synthetic organisation
// that another part of the sandbox names too, and whether ods is one of
// them. The mock CIS2's personas work at these organisations and its ID
// token and userinfo carry their names, while e-RS (A030) and so the
// workstation take the name from the seeded state: both read it from here,
// whatever the seed, so they agree. Any other synthetic organisation keeps
// its generated name.
func NamedOrganisation(ods string) (string, bool) {
	switch ods {
	case "Y10001":
		return "Aireborough Surgery", true
	case "Y10002":
		return "Calderbrook Medical Centre", true
	case "Y10004":
		return "Eastmoor Group Practice", true
	case "RV1":
		return "Garforth Vale Hospitals NHS Foundation Trust", true
	}
	return "", false
}

// orgName is the name the synthetic seed gives ods: the fixed one when
// ods is named elsewhere, else generated. The generated name is still
// passed in (and its random picks made) so that the rest of a seed's data
// does not shift.
func orgName(ods, generated string) string {
	if name, ok := NamedOrganisation(ods); ok {
		return name
	}
	return generated
}
