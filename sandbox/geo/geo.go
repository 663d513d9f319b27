// Package geo places UK postcodes on a plane so that the simulator can sort
// and limit service searches by distance without a postcode database.
//
// The placement is synthetic and deterministic: the same postcode always
// lands on the same point, postcodes of one district lie close together and
// postcodes of one area (the leading letters, "LS", "BD") cluster within a
// few tens of kilometres. It is not geography: two areas are as far apart as
// a hash says. It is for the simulator only; never use it to route patients.
package geo

import (
	"hash/fnv"
	"math"
	"regexp"
	"strings"
)

// The plane is roughly Great Britain's size, in kilometres.
const (
	planeWidthKm  = 600
	planeHeightKm = 900
	// districtSpreadKm is how far a district may lie from its area's
	// centre; sectorSpreadKm how far a full postcode from its district's.
	districtSpreadKm = 30
	sectorSpreadKm   = 3
	// KmPerMile converts the plane's kilometres to the miles e-RS reports.
	KmPerMile = 1.609344
)

var postcodePattern = regexp.MustCompile(`^([A-Z]{1,2})([0-9][A-Z0-9]?) ?([0-9][A-Z]{2})$`)

// Normalise returns a postcode in upper case with one space before the
// inward code ("ls1 4hr" -> "LS1 4HR"), and whether it is shaped like a UK
// postcode.
func Normalise(postcode string) (string, bool) {
	p := strings.ToUpper(strings.Join(strings.Fields(postcode), ""))
	m := postcodePattern.FindStringSubmatch(p)
	if m == nil {
		return "", false
	}
	return m[1] + m[2] + " " + m[3], true
}

// Point is where a postcode lies, in kilometres.
type Point struct{ X, Y float64 }

// Locate places a postcode: its area picks a point on the plane, its district
// a point within districtSpreadKm of that, and the full postcode a point
// within sectorSpreadKm of the district. ok is false for a string that is not
// shaped like a postcode.
func Locate(postcode string) (Point, bool) {
	p, ok := Normalise(postcode)
	if !ok {
		return Point{}, false
	}
	m := postcodePattern.FindStringSubmatch(strings.ReplaceAll(p, " ", ""))
	area, district := m[1], m[1]+m[2]
	ax, ay := unit(area, "x"), unit(area, "y")
	pt := Point{X: ax * planeWidthKm, Y: ay * planeHeightKm}
	pt.X += (unit(district, "x")*2 - 1) * districtSpreadKm
	pt.Y += (unit(district, "y")*2 - 1) * districtSpreadKm
	pt.X += (unit(p, "x")*2 - 1) * sectorSpreadKm
	pt.Y += (unit(p, "y")*2 - 1) * sectorSpreadKm
	return pt, true
}

// Miles is the straight-line distance between two points in miles.
func Miles(a, b Point) float64 {
	return math.Hypot(a.X-b.X, a.Y-b.Y) / KmPerMile
}

// unit hashes a key to a number in [0, 1).
func unit(key, axis string) float64 {
	h := fnv.New64a()
	h.Write([]byte(axis + ":" + key)) //nolint:errcheck // hash writes never fail
	return float64(h.Sum64()>>11) / float64(1<<53)
}
