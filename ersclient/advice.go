package ersclient

import (
	"context"
	"fmt"
	"strings"

	"github.com/ers-workstation/ers-workstation/ersclient/fhir"
)

// AdviceRequest is an Advice & Guidance request as e-RS returned it (A024):
// the CommunicationRequest whose id is the UBRN.
type AdviceRequest struct {
	ResponseInfo
	// Resource is the raw request, for whatever the summary does not show.
	Resource *fhir.CommunicationRequest
	// Version is the request's version for the next write (A026 If-Match,
	// A027 createFrom, A025 based-on): meta.versionId, or the ETag's number
	// when the body carries none. It shadows ResponseInfo.Version on purpose:
	// the official sandbox's ETags are fixed, meta.versionId is the record's.
	Version string
}

// UBRN is the request's id.
func (r *AdviceRequest) UBRN() string {
	if r == nil || r.Resource == nil {
		return ""
	}
	return r.Resource.ID
}

// RetrieveAdviceRequest is A024: the summary of an A&G request with its
// current version, which A025, A026 and A027 need.
//
// Roles: RC, RCA, SPC, SPCA. Application-restricted: yes (provider).
func (c *Client) RetrieveAdviceRequest(ctx context.Context, ubrn string) (*AdviceRequest, error) {
	o := op(OpRetrieveAdviceRequest)
	if msg := ubrnProblem(ubrn); msg != "" {
		return nil, invalid(o.ID, "%s", msg)
	}
	return c.adviceRequestCall(ctx, call{op: o, pathValues: []string{ubrn}})
}

// RetrieveAdviceRequestVersion is A024v: the A&G request at a given version.
// e-RS serves only the latest version; any other gives 404 (IsNotFound),
// which tells the caller its copy is stale.
//
// Roles: RC, RCA, SPC, SPCA. Application-restricted: yes (provider).
func (c *Client) RetrieveAdviceRequestVersion(ctx context.Context, ubrn, version string) (*AdviceRequest, error) {
	o := op(OpRetrieveAdviceRequestVer)
	if msg := ubrnProblem(ubrn); msg != "" {
		return nil, invalid(o.ID, "%s", msg)
	}
	if msg := versionProblem(version); msg != "" {
		return nil, invalid(o.ID, "%s", msg)
	}
	return c.adviceRequestCall(ctx, call{op: o, pathValues: []string{ubrn, version}})
}

func (c *Client) adviceRequestCall(ctx context.Context, cl call) (*AdviceRequest, error) {
	resp, err := fetch[fhir.CommunicationRequest](ctx, c, cl)
	if err != nil {
		return nil, err
	}
	return newAdviceRequest(cl.op.ID, resp.ResponseInfo, resp.Resource)
}

// newAdviceRequest checks that the body is an A&G request and works out its
// version.
func newAdviceRequest(opID OperationID, info ResponseInfo, cr *fhir.CommunicationRequest) (*AdviceRequest, error) {
	if cr == nil || cr.ResourceType != "CommunicationRequest" {
		got := ""
		if cr != nil {
			got = cr.ResourceType
		}
		return nil, &Error{Op: opID, Kind: KindBadResponse, Status: info.Status, CorrelationID: info.CorrelationID,
			RequestID: info.RequestID, Err: fmt.Errorf("expected a CommunicationRequest, got %q", got)}
	}
	v := cr.Version()
	if v == "" {
		v = info.Version
	}
	return &AdviceRequest{ResponseInfo: info, Resource: cr, Version: v}, nil
}

// AdviceStatus is where an A&G conversation stands: the request's category
// (eRS-AdviceAndGuidanceStatus-1).
type AdviceStatus string

// The A&G statuses.
const (
	AdviceProviderResponseRequired AdviceStatus = "PROVIDER_RESPONSE_REQUIRED"
	AdviceReferrerToSubmitMoreInfo AdviceStatus = "REFERRER_TO_SUBMIT_FURTHER_INFORMATION"
	AdviceReferrerToReviewResponse AdviceStatus = "REFERRER_TO_REVIEW_RESPONSE"
	AdviceConversationEndedCancel  AdviceStatus = "CONVERSATION_ENDED_CANCELLED"
	AdviceConversationEndedClosed  AdviceStatus = "CONVERSATION_ENDED_CLOSED"
	AdviceConvertedToReferral      AdviceStatus = "ADVICE_CONVERTED"
)

// Label is the status in words for a screen.
func (s AdviceStatus) Label() string {
	switch s {
	case AdviceProviderResponseRequired:
		return "Provider response required"
	case AdviceReferrerToSubmitMoreInfo:
		return "Referrer to submit further information"
	case AdviceReferrerToReviewResponse:
		return "Referrer to review response"
	case AdviceConversationEndedCancel:
		return "Conversation ended (cancelled)"
	case AdviceConversationEndedClosed:
		return "Conversation ended (closed)"
	case AdviceConvertedToReferral:
		return "Converted to a referral"
	case "":
		return "Unknown"
	}
	return sentenceCase(string(s))
}

