package ersclient

import (
	"bytes"
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/ers-workstation/ers-workstation/ersclient/fhir"
	"github.com/go-json-experiment/json/jsontext"
)

// RequestKind says whether a UBRN names a referral or an advice and
// guidance request; the two are read and acted on with different operations.
type RequestKind string

// The kinds of request.
const (
	RequestKindReferral RequestKind = "referral"
	RequestKindAdvice   RequestKind = "advice"
)

// ReferralType is how a provider reviews a referral on REFERRALS_FOR_REVIEW
// (eRS-ReferralType-1).
type ReferralType string

// The referral types.
const (
	// ReferralTypeAppointment is a booked referral: accept (A013), reject
	// (A014) or cancel the appointment and act later (A022).
	ReferralTypeAppointment ReferralType = "APPOINTMENT"
	// ReferralTypeTriageDeferral is a triage or deferred referral: record
	// the review outcome (A028).
	ReferralTypeTriageDeferral ReferralType = "TRIAGE_DEFERRAL"
)

// RequestContextStatus says what changed since a provider last reviewed the
// referral (eRS-RequestContextStatus-1).
type RequestContextStatus string

// The request context statuses.
const (
	ContextNeverReviewed            RequestContextStatus = "NEVER_REVIEWED"
	ContextLetterChanged            RequestContextStatus = "LETTER_CHANGED"
	ContextPriorityChanged          RequestContextStatus = "PRIORITY_CHANGED"
	ContextPriorityAndLetterChanged RequestContextStatus = "PRIORITY_AND_LETTER_CHANGED"
)

// LetterChanged reports that the referral letter (the clinical information)
// changed since the last review.
func (s RequestContextStatus) LetterChanged() bool {
	return s == ContextLetterChanged || s == ContextPriorityAndLetterChanged
}

// PriorityChanged reports that the priority changed since the last review.
func (s RequestContextStatus) PriorityChanged() bool {
	return s == ContextPriorityChanged || s == ContextPriorityAndLetterChanged
}

// ChangedSinceReview reports that the referral was reviewed before and
// something changed since.
func (s RequestContextStatus) ChangedSinceReview() bool {
	return s != ContextNeverReviewed && s != ""
}

// WorklistRow is one worklist item in plain Go values, ready for a table.
// Which cells are set depends on the list (see WorklistType); a missing
// fact leaves its cell at the zero value. Times are zero when absent.
type WorklistRow struct {
	// UBRN comes from the item reference, the only place a worklist has it.
	UBRN     string
	Kind     RequestKind
	ListType WorklistType
	// NHSNumber is the patient's, whether e-RS sent it as an identifier or
	// as a reference to a contained Patient.
	NHSNumber string
	Priority  Priority

	SpecialtyCode     string
	SpecialtyDisplay  string
	ServiceID         string
	ServiceName       string
	ClinicTypeCode    string
	ClinicTypeDisplay string

	// ReferralType decides the provider's actions on REFERRALS_FOR_REVIEW.
	ReferralType ReferralType
	// StatusCode is the referral state on the referrer lists (spelled
	// APP_CANCELLED_BY_* there) and the advice status (AdviceCategory) on
	// the advice list, so that one column can show either.
	StatusCode    string
	StatusDisplay string
	// ReasonCode is the state's reason: a review reason on
	// APPOINTMENT_SLOT_ISSUES, a cancellation reason on the referrer lists.
	ReasonCode    string
	ReasonDisplay string
	// AdviceCategory is the advice status (eRS-AdviceAndGuidanceStatus-1).
	AdviceCategory string

	// PathwayStart is the start of the patient's referral pathway, from
	// which waiting time counts (see DaysWaiting).
	PathwayStart     time.Time
	AppointmentStart time.Time
	// ContactBy is the date by which the patient expects contact
	// (patientContactExpected).
	ContactBy time.Time
	LetterDue time.Time
	// ReferralCreated is when the referral was created or, on the advice
	// list, when advice was first requested.
	ReferralCreated time.Time
	// LastUpdated is referralLastUpdated, or adviceLastUpdated on the
	// advice list.
	LastUpdated  time.Time
	UBRNReceived time.Time
	LastContact  time.Time

	ClinicalInfoPrinted        bool
	RequestContextStatus       RequestContextStatus
	ClinicalInfoStatus         string
	ClinicalInfoFirstSubmitted time.Time
	ClinicalInfoLastUpdated    time.Time

	// NamedClinician, AllocatedClinician and Referrer are SDS user ids.
	NamedClinician     string
	AllocatedClinician string
	Referrer           string
	ClinicalContext    string

	// Version is the referral's (referralRequestVersion) or the advice
	// request's (communicationRequestVersion) version, for If-Match. It is
	// "" on APPOINTMENT_SLOT_ISSUES, which carries none: the caller must
	// call A005 (RetrieveReferral) for the version before a versioned write
	// on such a row (and A029 to check that A028 is allowed). The referrer
	// lists carry none either.
	Version string
}

