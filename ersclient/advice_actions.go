package ersclient

import (
	"context"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/ers-workstation/ers-workstation/ersclient/fhir"
)

// Profiles of the A&G bodies, named in meta.profile as the official examples
// do.
const (
	profileSendAdviceResponse = "https://fhir.nhs.uk/STU3/StructureDefinition/eRS-SendCommunicationToRequester-Request-Parameters-1"
	profileConvertAdvice      = "https://fhir.nhs.uk/STU3/StructureDefinition/eRS-CreateFromCommunicationRequestActionLater-Request-Parameters-1"
	profileCreateAdvice       = "https://fhir.nhs.uk/STU3/StructureDefinition/eRS-CreateAdviceAndGuidance-Request-Parameters-1"
	profileAdviceShortlist    = "https://fhir.nhs.uk/STU3/StructureDefinition/eRS-Shortlist-List-1"
	profileAdviceCriteria     = "https://fhir.nhs.uk/STU3/StructureDefinition/eRS-ServiceSearchCriteria-Parameters-1"
	// adviceCriteriaID is the contained search criteria's id, as in the
	// official A044 examples.
	adviceCriteriaID = "ServiceSearchCriteria-1"
	// MaxAdviceTextRunes bounds A026/A027 guidance and the A044 request.
	MaxAdviceTextRunes = 8000
)

// AdviceOutcome is what a provider's response does with the request
// (eRS-GuidanceResponseOutcome-1).
type AdviceOutcome string

// The outcomes A026 accepts.
const (
	// AdviceReturnWithAdvice gives the referrer the advice; it needs a
	// recommendation.
	AdviceReturnWithAdvice AdviceOutcome = "RETURN_TO_REFERRER_WITH_ADVICE"
	// AdviceRequireFurtherInfo asks the referrer for more information.
	AdviceRequireFurtherInfo AdviceOutcome = "REQUIRE_FURTHER_INFORMATION"
	// AdviceProviderConverted records that the provider converted the
	// request; use ConvertAdviceToReferral (A027) to convert it.
	AdviceProviderConverted AdviceOutcome = "PROVIDER_CONVERTED"
)

// AdviceOutcomes are the outcomes in the order a screen offers them.
func AdviceOutcomes() []AdviceOutcome {
	return []AdviceOutcome{AdviceReturnWithAdvice, AdviceRequireFurtherInfo, AdviceProviderConverted}
}

// Label is the outcome in words.
func (o AdviceOutcome) Label() string {
	switch o {
	case AdviceReturnWithAdvice:
		return "Return to referrer with advice"
	case AdviceRequireFurtherInfo:
		return "Ask the referrer for further information"
	case AdviceProviderConverted:
		return "Provider converted to a referral"
	}
	return sentenceCase(string(o))
}

// NeedsRecommendation reports whether the outcome must carry a
// recommendation (and only then may it).
func (o AdviceOutcome) NeedsRecommendation() bool { return o == AdviceReturnWithAdvice }

func (o AdviceOutcome) valid() bool {
	return o == AdviceReturnWithAdvice || o == AdviceRequireFurtherInfo || o == AdviceProviderConverted
}

// AdviceRecommendation is what the provider recommends with its advice
// (eRS-GuidanceIntendedRecommendation-1).
type AdviceRecommendation string

// The recommendations that go with AdviceReturnWithAdvice.
const (
	RecommendAdviceOnly         AdviceRecommendation = "ADVICE_ONLY_NO_REFERRAL_RECOMMENDED"
	RecommendReferralIfRequired AdviceRecommendation = "ADVICE_FOLLOWED_BY_REFERRAL_IF_REQUIRED"
	RecommendReferral           AdviceRecommendation = "REFERRAL_RECOMMENDED"
	RecommendOther              AdviceRecommendation = "OTHER"
)

// AdviceRecommendations are the recommendations in the order a screen offers
// them.
func AdviceRecommendations() []AdviceRecommendation {
	return []AdviceRecommendation{RecommendAdviceOnly, RecommendReferralIfRequired, RecommendReferral, RecommendOther}
}

// Label is the recommendation in words.
func (r AdviceRecommendation) Label() string {
	switch r {
	case RecommendAdviceOnly:
		return "Advice only, no referral recommended"
	case RecommendReferralIfRequired:
		return "Advice, followed by a referral if required"
	case RecommendReferral:
		return "Referral recommended"
	case RecommendOther:
		return "Other"
	}
	return sentenceCase(string(r))
}

