package ersclient

import (
	"context"
	"time"

	"github.com/ers-workstation/ers-workstation/ersclient/fhir"
)

const (
	profileCreateReferral          = "https://fhir.nhs.uk/STU3/StructureDefinition/eRS-CreateReferral-Parameters-1"
	profileCreateReferralAndTriage = "https://fhir.nhs.uk/STU3/StructureDefinition/eRS-CreateReferralAndSendForTriage-Parameters-1"
	// instantLayout writes a FHIR instant as the official examples do
	// ("2024-05-01T09:55:00.000Z").
	instantLayout = "2006-01-02T15:04:05.000Z07:00"
	// maxPathwayStartAge is how far back an e-Referral pathway start may be.
	maxPathwayStartAge = 365 * 24 * time.Hour
)

// CreateReferralRequest is the input of A011 and A021.
type CreateReferralRequest struct {
	// NHSNumber is the patient's; its check digit is verified before sending.
	NHSNumber string
	// ReferringClinician is the SDS user id of the clinician a referring
	// clinician admin (RCA) refers for. An RCA must give it.
	ReferringClinician string
	// Services is the shortlist: 1 to 20 services, each once (for A021,
	// exactly one triage service).
	Services []ShortlistedService
	// Criteria are the search criteria the services were found with
	// (ServiceSearchResults.Criteria).
	Criteria        SearchCriteria
	LetterIntention LetterIntention
	// FirstReminderLetterFollowUpDays is when the patient is reminded to
	// book (0 for no reminder; it must be 0 when sending for triage).
	FirstReminderLetterFollowUpDays int
	// PathwayStart, if set, overrides the e-Referral pathway start (the
	// referral-to-treatment clock): it must be in the past and no more than
	// 365 days ago. A021 does not take it.
	PathwayStart time.Time
}

// CreateReferral is A011: it creates a referral with a shortlist. The
// referral is NOT_BOOKED: shortlisting alone sends nothing to any service;
// book, defer or send for triage with A016. The referral's UBRN is
// Referral.UBRN() and its version Referral.Version.
//
// Roles: RC, RCA. Application-restricted: no.
func (c *Client) CreateReferral(ctx context.Context, req CreateReferralRequest) (*Referral, error) {
	o := op(OpCreateReferral)
	p, err := c.createReferralParameters(o.ID, profileCreateReferral, req, time.Now())
	if err != nil {
		return nil, err
	}
	return c.postReferral(ctx, o, p)
}

// CreateReferralAndSendForTriage is A021 (deprecated: use CreateReferral,
// then SendForTriage): it creates a referral with one triage service and
// sends it there. The referral becomes AWAITING_TRIAGE. A triage referral
// always needs a letter (NEED_TO_ADD_LATER) and no reminder (0 days).
//
// Roles: RC, RCA. Application-restricted: no.
func (c *Client) CreateReferralAndSendForTriage(ctx context.Context, req CreateReferralRequest) (*Referral, error) {
	o := op(OpCreateReferralAndTriage)
	switch {
	case len(req.Services) != 1:
		return nil, invalid(o.ID, "sending for triage takes exactly one service on the shortlist, not %d", len(req.Services))
	case req.LetterIntention != LetterToFollow:
		return nil, invalid(o.ID, "a referral sent for triage always needs a referral letter: the letter intention must be NEED_TO_ADD_LATER")
	case req.FirstReminderLetterFollowUpDays != 0:
		return nil, invalid(o.ID, "the first reminder letter follow-up must be 0 days when sending for triage: the patient has nothing to book")
	case !req.PathwayStart.IsZero():
		return nil, invalid(o.ID, "creating and sending for triage in one call takes no pathway start; use CreateReferral and SendForTriage")
	}
	p, err := c.createReferralParameters(o.ID, profileCreateReferralAndTriage, req, time.Now())
	if err != nil {
		return nil, err
	}
	return c.postReferral(ctx, o, p)
}

func (c *Client) postReferral(ctx context.Context, o Operation, p *fhir.Parameters) (*Referral, error) {
	cl := call{op: o}
	if err := cl.resource(p); err != nil {
		return nil, err
	}
	return c.referralCall(ctx, cl)
}

// createReferralParameters checks the request and builds the body in the
// order of the official examples. now is when the pathway start is judged.
func (c *Client) createReferralParameters(opID OperationID, profile string, req CreateReferralRequest, now time.Time) (*fhir.Parameters, error) {
	if msg := nhsNumberProblem(req.NHSNumber); msg != "" {
		return nil, invalid(opID, "%s", msg)
	}
	if msg := c.referringClinicianProblem(req.ReferringClinician); msg != "" {
		return nil, invalid(opID, "%s", msg)
	}
	if ps := req.PathwayStart; !ps.IsZero() {
		if !ps.Before(now) {
			return nil, invalid(opID, "the pathway start must be in the past")
		}
		if now.Sub(ps) > maxPathwayStartAge {
			return nil, invalid(opID, "the pathway start must be no more than 365 days ago")
		}
	}
	shortlist, letter, days, err := shortlistParams(opID, req.Services, req.Criteria, req.LetterIntention, req.FirstReminderLetterFollowUpDays)
	if err != nil {
		return nil, err
	}
	p := fhir.NewParameters(profile)
	p.Add(fhir.Parameter{Name: "patient", Value: fhir.Value{ValueIdentifier: nhsNumberIdentifier(req.NHSNumber)}})
	if req.ReferringClinician != "" {
		p.Add(fhir.Parameter{Name: "referringClinician", Value: fhir.Value{ValueIdentifier: sdsIdentifier(req.ReferringClinician)}})
	}
	p.Add(letter).Add(days)
	if !req.PathwayStart.IsZero() {
		p.Add(fhir.Parameter{Name: "eReferralPathwayStart",
			Value: fhir.Value{ValueInstant: fhir.Ptr(req.PathwayStart.UTC().Format(instantLayout))}})
	}
	p.Add(shortlist)
	return p, nil
}
