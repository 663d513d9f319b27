package ersclient

import (
	"context"
	"strings"

	"github.com/ers-workstation/ers-workstation/ersclient/fhir"
)

// MaxShortlist is the most services a referral's shortlist may hold.
const MaxShortlist = 20

// ShortlistedService is one service on a shortlist.
type ShortlistedService struct {
	// ID is the e-RS service id (from A010 or A035).
	ID string
	// Name, if set, is sent as the entry's display.
	Name string
}

// LetterIntention says whether the referrer will add a referral letter
// (eRS-ReferralLetterIntention-1).
type LetterIntention string

// The letter intentions. A referral sent for triage always needs a letter.
const (
	LetterToFollow   LetterIntention = "NEED_TO_ADD_LATER"
	NoLetterIntended LetterIntention = "NOT_INTENDING_TO_ADD"
)

const (
	profileShortlist                = "https://fhir.nhs.uk/STU3/StructureDefinition/eRS-Shortlist-List-1"
	profileChangeShortlist          = "https://fhir.nhs.uk/STU3/StructureDefinition/eRS-ChangeShortlist-Parameters-1"
	profileChangeShortlistAndTriage = "https://fhir.nhs.uk/STU3/StructureDefinition/eRS-ChangeShortlistAndSendForTriage-Request-Parameters-1"
	codeTooManyItems                = "TOO_MANY_ITEMS"
	codeDuplicateService            = "DUPLICATE_SERVICE"
)

// ChangeShortlistRequest is the input of A031 and A032.
type ChangeShortlistRequest struct {
	UBRN string
	// Version is the referral's current version (A005), sent as If-Match.
	Version string
	// Services is the new shortlist: 1 to 20 services, each once. For A032,
	// exactly one triage service.
	Services []ShortlistedService
	// Criteria are the search criteria the services were found with
	// (ServiceSearchResults.Criteria, or ReferralShortlist for the current ones).
	Criteria        SearchCriteria
	LetterIntention LetterIntention
	// FirstReminderLetterFollowUpDays is when the patient is reminded to
	// book; it must be 0 when sending for triage.
	FirstReminderLetterFollowUpDays int
}

// ChangeShortlist is A031: it replaces the referral's shortlist. The referral
// goes back to NOT_BOOKED. Replacing services can drop the patient's
// additional requirements (interpreter, transport, advocacy): check them on
// the referral afterwards.
//
// Roles: RC, RCA. Application-restricted: no.
func (c *Client) ChangeShortlist(ctx context.Context, req ChangeShortlistRequest) (*Referral, error) {
	o := op(OpChangeShortlist)
	p, err := req.parameters(o.ID, profileChangeShortlist)
	if err != nil {
		return nil, err
	}
	cl := call{op: o, pathValues: []string{req.UBRN}, ifMatch: IfMatch(req.Version)}
	if err := cl.resource(p); err != nil {
		return nil, err
	}
	return c.referralCall(ctx, cl)
}

// ShortlistTriageResult is the answer of A032: the updated referral and the
// appointment that sends it for triage.
type ShortlistTriageResult struct {
	ResponseInfo
	Referral    *Referral
	Appointment *AppointmentView
	// Resource is the raw Parameters.
	Resource *fhir.Parameters
}