// WithProvider reports whether the provider is the one to act: only then
// can it respond (A026) or convert (A027).
func (s AdviceStatus) WithProvider() bool { return s == AdviceProviderResponseRequired }

// Ended reports whether the conversation is over.
func (s AdviceStatus) Ended() bool {
	return s == AdviceConversationEndedCancel || s == AdviceConversationEndedClosed || s == AdviceConvertedToReferral
}

// The provider conversion authorisation codes
// (eRS-ProviderConversionAuthorisation-1).
const (
	conversionAuthorised    = "AUTHORISED_TO_CONVERT"
	conversionNotAuthorised = "NOT_AUTHORISED_TO_CONVERT"
)

// AdviceParticipant is a PractitionerRole taking part in an A&G request: a
// user (SDS id) in a role at an organisation (ODS code).
type AdviceParticipant struct {
	// Reference is the reference as e-RS gave it
	// ("#PractitionerRole.921600556514.R68.REFERRING-CLINICIAN",
	// "PractitionerRole/921600556514.R68.REFERRING-CLINICIAN").
	Reference    string
	SDSUserID    string
	Organisation string
	Role         BusinessFunction
}

// RoleLabel is the role in words, or "" when unknown.
func (p AdviceParticipant) RoleLabel() string {
	if p.Role == "" {
		return ""
	}
	return p.Role.Label()
}

// IsZero reports whether nothing is known of the participant.
func (p AdviceParticipant) IsZero() bool {
	return p.SDSUserID == "" && p.Organisation == "" && p.Role == ""
}

// AdviceSummary is an A&G request in plain Go values for the A&G screen.
type AdviceSummary struct {
	UBRN string
	// RequestID is the e-RS request id ("a.<uuid>").
	RequestID string
	NHSNumber string
	// Status is the resource status: active, cancelled or completed.
	Status   string
	Category AdviceStatus
	Priority Priority
	// Specialty is the SPECIALTY code; SpecialtyName its display.
	Specialty     string
	SpecialtyName string
	// ClinicType is the clinic type of the search that found the service.
	ClinicType string
	// ConversionAuthorised is true when the referrer allowed the provider to
	// convert the request into a referral (A027).
	ConversionAuthorised bool
	// ConversionCode is the raw authorisation code, "" when e-RS gave none.
	ConversionCode string
	// ServiceID and ServiceName are the A&G service asked.
	ServiceID   string
	ServiceName string
	Requester   AdviceParticipant
	Sender      AdviceParticipant
	Attachments []AttachmentSummary
	Version     string
}

// CanConvert reports whether the provider may convert the request into a
// referral (A027) and, when not, says why in a sentence. It is advice for the
// screen: the client does not refuse the call, e-RS does (422 or 409).
func (s AdviceSummary) CanConvert() (bool, string) {
	switch {
	case s.ConversionCode == "":
		return false, "The request does not say whether the referrer allowed conversion to a referral."
	case !s.ConversionAuthorised:
		return false, "The referrer has not allowed the provider to convert this request into a referral."
	case s.Status != "" && s.Status != "active":
		return false, fmt.Sprintf("The request is %s, so it can no longer be converted.", s.Status)
	case s.Category == AdviceConvertedToReferral:
		return false, "The request has already been converted into a referral."
	case s.Category.Ended():
		return false, "The conversation has ended, so the request can no longer be converted."
	case s.Category != "" && !s.Category.WithProvider():
		return false, fmt.Sprintf("The request is with the referrer (%s); it can be converted once it returns to the provider.",
			strings.ToLower(s.Category.Label()))
	}
	return true, ""
}

// Summary is the request in plain Go values.
func (r *AdviceRequest) Summary() AdviceSummary {
	if r == nil || r.Resource == nil {
		return AdviceSummary{}
	}
	s := summarizeAdvice(r.Resource)
	if s.Version == "" {
		s.Version = r.Version
	}
	return s
}