func (r AdviceRecommendation) valid() bool {
	switch r {
	case RecommendAdviceOnly, RecommendReferralIfRequired, RecommendReferral, RecommendOther:
		return true
	}
	return false
}

// AdviceResponseRequest is the input of A026.
type AdviceResponseRequest struct {
	UBRN string
	// Version is the request's current version (A024), sent as If-Match.
	Version string
	Outcome AdviceOutcome
	// Recommendation is mandatory with AdviceReturnWithAdvice and not
	// allowed otherwise.
	Recommendation AdviceRecommendation
	// Guidance is the message to the referrer: at most 8000 characters.
	Guidance string
	// UpdatedPriority is mandatory: the current priority to keep it.
	UpdatedPriority Priority
	// Attachments are linked as GUIDANCE_RESPONSE files.
	Attachments []FileLink
}

// ConvertAdviceRequest is the input of A027.
type ConvertAdviceRequest struct {
	UBRN string
	// Version is the request's current version (A024); it goes in the body,
	// and a stale one gives 409.
	Version string
	// Guidance is the final message to the referrer: at most 8000
	// characters.
	Guidance            string
	NewReferralPriority Priority
	// ReviewComments tell the provider's admin team what to do with the new
	// referral. Mandatory.
	ReviewComments string
	// GuidanceAttachments go to the referrer (GUIDANCE_RESPONSE);
	// ReviewAttachments stay with the referral (PROVIDER).
	GuidanceAttachments []FileLink
	ReviewAttachments   []FileLink
}

// CreateAdviceRequest is the input of A044.
type CreateAdviceRequest struct {
	// NHSNumber is the patient's; its check digit is verified.
	NHSNumber string
	// ConversionAuthorised allows the provider to convert the request into a
	// referral (A027).
	ConversionAuthorised bool
	// ServiceID is the one A&G service asked, found with A010
	// (requestType ADVICE_AND_GUIDANCE_REQUEST). ServiceName, if given, is
	// sent as the shortlist entry's display; the official examples send
	// none, and e-RS names the service from its id.
	ServiceID   string
	ServiceName string
	// Request is the question: at most 8000 characters.
	Request string
	// ReferringClinician is the SDS user id of the clinician a referring
	// clinician admin acts for: mandatory for RCA, not allowed for RC.
	ReferringClinician string
	// Attachments are linked as ADVICE_REQUEST files.
	Attachments []FileLink
	// The criteria of the A010 search that found the service, which e-RS
	// keeps with the shortlist. Priority is mandatory; Specialty (a
	// SPECIALTY coding as A004 returned it) and ClinicType
	// (eRS-ClinicType-1) are optional.
	Priority                Priority
	Specialty               fhir.Coding
	ClinicType              fhir.Coding
	AgeAndGenderAppropriate bool
	// SearchCriteria, if set, replaces the four fields above: the whole
	// eRS-ServiceSearchCriteria-Parameters-1 resource sent to A010.
	SearchCriteria *fhir.Parameters
}

// AdviceSent is what A026 and A044 return: the A&G request as it now stands
// and the message just sent. Request or Message is nil when e-RS left it out
// of an otherwise successful answer; the change was made, so reload with A024
// rather than send again.
type AdviceSent struct {
	ResponseInfo
	UBRN string
	// Version is the request's new version, for the next write.
	Version    string
	Request    *AdviceRequest
	Message    *AdviceMessage
	Parameters *fhir.Parameters
}

