package search

import (
	"strconv"
	"strings"

	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"

	"github.com/ers-workstation/ers-workstation/ersclient"
	"github.com/ers-workstation/ers-workstation/ersclient/fhir"
	"github.com/ers-workstation/ers-workstation/ui/theme"
)

// fieldID names a focus stop of the search form, in order.
type fieldID int

const (
	fRequestType fieldID = iota
	fNHS
	fPriority
	fSpecialty
	fClinicType
	fClinicalTerm
	fPostcode
	fDistance
	fWait
	fClinician
	fOrganisation
	fSort
	fAgeGender
	fSearch
	numFields
)

// label is the field's name on the form.
func (id fieldID) label() string {
	return [...]string{
		"Request type", "NHS number", "Priority", "Specialty", "Clinic type", "Clinical term (SNOMED)",
		"Postcode", "Distance limit (miles)", "Wait limit (days)", "Named clinician (SDS id)",
		"Organisation (ODS code)", "Sort by", "Age and sex appropriate", "",
	}[id]
}

// text reports a field the user types into.
func (id fieldID) text() bool {
	switch id {
	case fNHS, fClinicalTerm, fPostcode, fDistance, fWait, fClinician, fOrganisation:
		return true
	}
	return false
}

// coded reports a field chosen from an A004 code system with the picker.
func (id fieldID) coded() bool { return id == fPriority || id == fSpecialty || id == fClinicType }

// form is the search criteria as the user edits them. It checks what it
// can before anything is sent: an NHS number's check digit
// (ersclient.ValidNHSNumber), numbers that must be numbers, a priority.
type form struct {
	advice    bool // request type: advice and guidance, not appointment
	byWait    bool // sort by indicative wait, not distance
	ageGender bool
	priority  pick
	specialty pick
	clinic    pick
	texts     [numFields]textinput.Model
	focus     fieldID
	errs      map[fieldID]string
	// locked: changing a referral's shortlist fixes the patient and the
	// request type.
	locked bool
}

func newForm(st *theme.Styles) form {
	f := form{errs: map[fieldID]string{}}
	hints := map[fieldID]string{
		fNHS: "10 digits", fClinicalTerm: "optional SNOMED CT code", fPostcode: "optional; else the patient's",
		fDistance: "optional", fWait: "optional", fClinician: "optional", fOrganisation: "optional",
	}
	for id := fieldID(0); id < numFields; id++ {
		if id.text() {
			f.texts[id] = newInput(st, "", hints[id])
		}
	}
	f.texts[fNHS].CharLimit = 12
	f.texts[fPostcode].CharLimit = 8
	return f
}

// fill sets the form from criteria (a referral's, or an earlier search's).
func (f *form) fill(nhs string, advice bool, sc ersclient.SearchCriteria) {
	f.texts[fNHS].SetValue(nhs)
	f.advice = advice
	if sc.Priority.Code != "" {
		p := ersclient.Priority(sc.Priority.Code)
		f.priority = pick{Coding: ersclient.PriorityCoding(p), Label: p.Label()}
	}
	if sc.Specialty.Code != "" {
		f.specialty = pick{Coding: fhir.Coding{System: sc.Specialty.System, Code: sc.Specialty.Code}, Label: or(sc.Specialty.Display, sc.Specialty.Code)}
	}
	if sc.ClinicType.Code != "" {
		f.clinic = pick{Coding: fhir.Coding{Code: sc.ClinicType.Code}, Label: or(sc.ClinicType.Display, sc.ClinicType.Code)}
	}
	f.texts[fClinicalTerm].SetValue(sc.ClinicalTerm.Code)
	f.texts[fPostcode].SetValue(sc.Postcode)
	f.texts[fDistance].SetValue(intText(sc.DistanceLimit))
	f.texts[fWait].SetValue(intText(sc.IndicativeWaitLimit))
	f.texts[fClinician].SetValue(sc.NamedClinician)
	f.texts[fOrganisation].SetValue(sc.Organisation)
	f.ageGender = sc.AgeAndGenderAppropriate
}

// fields are the focus stops: a locked form skips what cannot change.
func (f *form) fields() []fieldID {
	out := make([]fieldID, 0, numFields)
	for id := fieldID(0); id < numFields; id++ {
		if f.locked && (id == fRequestType || id == fNHS) {
			continue
		}
		out = append(out, id)
	}
	return out
}

// move shifts the focus by d stops, stopping at the ends.
func (f *form) move(d int) tea.Cmd {
	fs := f.fields()
	i := 0
	for j, id := range fs {
		if id == f.focus {
			i = j
		}
	}
	return f.setFocus(fs[min(max(i+d, 0), len(fs)-1)])
}

// setFocus moves the focus, focusing the text input it lands on.
func (f *form) setFocus(id fieldID) tea.Cmd {
	for i := range f.texts {
		if fieldID(i).text() {
			f.texts[i].Blur()
		}
	}
	f.focus = id
	if id.text() {
		f.texts[id].CursorEnd()
		return f.texts[id].Focus()
	}
	return nil
}

