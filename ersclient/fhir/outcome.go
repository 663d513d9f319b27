package fhir

// OperationOutcome is an error body, STU3 (eRS-OperationOutcome-1, codes in
// eRS-APIErrorCode-1 with a display) or R4 (NHSDigital-OperationOutcome, codes
// in http-error-codes, NHSD-API-ErrorOrWarningCode or ers-error-codes, no display).
type OperationOutcome struct {
	DomainResource `json:",embed"`
	Issue          []OutcomeIssue `json:"issue,omitzero"`
	Extra          Extra          `json:",embed"`
}

// OutcomeIssue is one problem.
type OutcomeIssue struct {
	Severity    string           `json:"severity,omitzero"`
	Code        string           `json:"code,omitzero"`
	Details     *CodeableConcept `json:"details,omitzero"`
	Diagnostics string           `json:"diagnostics,omitzero"`
	Location    []string         `json:"location,omitzero"`
	Expression  []string         `json:"expression,omitzero"`
	Extra       Extra            `json:",embed"`
}