// SendAdviceResponse is A026: the provider answers an A&G request, with
// advice (and a recommendation) or a request for more information. The
// request goes back to the referrer (REFERRER_TO_REVIEW_RESPONSE or
// REFERRER_TO_SUBMIT_FURTHER_INFORMATION) and its version goes up by one.
//
// Roles: SPC, SPCA. Application-restricted: no. If-Match: the request's
// version. 422 UNSUPPORTED_PRIORITY when the service does not take the
// priority.
func (c *Client) SendAdviceResponse(ctx context.Context, req AdviceResponseRequest) (*AdviceSent, error) {
	o := op(OpSendAdviceResponse)
	if err := adviceTarget(o.ID, req.UBRN, req.Version); err != nil {
		return nil, err
	}
	if !req.Outcome.valid() {
		return nil, invalid(o.ID, "choose an outcome: return to referrer with advice, ask for further information or provider converted")
	}
	switch {
	case req.Outcome.NeedsRecommendation() && req.Recommendation == "":
		return nil, invalid(o.ID, "returning advice to the referrer needs a recommendation")
	case !req.Outcome.NeedsRecommendation() && req.Recommendation != "":
		return nil, invalid(o.ID, "a recommendation goes only with returning advice to the referrer")
	case req.Recommendation != "" && !req.Recommendation.valid():
		return nil, invalid(o.ID, "recommendation %q is not one e-RS knows", req.Recommendation)
	}
	if err := adviceText(o.ID, "guidance", req.Guidance); err != nil {
		return nil, err
	}
	if err := advicePriority(o.ID, "updated priority", req.UpdatedPriority); err != nil {
		return nil, err
	}
	p := fhir.NewParameters(profileSendAdviceResponse)
	p.Add(adviceCodingParam("guidanceOutcome", fhir.CSGuidanceResponseOutcome, string(req.Outcome)))
	if req.Recommendation != "" {
		p.Add(adviceCodingParam("guidanceIntendedRecommendation", fhir.CSGuidanceIntendedRecommendation, string(req.Recommendation)))
	}
	p.Add(adviceStringParam("guidance", req.Guidance))
	p.Add(adviceCodingParam("updatedPriority", fhir.CSPriority, string(req.UpdatedPriority)))
	if err := addFileLinks(o.ID, p, "guidanceAttachmentFile", AttachmentGuidanceResponse, req.Attachments, time.Now()); err != nil {
		return nil, err
	}
	cl := call{op: o, pathValues: []string{req.UBRN}, ifMatch: IfMatch(req.Version)}
	if err := cl.resource(p); err != nil {
		return nil, err
	}
	return c.adviceSentCall(ctx, cl, "updatedCommunicationRequest")
}

// ConvertAdviceToReferral is A027: the provider turns an A&G request into a
// referral with the same UBRN (state TRIAGED_PROVIDER_TO_ACTION) and sends
// final guidance to the referrer; the provider's admin team then shortlists
// in the e-RS user interface. It is allowed only when the referrer authorised
// conversion (AdviceSummary.CanConvert): the client cannot know for certain,
// so it sends the call and e-RS refuses otherwise (422, or 409 for a stale
// version, which goes in the body rather than If-Match).
//
// Roles: SPC, SPCA. Application-restricted: no. Success is 201 with the new
// ReferralRequest.
func (c *Client) ConvertAdviceToReferral(ctx context.Context, req ConvertAdviceRequest) (*Referral, error) {
	o := op(OpConvertAdviceToReferral)
	if err := adviceTarget(o.ID, req.UBRN, req.Version); err != nil {
		return nil, err
	}
	if err := adviceText(o.ID, "guidance", req.Guidance); err != nil {
		return nil, err
	}
	if err := advicePriority(o.ID, "new referral priority", req.NewReferralPriority); err != nil {
		return nil, err
	}
	if strings.TrimSpace(req.ReviewComments) == "" {
		return nil, invalid(o.ID, "write review comments for the admin team who will shortlist the referral")
	}
	p := fhir.NewParameters(profileConvertAdvice)
	p.Add(fhir.Parameter{Name: "createFrom", Value: fhir.Value{ValueReference: &fhir.Reference{Reference: adviceRequestRef(req.UBRN, req.Version)}}})
	p.Add(adviceStringParam("guidance", req.Guidance))
	p.Add(adviceCodingParam("newReferralPriority", fhir.CSPriority, string(req.NewReferralPriority)))
	p.Add(adviceStringParam("reviewComments", req.ReviewComments))
	if err := addFileLinks(o.ID, p, "guidanceAttachmentFile", AttachmentGuidanceResponse, req.GuidanceAttachments, time.Now()); err != nil {
		return nil, err
	}
	if err := addFileLinks(o.ID, p, "reviewAttachmentFile", AttachmentProvider, req.ReviewAttachments, time.Now()); err != nil {
		return nil, err
	}
	cl := call{op: o}
	if err := cl.resource(p); err != nil {
		return nil, err
	}
	return c.referralCall(ctx, cl)
}