// DaysWaiting is the number of whole days from the pathway start to now,
// or 0 when the pathway start is unknown (PathwayStart.IsZero()) or later
// than now.
func (r WorklistRow) DaysWaiting(now time.Time) int {
	if r.PathwayStart.IsZero() || now.Before(r.PathwayStart) {
		return 0
	}
	return int(now.Sub(r.PathwayStart) / (24 * time.Hour))
}

// ClinicalInfoChanged reports that the referral letter changed since the
// provider last reviewed the referral.
func (r WorklistRow) ClinicalInfoChanged() bool { return r.RequestContextStatus.LetterChanged() }

// NeedsVersionLookup reports that the row carries no version, so the caller
// must retrieve the referral (A005) before a versioned write.
func (r WorklistRow) NeedsVersionLookup() bool { return r.Version == "" }

// containedIndex maps a contained resource's id to its identifier value (the
// NHS number of a Patient, the SDS id of a Practitioner). It is built once
// per list so that resolving a row's references is a map lookup, not a scan.
type containedIndex map[string]string

type containedIdentifier struct {
	System string
	Value  string
}

func indexContained(list *fhir.List) containedIndex {
	if len(list.Contained) == 0 {
		return nil
	}
	idx := make(containedIndex, len(list.Contained))
	var ids []containedIdentifier
	// One decoder for all: over a bytes.Buffer it reads the JSON in place.
	dec := jsontext.NewDecoder(new(bytes.Buffer), jsontext.AllowDuplicateNames(true))
	for _, c := range list.Contained {
		dec.Reset(bytes.NewBuffer(c.JSON()), jsontext.AllowDuplicateNames(true))
		id, found, err := scanContainedHead(dec, ids[:0])
		ids = found
		if err != nil || id == "" {
			continue // a malformed contained resource only loses its cells
		}
		idx[id] = preferredIdentifier(found)
	}
	return idx
}

// scanContainedHead reads a contained resource's id and identifiers with the
// token reader: a worklist contains a Patient per row, and reflection-based
// decoding of each one costs more than the rest of the row. identifier is
// read as an array or, as e-RS sometimes sends it, a single object.
func scanContainedHead(dec *jsontext.Decoder, ids []containedIdentifier) (string, []containedIdentifier, error) {
	if tok, err := dec.ReadToken(); err != nil || tok.Kind() != '{' {
		return "", ids, errNotObject(err)
	}
	id := ""
	for dec.PeekKind() == '"' {
		name, err := dec.ReadToken()
		if err != nil {
			return "", ids, err
		}
		switch name.String() {
		case "id":
			tok, err := dec.ReadToken()
			if err != nil {
				return "", ids, err
			}
			if tok.Kind() == '"' {
				id = tok.String()
			}
		case "identifier":
			if ids, err = scanIdentifiers(dec, ids); err != nil {
				return "", ids, err
			}
		default:
			if err := dec.SkipValue(); err != nil {
				return "", ids, err
			}
		}
	}
	_, err := dec.ReadToken() // the closing '}'
	return id, ids, err
}

func scanIdentifiers(dec *jsontext.Decoder, ids []containedIdentifier) ([]containedIdentifier, error) {
	switch dec.PeekKind() {
	case '{':
		return scanIdentifier(dec, ids)
	case '[':
		if _, err := dec.ReadToken(); err != nil {
			return ids, err
		}
		for dec.PeekKind() == '{' {
			var err error
			if ids, err = scanIdentifier(dec, ids); err != nil {
				return ids, err
			}
		}
		_, err := dec.ReadToken() // the closing ']', or the error that stopped the loop
		return ids, err
	}
	return ids, dec.SkipValue()
}

