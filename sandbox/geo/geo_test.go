package geo

import "testing"

func TestNormaliseAcceptsUKPostcodesInAnySpacing(t *testing.T) {
	for _, tc := range []struct {
		in, want string
		ok       bool
	}{
		{"LS1 4HR", "LS1 4HR", true},
		{"ls14hr", "LS1 4HR", true},
		{" br1  1ab ", "BR1 1AB", true},
		{"EC1A 1BB", "EC1A 1BB", true},
		{"W1A 0AX", "W1A 0AX", true},
		{"M1 1AE", "M1 1AE", true},
		{"", "", false},
		{"NOT A POSTCODE", "", false},
		{"12345", "", false},
	} {
		t.Run(tc.in, func(t *testing.T) {
			got, ok := Normalise(tc.in)
			if got != tc.want || ok != tc.ok {
				t.Errorf("Normalise(%q) = %q, %v; want %q, %v", tc.in, got, ok, tc.want, tc.ok)
			}
		})
	}
}

func TestLocateIsDeterministicAndClustersByArea(t *testing.T) {
	a1, _ := Locate("LS1 4HR")
	a2, _ := Locate("ls1 4hr")
	if a1 != a2 {
		t.Fatalf("the same postcode landed on %v and %v", a1, a2)
	}
	sameDistrict, _ := Locate("LS1 5AB")
	if d := Miles(a1, sameDistrict); d > 2*sectorSpreadKm*1.5/KmPerMile {
		t.Errorf("two postcodes of one district are %.1f miles apart", d)
	}
	sameArea, _ := Locate("LS9 7TF")
	if d := Miles(a1, sameArea); d > 2*(districtSpreadKm+sectorSpreadKm)*1.5/KmPerMile {
		t.Errorf("two postcodes of one area are %.1f miles apart", d)
	}
	if _, ok := Locate("nonsense"); ok {
		t.Error("a string that is no postcode was located")
	}
}

func TestMilesConvertsKilometres(t *testing.T) {
	if got := Miles(Point{0, 0}, Point{3 * KmPerMile, 4 * KmPerMile}); got < 4.999 || got > 5.001 {
		t.Errorf("Miles = %v, want 5", got)
	}
}