func summarizeAdvice(cr *fhir.CommunicationRequest) AdviceSummary {
	refs := adviceRefs{contained: cr.Contained}
	s := AdviceSummary{
		UBRN:      cr.ID,
		RequestID: fhir.FindIdentifier(cr.Identifier, fhir.SystemERSRequestID),
		Status:    cr.Status,
		Version:   cr.Version(),
	}
	if cr.Subject != nil && cr.Subject.Identifier != nil {
		s.NHSNumber = cr.Subject.Identifier.Value
	}
	for _, cat := range cr.Category {
		if cd, ok := cat.CodingIn(fhir.CSAdviceAndGuidanceStatus); ok {
			s.Category = AdviceStatus(cd.Code)
			break
		}
	}
	if v, ok := cr.Extension.Value(fhir.ExtReferralPriority); ok {
		if cd, ok := v.Coding(); ok {
			s.Priority = Priority(cd.Code)
		}
	}
	if v, ok := cr.Extension.Value(fhir.ExtSpecialty); ok {
		if cd, ok := v.Coding(); ok {
			s.Specialty, s.SpecialtyName = cd.Code, cd.Display
		}
	}
	if v, ok := cr.Extension.Value(fhir.ExtProviderConversion); ok {
		if cd, ok := v.Coding(); ok {
			s.ConversionCode = cd.Code
			s.ConversionAuthorised = cd.Code == conversionAuthorised
		}
	}
	s.ServiceID, s.ServiceName, s.ClinicType = adviceService(cr, refs)
	if cr.Requester != nil {
		s.Requester = refs.participant(practitionerRoleRef(&cr.Requester.Agent))
	}
	if cr.Sender != nil {
		s.Sender = refs.participant(practitionerRoleRef(cr.Sender))
	}
	s.Attachments = refs.attachments(cr.Payload, true)
	return s
}

// adviceService finds the service asked: the shortlist's single entry (with
// its name) and the clinic type of the search behind it, else the
// recipient's service reference.
func adviceService(cr *fhir.CommunicationRequest, refs adviceRefs) (id, name, clinicType string) {
	shortlistRef := "#shortlist"
	if v, ok := cr.Extension.Value(fhir.ExtReferralShortlist); ok && v.ValueReference != nil && v.ValueReference.Reference != "" {
		shortlistRef = v.ValueReference.Reference
	}
	if raw, ok := refs.find(shortlistRef); ok && raw.ResourceType() == "List" {
		var list fhir.List
		if raw.Decode(&list) == nil {
			for _, e := range list.Entry {
				if e.Item.Identifier != nil && e.Item.Identifier.Value != "" {
					id, name = e.Item.Identifier.Value, e.Item.Display
					break
				}
			}
			if v, ok := list.Extension.Value(fhir.ExtShortlistCriteria); ok && v.ValueReference != nil {
				clinicType = criteriaClinicType(refs, v.ValueReference.Reference)
			}
		}
	}
	if id == "" {
		for _, rcp := range cr.Recipient {
			if v, ok := rcp.Extension.Value(fhir.ExtHealthcareServiceRef); ok && v.ValueReference != nil {
				if v.ValueReference.Identifier != nil {
					id = v.ValueReference.Identifier.Value
				}
				if name == "" {
					name = v.ValueReference.Display
				}
				break
			}
		}
	}
	return id, name, clinicType
}

func criteriaClinicType(refs adviceRefs, ref string) string {
	raw, ok := refs.find(ref)
	if !ok || raw.ResourceType() != "Parameters" {
		return ""
	}
	var p fhir.Parameters
	if raw.Decode(&p) != nil {
		return ""
	}
	if param, ok := p.Get("clinicType"); ok {
		return param.Value.String()
	}
	return ""
}

// practitionerRoleRef returns the PractitionerRole a reference points at:
// e-RS puts it in an Extension-PractitionerRole-Reference-1 on an otherwise
// empty reference; a plain reference is accepted too.
func practitionerRoleRef(ref *fhir.Reference) string {
	if ref == nil {
		return ""
	}
	if v, ok := ref.Extension.Value(fhir.ExtPractitionerRoleRef); ok && v.ValueReference != nil && v.ValueReference.Reference != "" {
		return v.ValueReference.Reference
	}
	return ref.Reference
}

// adviceRefs resolves the references of A&G resources: to contained
// resources ("#id") and, in an A025 bundle, to included ones
// ("PractitionerRole/{id}", "DocumentReference/{id}"). Communications and
// DocumentReferences share ids ("70000"), so included resources are keyed by
// type and id.
type adviceRefs struct {
	contained []fhir.RawResource
	included  map[string]fhir.RawResource
}

func (r adviceRefs) find(ref string) (fhir.RawResource, bool) {
	if ref == "" {
		return fhir.RawResource{}, false
	}
	if id, ok := strings.CutPrefix(ref, "#"); ok {
		for _, c := range r.contained {
			if c.ID() == id {
				return c, true
			}
		}
		return fhir.RawResource{}, false
	}
	key := typeAndID(ref)
	if raw, ok := r.included[key]; ok {
		return raw, true
	}
	return fhir.RawResource{}, false
}