// ChangeShortlistAndSendForTriage is A032 (deprecated: use ChangeShortlist,
// then SendForTriage): it replaces the shortlist with one triage service and
// sends the referral there. The referral becomes AWAITING_TRIAGE.
//
// Roles: RC, RCA. Application-restricted: no.
func (c *Client) ChangeShortlistAndSendForTriage(ctx context.Context, req ChangeShortlistRequest) (*ShortlistTriageResult, error) {
	o := op(OpChangeShortlistAndTriage)
	if len(req.Services) != 1 {
		return nil, invalid(o.ID, "sending for triage takes exactly one service on the shortlist, not %d", len(req.Services))
	}
	if req.FirstReminderLetterFollowUpDays != 0 {
		return nil, invalid(o.ID, "the first reminder letter follow-up must be 0 days when sending for triage: the patient has nothing to book")
	}
	p, err := req.parameters(o.ID, profileChangeShortlistAndTriage)
	if err != nil {
		return nil, err
	}
	cl := call{op: o, pathValues: []string{req.UBRN}, ifMatch: IfMatch(req.Version)}
	if err := cl.resource(p); err != nil {
		return nil, err
	}
	resp, err := fetch[fhir.Parameters](ctx, c, cl)
	if err != nil {
		return nil, err
	}
	res := &ShortlistTriageResult{ResponseInfo: resp.ResponseInfo, Resource: resp.Resource}
	var rr fhir.ReferralRequest
	if ok, err := resp.Resource.ResourceParam("updatedReferralRequest", &rr); err != nil || !ok {
		return nil, badResponse(o.ID, resp.ResponseInfo, "no updatedReferralRequest in the answer (%v)", err)
	}
	// The referral's own version is in its meta; the response's ETag, if
	// any, belongs to the Parameters.
	info := resp.ResponseInfo
	info.ETag, info.Version = "", ""
	if res.Referral, err = newReferral(o.ID, info, &rr); err != nil {
		return nil, err
	}
	var appt fhir.Appointment
	if ok, err := resp.Resource.ResourceParam("createdAppointment", &appt); err != nil || !ok {
		return nil, badResponse(o.ID, resp.ResponseInfo, "no createdAppointment in the answer (%v)", err)
	}
	res.Appointment = appointmentView(info, &appt)
	return res, nil
}

// parameters builds the A031/A032 body: shortlist, letter intention,
// reminder days.
func (req ChangeShortlistRequest) parameters(opID OperationID, profile string) (*fhir.Parameters, error) {
	if msg := ubrnProblem(req.UBRN); msg != "" {
		return nil, invalid(opID, "%s", msg)
	}
	if msg := versionProblem(req.Version); msg != "" {
		return nil, invalid(opID, "%s", msg)
	}
	shortlist, letter, days, err := shortlistParams(opID, req.Services, req.Criteria, req.LetterIntention, req.FirstReminderLetterFollowUpDays)
	if err != nil {
		return nil, err
	}
	p := fhir.NewParameters(profile)
	p.Add(shortlist).Add(letter).Add(days)
	return p, nil
}

// buildShortlist makes the shortlist parameter: a List of 1-20 services that
// contains the search criteria and points at them with the
// Shortlist-SearchCriteria extension. Too many or repeated services are
// refused with the codes e-RS would give (TOO_MANY_ITEMS, DUPLICATE_SERVICE).
func buildShortlist(opID OperationID, services []ShortlistedService, criteria SearchCriteria) (fhir.Parameter, error) {
	switch n := len(services); {
	case n == 0:
		return fhir.Parameter{}, invalid(opID, "the shortlist is empty: choose at least one service")
	case n > MaxShortlist:
		e := invalid(opID, "the shortlist has %d services; it can hold at most %d", n, MaxShortlist)
		e.Code = codeTooManyItems
		return fhir.Parameter{}, e
	}
	seen := map[string]bool{}
	list := fhir.List{Status: "current", Mode: "snapshot"}
	list.ResourceType = "List"
	list.Meta = &fhir.Meta{Profile: []string{profileShortlist}}
	for _, s := range services {
		id := strings.TrimSpace(s.ID)
		if id == "" || id != s.ID {
			return fhir.Parameter{}, invalid(opID, "%q is not a service id", s.ID)
		}
		if seen[id] {
			e := invalid(opID, "service %s is on the shortlist twice", id)
			e.Code = codeDuplicateService
			return fhir.Parameter{}, e
		}
		seen[id] = true
		list.Entry = append(list.Entry, fhir.ListEntry{Item: fhir.Reference{Identifier: serviceIdentifier(id), Display: s.Name}})
	}
	crit, err := criteria.Parameters(opID)
	if err != nil {
		return fhir.Parameter{}, err
	}
	raw, err := fhir.NewRawResource(crit)
	if err != nil {
		return fhir.Parameter{}, invalid(opID, "the search criteria cannot be encoded: %v", err)
	}
	list.Contained = []fhir.RawResource{raw}
	list.Extension = fhir.Extensions{{URL: fhir.ExtShortlistCriteria,
		Value: fhir.Value{ValueReference: &fhir.Reference{Reference: "#" + criteriaID}}}}
	res, err := fhir.NewRawResource(list)
	if err != nil {
		return fhir.Parameter{}, invalid(opID, "the shortlist cannot be encoded: %v", err)
	}
	return fhir.Parameter{Name: "shortlist", Resource: res}, nil
}