// toggle changes a two-way choice (request type, sort, age and sex).
func (f *form) toggle() bool {
	switch f.focus {
	case fRequestType:
		if f.locked {
			return false
		}
		f.advice = !f.advice
	case fSort:
		f.byWait = !f.byWait
	case fAgeGender:
		f.ageGender = !f.ageGender
	default:
		return false
	}
	return true
}

// update passes a message to the focused text input.
func (f *form) update(msg tea.Msg) tea.Cmd {
	if !f.focus.text() {
		return nil
	}
	var cmd tea.Cmd
	f.texts[f.focus], cmd = f.texts[f.focus].Update(msg)
	delete(f.errs, f.focus)
	return cmd
}

func (f *form) value(id fieldID) string { return strings.TrimSpace(f.texts[id].Value()) }

// nhsNumber is the typed number without the spaces or dashes people type
// between its groups.
func (f *form) nhsNumber() string {
	return strings.NewReplacer(" ", "", "-", "").Replace(f.value(fNHS))
}

// build checks the form and returns the search to send; false with a
// problem beside each field that has one.
func (f *form) build(referringClinician, commRuleOrg string) (ersclient.ServiceSearch, bool) {
	f.errs = map[fieldID]string{}
	s := ersclient.ServiceSearch{RequestType: ersclient.RequestAppointment, SortBy: ersclient.SortByDistance,
		ReferringClinician: referringClinician}
	if f.advice {
		s.RequestType = ersclient.RequestAdviceAndGuidance
	} else {
		s.CommissioningRuleOrg = commRuleOrg
	}
	if f.byWait {
		s.SortBy = ersclient.SortByWaitTime
	}
	switch nhs := f.nhsNumber(); {
	case nhs == "":
		f.errs[fNHS] = "Enter the patient's NHS number."
	case !ersclient.ValidNHSNumber(nhs):
		f.errs[fNHS] = "Not a valid NHS number: it must be 10 digits with a correct check digit."
	default:
		s.NHSNumber = nhs
	}
	sc := &s.Criteria
	if f.priority.none() {
		f.errs[fPriority] = "Choose a priority (enter)."
	}
	sc.Priority = f.priority.Coding
	sc.Specialty = f.specialty.Coding
	// A010 takes eRS-ClinicType-1 codes: the client fills in that system.
	sc.ClinicType = fhir.Coding{Code: f.clinic.Coding.Code}
	if v := f.value(fClinicalTerm); v != "" {
		if !digits(v) || len(v) < 6 || len(v) > 18 {
			f.errs[fClinicalTerm] = "A SNOMED CT code is 6 to 18 digits."
		}
		sc.ClinicalTerm = fhir.Coding{Code: v}
	}
	sc.Postcode = strings.ToUpper(f.value(fPostcode))
	if sc.Postcode != "" && !postcodeShape(sc.Postcode) {
		f.errs[fPostcode] = "Not a UK postcode (for example LS1 4HR)."
	}
	sc.DistanceLimit = f.number(fDistance, "miles")
	sc.IndicativeWaitLimit = f.number(fWait, "days")
	if v := f.value(fClinician); v != "" && !digits(v) {
		f.errs[fClinician] = "An SDS user id is digits only."
	} else {
		sc.NamedClinician = v
	}
	if v := strings.ToUpper(f.value(fOrganisation)); v != "" && !alnum(v) {
		f.errs[fOrganisation] = "An ODS code is letters and digits only."
	} else {
		sc.Organisation = v
	}
	sc.AgeAndGenderAppropriate = f.ageGender
	return s, len(f.errs) == 0
}

// number reads an optional whole number field.
func (f *form) number(id fieldID, unit string) *int {
	v := f.value(id)
	if v == "" {
		return nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 || n > 9999 {
		f.errs[id] = "A whole number of " + unit + " (0 to 9999)."
		return nil
	}
	return &n
}

// firstError is the first field with a problem, to move the focus to.
func (f *form) firstError() (fieldID, bool) {
	for _, id := range f.fields() {
		if _, ok := f.errs[id]; ok {
			return id, true
		}
	}
	return 0, false
}

// typed reports anything entered that a search has not used yet.
func (f *form) typed() bool { return f.value(fNHS) != "" }

func digits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return s != ""
}

func alnum(s string) bool {
	for _, r := range s {
		if (r < '0' || r > '9') && (r < 'A' || r > 'Z') {
			return false
		}
	}
	return s != ""
}

// postcodeShape is a loose check of a UK postcode: 5 to 7 letters and
// digits, an optional space before the last three, starting with a letter.
func postcodeShape(p string) bool {
	compact := strings.ReplaceAll(p, " ", "")
	if len(compact) < 5 || len(compact) > 7 || !alnum(compact) || compact[0] < 'A' || compact[0] > 'Z' {
		return false
	}
	return strings.Count(p, " ") <= 1
}

func intText(n *int) string {
	if n == nil {
		return ""
	}
	return strconv.Itoa(*n)
}

func or(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// has reports whether the field is a focus stop now.
func (f *form) has(id fieldID) bool {
	for _, x := range f.fields() {
		if x == id {
			return true
		}
	}
	return false
}