func scanIdentifier(dec *jsontext.Decoder, ids []containedIdentifier) ([]containedIdentifier, error) {
	if _, err := dec.ReadToken(); err != nil {
		return ids, err
	}
	var id containedIdentifier
	for dec.PeekKind() == '"' {
		name, err := dec.ReadToken()
		if err != nil {
			return ids, err
		}
		var field *string
		switch name.String() {
		case "system":
			field = &id.System
		case "value":
			field = &id.Value
		default:
			if err := dec.SkipValue(); err != nil {
				return ids, err
			}
			continue
		}
		tok, err := dec.ReadToken()
		if err != nil {
			return ids, err
		}
		if tok.Kind() == '"' {
			*field = tok.String()
		}
	}
	if _, err := dec.ReadToken(); err != nil {
		return ids, err
	}
	return append(ids, id), nil
}

func errNotObject(err error) error {
	if err != nil {
		return err
	}
	return errors.New("contained resource is not a JSON object")
}

// preferredIdentifier picks the NHS number or SDS id, else the first value.
func preferredIdentifier(ids []containedIdentifier) string {
	for _, id := range ids {
		switch id.System {
		case fhir.SystemNHSNumberSTU3, fhir.SystemNHSNumberR4, fhir.SystemSDSUserSTU3, fhir.SystemSDSUserR4:
			return id.Value
		}
	}
	for _, id := range ids {
		if id.Value != "" {
			return id.Value
		}
	}
	return ""
}

// resolve returns the identifier a reference names: its own identifier, or
// that of the contained resource "#id" points at. When the contained
// resource is missing, an id of the documented form "Patient-<nhs>" or
// "Practitioner-<sds>" still yields the number.
func (idx containedIndex) resolve(ref *fhir.Reference) string {
	if ref == nil {
		return ""
	}
	if ref.Identifier != nil && ref.Identifier.Value != "" {
		return ref.Identifier.Value
	}
	id, ok := strings.CutPrefix(ref.Reference, "#")
	if !ok || id == "" {
		return ""
	}
	if v, found := idx[id]; found && v != "" {
		return v
	}
	if i := strings.LastIndexByte(id, '-'); i >= 0 && i+1 < len(id) && allDigits(id[i+1:]) {
		return id[i+1:]
	}
	return ""
}

// worklistRows builds every row of the list.
func worklistRows(list *fhir.List) []WorklistRow {
	idx := indexContained(list)
	rows := make([]WorklistRow, len(list.Entry))
	for i := range list.Entry {
		fillWorklistRow(&rows[i], &list.Entry[i], idx)
	}
	return rows
}

// itemExtension finds the entry's worklist-item extension: a known one, or
// else the first extension that has sub-extensions.
func itemExtension(e *fhir.ListEntry) (*fhir.Extension, WorklistType) {
	var fallback *fhir.Extension
	for i := range e.Extension {
		x := &e.Extension[i]
		if t, ok := worklistTypeOfItemURL(x.URL); ok {
			return x, t
		}
		if fallback == nil && len(x.Extension) > 0 {
			fallback = x
		}
	}
	return fallback, ""
}

// ubrnOfItem reads "ReferralRequest/{ubrn}" or "CommunicationRequest/{ubrn}"
// (possibly absolute, possibly with "/_history/{v}").
func ubrnOfItem(ref string) (string, RequestKind) {
	for _, p := range [...]struct {
		prefix string
		kind   RequestKind
	}{{"ReferralRequest/", RequestKindReferral}, {"CommunicationRequest/", RequestKindAdvice}} {
		i := strings.LastIndex(ref, p.prefix)
		if i < 0 || (i > 0 && ref[i-1] != '/') {
			continue
		}
		id := ref[i+len(p.prefix):]
		if j := strings.IndexByte(id, '/'); j >= 0 {
			id = id[:j]
		}
		return id, p.kind
	}
	return "", ""
}