func letterIntentionParam(opID OperationID, li LetterIntention) (fhir.Parameter, error) {
	switch li {
	case LetterToFollow, NoLetterIntended:
	case "":
		return fhir.Parameter{}, invalid(opID, "say whether a referral letter will be added (NEED_TO_ADD_LATER or NOT_INTENDING_TO_ADD)")
	default:
		return fhir.Parameter{}, invalid(opID, "%q is not a letter intention: use NEED_TO_ADD_LATER or NOT_INTENDING_TO_ADD", li)
	}
	return fhir.Parameter{Name: "intentionToAddReferralLetter",
		Value: fhir.Value{ValueCoding: &fhir.Coding{System: fhir.CSReferralLetterIntention, Code: string(li)}}}, nil
}

func reminderDaysParam(opID OperationID, days int) (fhir.Parameter, error) {
	if days < 0 {
		return fhir.Parameter{}, invalid(opID, "the first reminder letter follow-up cannot be a negative number of days")
	}
	return fhir.Parameter{Name: "firstReminderLetterFollowUpDays", Value: fhir.Value{ValueUnsignedInt: fhir.Ptr(int64(days))}}, nil
}

// ReferralShortlist reads a referral's current shortlist (A005): the services
// and the criteria they were found with, ready to edit and send back with
// ChangeShortlist. ok is false when the referral has no shortlist.
func ReferralShortlist(rr *fhir.ReferralRequest) (services []ShortlistedService, criteria SearchCriteria, ok bool) {
	if rr == nil {
		return nil, SearchCriteria{}, false
	}
	ref, found := rr.Extension.Value(fhir.ExtReferralShortlist)
	if !found || ref.ValueReference == nil {
		return nil, SearchCriteria{}, false
	}
	raw, found := rr.FindContained(ref.ValueReference.Reference)
	if !found || raw.ResourceType() != "List" {
		return nil, SearchCriteria{}, false
	}
	var list fhir.List
	if err := raw.Decode(&list); err != nil {
		return nil, SearchCriteria{}, false
	}
	for _, e := range list.Entry {
		if e.Item.Identifier != nil {
			services = append(services, ShortlistedService{ID: e.Item.Identifier.Value, Name: e.Item.Display})
		}
	}
	if cref, found := list.Extension.Value(fhir.ExtShortlistCriteria); found && cref.ValueReference != nil {
		// The criteria sit beside the shortlist in the referral, or inside it
		// as in a request.
		craw, found := rr.FindContained(cref.ValueReference.Reference)
		if !found {
			craw, found = list.FindContained(cref.ValueReference.Reference)
		}
		var p fhir.Parameters
		if found && craw.Decode(&p) == nil {
			criteria = ParseSearchCriteria(&p)
		}
	}
	return services, criteria, true
}

// shortlistParams builds the three parameters A011, A021, A031 and A032
// share: the shortlist with its criteria, the letter intention and the
// reminder days.
func shortlistParams(opID OperationID, services []ShortlistedService, criteria SearchCriteria,
	intention LetterIntention, reminderDays int) (shortlist, letter, days fhir.Parameter, err error) {
	if shortlist, err = buildShortlist(opID, services, criteria); err != nil {
		return
	}
	if letter, err = letterIntentionParam(opID, intention); err != nil {
		return
	}
	days, err = reminderDaysParam(opID, reminderDays)
	return
}