// CreateAdviceRequest is A044: a referrer asks one A&G service for advice.
// e-RS answers 200 (not 201) with the new request (PROVIDER_RESPONSE_REQUIRED,
// version 1) and its first message.
//
// Roles: RC, RCA. Application-restricted: no. A referring clinician admin
// names the clinician acted for; a referring clinician must not.
func (c *Client) CreateAdviceRequest(ctx context.Context, req CreateAdviceRequest) (*AdviceSent, error) {
	o := op(OpCreateAdviceRequest)
	if !ValidNHSNumber(req.NHSNumber) {
		return nil, invalid(o.ID, "%q is not a valid NHS number (ten digits with a correct check digit)", req.NHSNumber)
	}
	if req.ServiceID == "" || strings.ContainsAny(req.ServiceID, ", ") {
		return nil, invalid(o.ID, "choose exactly one advice and guidance service")
	}
	if err := adviceText(o.ID, "request", req.Request); err != nil {
		return nil, err
	}
	if err := c.checkReferringClinician(o.ID, req.ReferringClinician); err != nil {
		return nil, err
	}
	criteria, err := adviceCriteria(o.ID, req)
	if err != nil {
		return nil, err
	}
	shortlist, err := adviceShortlist(o.ID, req, criteria)
	if err != nil {
		return nil, err
	}
	authorisation := conversionNotAuthorised
	if req.ConversionAuthorised {
		authorisation = conversionAuthorised
	}
	p := fhir.NewParameters(profileCreateAdvice)
	p.Add(fhir.Parameter{Name: "patient", Value: fhir.Value{ValueIdentifier: &fhir.Identifier{System: fhir.SystemNHSNumberSTU3, Value: req.NHSNumber}}})
	p.Add(adviceCodingParam("providerConversionAuthorisation", fhir.CSProviderConversionAuth, authorisation))
	p.Add(fhir.Parameter{Name: "shortlist", Resource: shortlist})
	p.Add(adviceStringParam("request", req.Request))
	if err := addFileLinks(o.ID, p, "requestAttachmentFile", AttachmentAdviceRequest, req.Attachments, time.Now()); err != nil {
		return nil, err
	}
	if req.ReferringClinician != "" {
		p.Add(fhir.Parameter{Name: "referringClinician", Value: fhir.Value{ValueIdentifier: &fhir.Identifier{System: fhir.SystemSDSUserSTU3, Value: req.ReferringClinician}}})
	}
	cl := call{op: o}
	if err := cl.resource(p); err != nil {
		return nil, err
	}
	return c.adviceSentCall(ctx, cl, "createdCommunicationRequest")
}

// checkReferringClinician applies the RC/RCA rule when the client knows its
// role; behind the gateway (no role configured) e-RS applies it.
func (c *Client) checkReferringClinician(opID OperationID, sds string) error {
	if sds != "" && !allDigits(sds) {
		return invalid(opID, "%q is not an SDS user id: it is digits only", sds)
	}
	switch c.Context().BusinessFunction {
	case ReferringClinicianAdmin:
		if sds == "" {
			return invalid(opID, "as a referring clinician admin, name the referring clinician (SDS user id) you act for")
		}
	case ReferringClinician:
		if sds != "" {
			return invalid(opID, "a referring clinician asks in their own name: leave the referring clinician empty")
		}
	}
	return nil
}

// adviceCriteria builds the contained search criteria of the A044 shortlist.
func adviceCriteria(opID OperationID, req CreateAdviceRequest) (fhir.RawResource, error) {
	var crit *fhir.Parameters
	if req.SearchCriteria != nil {
		cp := *req.SearchCriteria
		crit = &cp
		if crit.ResourceType == "" {
			crit.ResourceType = "Parameters"
		}
		if crit.ID == "" {
			crit.ID = adviceCriteriaID
		}
	} else {
		if err := advicePriority(opID, "search priority", req.Priority); err != nil {
			return fhir.RawResource{}, err
		}
		crit = fhir.NewParameters(profileAdviceCriteria)
		crit.ID = adviceCriteriaID
		crit.Add(adviceCodingParam("priority", fhir.CSPriority, string(req.Priority)))
		if req.Specialty.Code != "" {
			crit.Add(adviceCodingParam("specialty", req.Specialty.System, req.Specialty.Code))
		}
		if req.ClinicType.Code != "" {
			system := req.ClinicType.System
			if system == "" {
				system = fhir.CSClinicTypeSearch
			}
			crit.Add(adviceCodingParam("clinicType", system, req.ClinicType.Code))
		}
		crit.Add(fhir.Parameter{Name: "ageAndGenderAppropriate", Value: fhir.Value{ValueBoolean: fhir.Ptr(req.AgeAndGenderAppropriate)}})
	}
	raw, err := fhir.NewRawResource(crit)
	if err != nil {
		return fhir.RawResource{}, fmt.Errorf("ersclient: %s: encoding search criteria: %w", opID, err)
	}
	return raw, nil
}

