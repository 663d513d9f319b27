package fhir

// Meta is the resource metadata. VersionID is the e-RS optimistic-concurrency
// version (the weak ETag W/"n" carries the same number).
type Meta struct {
	VersionID   string   `json:"versionId,omitzero"`
	LastUpdated string   `json:"lastUpdated,omitzero"`
	Profile     []string `json:"profile,omitzero"`
	Extra       Extra    `json:",embed"`
}

// Coding is a code from a code system.
type Coding struct {
	System  string `json:"system,omitzero"`
	Version string `json:"version,omitzero"`
	Code    string `json:"code,omitzero"`
	Display string `json:"display,omitzero"`
	Extra   Extra  `json:",embed"`
}

// CodeableConcept is a concept given by one or more codings and/or text.
type CodeableConcept struct {
	Coding []Coding `json:"coding,omitzero"`
	Text   string   `json:"text,omitzero"`
	Extra  Extra    `json:",embed"`
}

// Identifier is a business identifier: an NHS number, a UBRN, an SDS user id...
type Identifier struct {
	Use    string `json:"use,omitzero"`
	System string `json:"system,omitzero"`
	Value  string `json:"value,omitzero"`
	Extra  Extra  `json:",embed"`
}

// Reference points at another resource, either by literal reference
// ("ReferralRequest/000000070000", "#Patient-9462979626") or by identifier.
type Reference struct {
	Extension  Extensions  `json:"extension,omitzero"`
	Reference  string      `json:"reference,omitzero"`
	Identifier *Identifier `json:"identifier,omitzero"`
	Display    string      `json:"display,omitzero"`
	Extra      Extra       `json:",embed"`
}

// Period is a time range; either end may be absent.
type Period struct {
	Start string `json:"start,omitzero"`
	End   string `json:"end,omitzero"`
	Extra Extra  `json:",embed"`
}

// ContactPoint is a telephone number, e-mail address and so on.
type ContactPoint struct {
	System string `json:"system,omitzero"`
	Value  string `json:"value,omitzero"`
	Use    string `json:"use,omitzero"`
	Extra  Extra  `json:",embed"`
}

// HumanName is a person's name.
type HumanName struct {
	Use    string   `json:"use,omitzero"`
	Text   string   `json:"text,omitzero"`
	Family string   `json:"family,omitzero"`
	Given  []string `json:"given,omitzero"`
	Prefix []string `json:"prefix,omitzero"`
	Extra  Extra    `json:",embed"`
}

// Attachment describes a file: in e-RS its URL is "Binary/{id}".
type Attachment struct {
	ID          string     `json:"id,omitzero"`
	Extension   Extensions `json:"extension,omitzero"`
	ContentType string     `json:"contentType,omitzero"`
	URL         string     `json:"url,omitzero"`
	Size        *int64     `json:"size,omitzero"`
	Title       string     `json:"title,omitzero"`
	Creation    string     `json:"creation,omitzero"`
	Extra       Extra      `json:",embed"`
}

// Annotation is a note: in e-RS, the text of an A&G message.
type Annotation struct {
	AuthorReference *Reference `json:"authorReference,omitzero"`
	AuthorString    string     `json:"authorString,omitzero"`
	Time            string     `json:"time,omitzero"`
	Text            string     `json:"text,omitzero"`
	Extra           Extra      `json:",embed"`
}

// Value is the FHIR choice type value[x], as used by extensions and parameters.
// At most one field is set.
type Value struct {
	ValueBoolean         *bool            `json:"valueBoolean,omitzero"`
	ValueInteger         *int64           `json:"valueInteger,omitzero"`
	ValueUnsignedInt     *int64           `json:"valueUnsignedInt,omitzero"`
	ValuePositiveInt     *int64           `json:"valuePositiveInt,omitzero"`
	ValueString          *string          `json:"valueString,omitzero"`
	ValueCode            *string          `json:"valueCode,omitzero"`
	ValueURI             *string          `json:"valueUri,omitzero"`
	ValueDate            *string          `json:"valueDate,omitzero"`
	ValueDateTime        *string          `json:"valueDateTime,omitzero"`
	ValueInstant         *string          `json:"valueInstant,omitzero"`
	ValueID              *string          `json:"valueId,omitzero"`
	ValueCoding          *Coding          `json:"valueCoding,omitzero"`
	ValueCodeableConcept *CodeableConcept `json:"valueCodeableConcept,omitzero"`
	ValueIdentifier      *Identifier      `json:"valueIdentifier,omitzero"`
	ValueReference       *Reference       `json:"valueReference,omitzero"`
	ValuePeriod          *Period          `json:"valuePeriod,omitzero"`
	ValueContactPoint    *ContactPoint    `json:"valueContactPoint,omitzero"`
	ValueAttachment      *Attachment      `json:"valueAttachment,omitzero"`
}

// Extension is a FHIR extension: a URL and either a value or sub-extensions.
type Extension struct {
	URL       string     `json:"url"`
	Extension Extensions `json:"extension,omitzero"`
	Value     `json:",embed"`
	Extra     Extra `json:",embed"`
}