// typeAndID reduces a literal reference, relative or absolute, with or
// without _history, to "Type/id".
func typeAndID(ref string) string {
	if i := strings.Index(ref, "/_history/"); i >= 0 {
		ref = ref[:i]
	}
	parts := strings.Split(strings.TrimSuffix(ref, "/"), "/")
	if len(parts) < 2 {
		return ref
	}
	return parts[len(parts)-2] + "/" + parts[len(parts)-1]
}

// refID is the id a local or literal reference names.
func refID(ref string) string {
	if id, ok := strings.CutPrefix(ref, "#"); ok {
		return id
	}
	key := typeAndID(ref)
	return key[strings.LastIndex(key, "/")+1:]
}

// participant resolves a PractitionerRole reference. The resource's own
// fields win; whatever they lack is read from the id, which e-RS builds as
// SDS.ORG.ROLE ("921600556514.R68.REFERRING-CLINICIAN"; the role part may be
// missing, as in "103264992985.R69").
func (r adviceRefs) participant(ref string) AdviceParticipant {
	if ref == "" {
		return AdviceParticipant{}
	}
	p := participantFromID(ref)
	raw, ok := r.find(ref)
	if !ok || raw.ResourceType() != "PractitionerRole" {
		return p
	}
	var pr fhir.PractitionerRole
	if raw.Decode(&pr) != nil {
		return p
	}
	own := participantFromRole(pr)
	if own.SDSUserID != "" {
		p.SDSUserID = own.SDSUserID
	}
	if own.Organisation != "" {
		p.Organisation = own.Organisation
	}
	if own.Role != "" {
		p.Role = own.Role
	}
	return p
}

func participantFromRole(pr fhir.PractitionerRole) AdviceParticipant {
	var p AdviceParticipant
	if pr.Practitioner != nil && pr.Practitioner.Identifier != nil {
		p.SDSUserID = pr.Practitioner.Identifier.Value
	}
	if pr.Organization != nil && pr.Organization.Identifier != nil {
		p.Organisation = pr.Organization.Identifier.Value
	}
	for _, cc := range pr.Code {
		for _, cd := range cc.Coding {
			// STU3 and R4 spell the business-function system differently;
			// both end in the same name.
			if strings.HasSuffix(cd.System, "/eRS-BusinessFunction-1") && cd.Code != "" {
				p.Role = BusinessFunction(cd.Code)
				return p
			}
		}
	}
	return p
}

// participantFromID reads SDS.ORG.ROLE from a PractitionerRole reference.
// Anything that does not start with an SDS id (all digits) is left alone
// rather than guessed at.
func participantFromID(ref string) AdviceParticipant {
	p := AdviceParticipant{Reference: ref}
	id := strings.TrimPrefix(ref, "#")
	if i := strings.LastIndex(id, "PractitionerRole/"); i >= 0 {
		id = id[i+len("PractitionerRole/"):]
	}
	id = strings.TrimPrefix(id, "PractitionerRole.")
	parts := strings.SplitN(id, ".", 3)
	if !allDigits(parts[0]) {
		return p
	}
	p.SDSUserID = parts[0]
	if len(parts) > 1 {
		p.Organisation = parts[1]
	}
	if len(parts) > 2 && parts[2] != "" {
		p.Role = BusinessFunction(strings.ToUpper(strings.ReplaceAll(parts[2], "-", "_")))
	}
	return p
}

// attachments resolves payload content references to DocumentReferences.
// With orphans, contained DocumentReferences no payload names are added too,
// so that no file of the request goes unseen.
func (r adviceRefs) attachments(payload []fhir.CommunicationPayload, orphans bool) []AttachmentSummary {
	var out []AttachmentSummary
	seen := map[string]bool{}
	for _, p := range payload {
		if p.ContentReference == nil || p.ContentReference.Reference == "" {
			continue
		}
		ref := p.ContentReference.Reference
		raw, ok := r.find(ref)
		if !ok || raw.ResourceType() != "DocumentReference" {
			// Keep the file visible even when its details were not sent.
			out = append(out, AttachmentSummary{DocumentID: refID(ref)})
			continue
		}
		var d fhir.DocumentReference
		if raw.Decode(&d) != nil {
			continue
		}
		seen[raw.ID()] = true
		out = append(out, attachmentFromDocumentReference(d))
	}
	if !orphans {
		return out
	}
	for _, c := range r.contained {
		if c.ResourceType() != "DocumentReference" || seen[c.ID()] {
			continue
		}
		var d fhir.DocumentReference
		if c.Decode(&d) == nil {
			out = append(out, attachmentFromDocumentReference(d))
		}
	}
	return out
}

// sentenceCase turns an unknown code into words: "SOME_CODE" -> "Some code".
func sentenceCase(code string) string {
	s := strings.ToLower(strings.ReplaceAll(code, "_", " "))
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