// adviceShortlist builds the one-service shortlist (eRS-Shortlist-List-1)
// linked to its search criteria.
func adviceShortlist(opID OperationID, req CreateAdviceRequest, criteria fhir.RawResource) (fhir.RawResource, error) {
	list := fhir.List{
		DomainResource: fhir.DomainResource{
			ResourceType: "List",
			Meta:         &fhir.Meta{Profile: []string{profileAdviceShortlist}},
			Contained:    []fhir.RawResource{criteria},
			Extension: fhir.Extensions{{
				URL:   fhir.ExtShortlistCriteria,
				Value: fhir.Value{ValueReference: &fhir.Reference{Reference: "#" + criteria.ID()}},
			}},
		},
		Status: "current",
		Mode:   "snapshot",
		Entry: []fhir.ListEntry{{Item: fhir.Reference{
			Identifier: &fhir.Identifier{System: fhir.SystemERSService, Value: req.ServiceID},
			Display:    req.ServiceName,
		}}},
	}
	raw, err := fhir.NewRawResource(list)
	if err != nil {
		return fhir.RawResource{}, fmt.Errorf("ersclient: %s: encoding shortlist: %w", opID, err)
	}
	return raw, nil
}

// adviceSentCall runs A026 or A044 and reads the Parameters they return.
func (c *Client) adviceSentCall(ctx context.Context, cl call, requestParam string) (*AdviceSent, error) {
	resp, err := fetch[fhir.Parameters](ctx, c, cl)
	if err != nil {
		return nil, err
	}
	p := resp.Resource
	if p.ResourceType != "Parameters" {
		return nil, &Error{Op: cl.op.ID, Kind: KindBadResponse, Status: resp.Status, CorrelationID: resp.CorrelationID,
			RequestID: resp.RequestID, Err: fmt.Errorf("expected Parameters, got %q", p.ResourceType)}
	}
	out := &AdviceSent{ResponseInfo: resp.ResponseInfo, Parameters: p}
	var cr fhir.CommunicationRequest
	if ok, err := p.ResourceParam(requestParam, &cr); ok && err == nil {
		if ar, err := newAdviceRequest(cl.op.ID, resp.ResponseInfo, &cr); err == nil {
			out.Request = ar
			out.UBRN, out.Version = ar.UBRN(), ar.Version
		}
	}
	var cm fhir.Communication
	if ok, err := p.ResourceParam("createdCommunication", &cm); ok && err == nil {
		m := messageFromCommunication(&cm, adviceRefs{})
		out.Message = &m
	}
	return out, nil
}

// adviceTarget checks the UBRN and version of a write to an A&G request.
func adviceTarget(opID OperationID, ubrn, version string) error {
	if msg := ubrnProblem(ubrn); msg != "" {
		return invalid(opID, "%s", msg)
	}
	if msg := versionProblem(version); msg != "" {
		return invalid(opID, "%s", msg)
	}
	return nil
}

// adviceText checks mandatory free text against the 8000-character limit,
// counted in characters (runes), as a user counts them.
func adviceText(opID OperationID, what, s string) error {
	if strings.TrimSpace(s) == "" {
		return invalid(opID, "the %s is empty", what)
	}
	if !utf8.ValidString(s) {
		return invalid(opID, "the %s contains characters that are not valid text", what)
	}
	if n := utf8.RuneCountInString(s); n > MaxAdviceTextRunes {
		return invalid(opID, "the %s is %d characters long; at most %d are allowed", what, n, MaxAdviceTextRunes)
	}
	return nil
}

func advicePriority(opID OperationID, what string, p Priority) error {
	switch p {
	case PriorityRoutine, PriorityUrgent, PriorityTwoWeekWait:
		return nil
	case "":
		return invalid(opID, "choose the %s", what)
	}
	return invalid(opID, "%s %q is not ROUTINE, URGENT or TWO_WEEK_WAIT", what, p)
}

func adviceStringParam(name, s string) fhir.Parameter {
	return fhir.Parameter{Name: name, Value: fhir.Value{ValueString: fhir.Ptr(s)}}
}

func adviceCodingParam(name, system, code string) fhir.Parameter {
	return fhir.Parameter{Name: name, Value: fhir.Value{ValueCoding: &fhir.Coding{System: system, Code: code}}}
}