func fillWorklistRow(r *WorklistRow, e *fhir.ListEntry, idx containedIndex) {
	r.UBRN, r.Kind = ubrnOfItem(e.Item.Reference)
	if r.UBRN == "" && e.Item.Identifier != nil {
		r.UBRN = e.Item.Identifier.Value
	}
	item, t := itemExtension(e)
	r.ListType = t
	if r.Kind == "" {
		r.Kind = RequestKindReferral
		if t == WorklistAdviceAndGuidanceRequests {
			r.Kind = RequestKindAdvice
		}
	}
	if item == nil {
		return
	}
	// One pass over the sub-extensions, dispatching on the short URL.
	for i := range item.Extension {
		s := &item.Extension[i]
		v := &s.Value
		switch s.URL {
		case "priority":
			r.Priority = Priority(valueCode(v))
		case "specialty":
			r.SpecialtyCode, r.SpecialtyDisplay = valueCodeDisplay(v)
		case "clinicType":
			r.ClinicTypeCode, r.ClinicTypeDisplay = valueCodeDisplay(v)
		case "patient":
			r.NHSNumber = idx.resolve(v.ValueReference)
		case "namedClinician":
			r.NamedClinician = idx.resolve(v.ValueReference)
		case "allocatedClinician":
			r.AllocatedClinician = idx.resolve(v.ValueReference)
		case "referrer":
			r.Referrer = idx.resolve(v.ValueReference)
		case "service":
			if ref := v.ValueReference; ref != nil {
				r.ServiceID = idx.resolve(ref)
				r.ServiceName = ref.Display
			} else if v.ValueIdentifier != nil {
				r.ServiceID = v.ValueIdentifier.Value
			}
		case "referralType":
			r.ReferralType = ReferralType(valueCode(v))
		case "status":
			r.StatusCode, r.StatusDisplay = valueCodeDisplay(v)
		case "category":
			r.AdviceCategory, r.StatusDisplay = valueCodeDisplay(v)
			r.StatusCode = r.AdviceCategory
		case "reason":
			r.ReasonCode, r.ReasonDisplay = valueCodeDisplay(v)
		case "requestContextStatus":
			r.RequestContextStatus = RequestContextStatus(valueCode(v))
		case "clinicalInformationStatus":
			r.ClinicalInfoStatus = valueCode(v)
		case "clinicalInfoPrinted":
			r.ClinicalInfoPrinted, _ = v.Bool()
		case "clinicalContext":
			r.ClinicalContext = v.String()
		case "eReferralPathwayStart":
			r.PathwayStart = valueTime(v)
		case "appointmentStart":
			r.AppointmentStart = valueTime(v)
		case "patientContactExpected":
			r.ContactBy = valueTime(v)
		case "letterDue":
			r.LetterDue = valueTime(v)
		case "referralCreated", "adviceFirstRequested":
			r.ReferralCreated = valueTime(v)
		case "referralLastUpdated", "adviceLastUpdated":
			r.LastUpdated = valueTime(v)
		case "ubrnReceived":
			r.UBRNReceived = valueTime(v)
		case "lastContact":
			r.LastContact = valueTime(v)
		case "clinicalInfoFirstSubmitted":
			r.ClinicalInfoFirstSubmitted = valueTime(v)
		case "clinicalInfoLastUpdated":
			r.ClinicalInfoLastUpdated = valueTime(v)
		case "referralRequestVersion", "communicationRequestVersion":
			if n, ok := v.Int(); ok {
				r.Version = strconv.FormatInt(n, 10)
			} else {
				r.Version = v.String()
			}
		}
	}
}

// valueCode is the code of a coded value (valueCodeableConcept, valueCoding
// or valueCode).
func valueCode(v *fhir.Value) string {
	code, _ := valueCodeDisplay(v)
	return code
}

func valueCodeDisplay(v *fhir.Value) (code, display string) {
	if cd, ok := v.Coding(); ok {
		display = cd.Display
		if display == "" && v.ValueCodeableConcept != nil {
			display = v.ValueCodeableConcept.Text
		}
		return cd.Code, display
	}
	if v.ValueCode != nil {
		return *v.ValueCode, ""
	}
	return "", ""
}

// valueTime reads a dateTime, date or instant value; zero if absent or
// unreadable.
func valueTime(v *fhir.Value) time.Time {
	var s string
	switch {
	case v.ValueDateTime != nil:
		s = *v.ValueDateTime
	case v.ValueDate != nil:
		s = *v.ValueDate
	case v.ValueInstant != nil:
		s = *v.ValueInstant
	default:
		return time.Time{}
	}
	t, _ := ParseFHIRTime(s)
	return t
}
