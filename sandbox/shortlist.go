package sandbox

import (
	"net/http"
	"time"

	"github.com/google/uuid"

	"github.com/ers-workstation/ers-workstation/ersclient/fhir"
	"github.com/ers-workstation/ers-workstation/sandbox/store"
)

// The referrer's shortlist operations: A011 create a referral with a
// shortlist, A021 (deprecated) create and send for triage, A031 change the
// shortlist, A032 (deprecated) change it and send for triage.
//
// A shortlist holds 1 to 20 distinct services (TOO_MANY_ITEMS,
// DUPLICATE_SERVICE), each known (REFERENCE_NOT_FOUND), active and taking
// referrals (an advice-only service is INAPPROPRIATE_VALUE), and each must
// fit the shortlist's own criteria in priority, specialty and clinic type
// (SHORTLISTED_SERVICE_NOT_IN_RESULTS): those are what a search with the
// criteria would have checked. Bookable and triage services may be mixed.
// The criteria's priority becomes the referral's priority. The
// commissioning rule organisation, which decides whose slots may be booked
// (A015), is the first commissioner of the first shortlisted service.
//
// The triage variants take exactly one triage service and a reminder of 0
// days (the patient has nothing to book); the referral becomes
// AWAITING_TRIAGE as if A016 had sent it. A031 and A032 work only in the
// states where A029 offers them (referralActions): while no service holds
// the referral.

const profileChangeShortlistTriageResponse = "https://fhir.nhs.uk/STU3/StructureDefinition/eRS-ChangeShortlistAndSendForTriage-Response-Parameters-1"

func (s *Server) createReferral(c *call) {
	s.newReferral(c, false)
}

func (s *Server) createReferralAndTriage(c *call) {
	s.newReferral(c, true)
}

// newReferral serves A011, and A021 when triage is set.
func (s *Server) newReferral(c *call, triage bool) {
	names := []string{"patient", "referringClinician", "shortlist", "intentionToAddReferralLetter", "firstReminderLetterFollowUpDays"}
	if !triage {
		names = append(names, "eReferralPathwayStart")
	}
	p, ok := c.readParameters(names...)
	if !ok {
		return
	}
	nhs, prob := referrerNHSNumber(p)
	if prob != nil {
		c.fail(prob)
		return
	}
	named, prob := referrerSDSParam(p, "referringClinician")
	if prob != nil {
		c.fail(prob)
		return
	}
	sl, letter, days, prob := c.shortlistParams(p, triage)
	if prob != nil {
		c.fail(prob)
		return
	}
	pathwayStart, prob := referrerPathwayStart(p, c.Now())
	if prob != nil {
		c.fail(prob)
		return
	}
	c.answerReferralChange("", http.StatusCreated, func(st *store.State) (*store.Referral, error) {
		referrer, prob := c.referringClinician(st, named)
		if prob != nil {
			return nil, prob
		}
		if prob := c.shortlistProblem(st, sl, triage); prob != nil {
			return nil, prob
		}
		now := c.Now()
		r := &store.Referral{
			UBRN: st.NewUBRN(), RequestID: "r." + uuid.NewString(), Status: "active", NHSNumber: nhs,
			ReferringOrg: c.Org, ReferrerID: referrer, CreatedBy: c.UserID, PatientHasAccessCode: true, ContextStatus: "NEVER_REVIEWED",
			PathwayStart: pathwayStart, Created: now,
		}
		applyShortlist(st, r, sl, letter, days)
		r.CommissioningRuleOrg = commissioningRuleOrg(st, sl.Services)
		st.Referrals[r.UBRN] = r
		c.changeState(r, store.StateNotBooked, store.Coding{}, "")
		if triage {
			c.applyBooking(st, r, bookingRequest{kind: sendForTriage, serviceID: sl.Services[0]})
		}
		return r, nil
	})
}

func (s *Server) changeShortlist(c *call) {
	s.replaceShortlist(c, false)
}

func (s *Server) changeShortlistAndTriage(c *call) {
	s.replaceShortlist(c, true)
}

// replaceShortlist serves A031, and A032 when triage is set.
func (s *Server) replaceShortlist(c *call, triage bool) {
	ubrn := c.r.PathValue("ubrn")
	p, ok := c.readParameters("shortlist", "intentionToAddReferralLetter", "firstReminderLetterFollowUpDays")
	if !ok {
		return
	}
	sl, letter, days, prob := c.shortlistParams(p, triage)
	if prob != nil {
		c.fail(prob)
		return
	}
	var ref *fhir.ReferralRequest
	var appt *fhir.Appointment
	var version int
	err := s.store.Write(store.ReferralKey(ubrn), func(st *store.State) error {
		r, prob := c.referralForUpdate(st, ubrn)
		if prob != nil {
			return prob
		}
		action := actionChangeShortlist
		if triage {
			action = actionChangeShortlistAndTriage
		}
		if !actionAllowed(r.State, c.Role, st.Services[r.ServiceID], action) || r.Status != "active" {
			return invalidState("The referral is %s: its shortlist cannot be changed while a service holds it.", r.State)
		}
		if prob := c.shortlistProblem(st, sl, triage); prob != nil {
			return prob
		}
		applyShortlist(st, r, sl, letter, days)
		r.ServiceID, r.AppointmentID, r.ContactBy = "", "", time.Time{}
		if !triage {
			c.changeState(r, store.StateNotBooked, store.Coding{}, "")
		} else {
			// One call, one new version: the referral goes from its old state
			// straight to AWAITING_TRIAGE.
			a := c.applyBooking(st, r, bookingRequest{kind: sendForTriage, serviceID: sl.Services[0]})
			appt = c.appointmentResource(st, a)
		}
		ref, version = c.referralResource(st, r), r.Version
		return nil
	})
	if err != nil {
		c.fail(err)
		return
	}
	if !triage {
		c.writeResource(http.StatusOK, ref, version)
		return
	}
	out := fhir.NewParameters(profileChangeShortlistTriageResponse)
	for _, part := range []struct {
		name string
		res  any
	}{{"updatedReferralRequest", ref}, {"createdAppointment", appt}} {
		raw, err := fhir.NewRawResource(part.res)
		if err != nil {
			c.fail(err)
			return
		}
		out.Add(fhir.Parameter{Name: part.name, Resource: raw})
	}
	c.writeResource(http.StatusOK, out, 0)
}

// shortlistParams reads the shortlist, letter intention and reminder days
// every shortlist operation takes; sending for triage takes one service and
// 0 reminder days.
func (c *call) shortlistParams(p *fhir.Parameters, triage bool) (shortlistInput, string, int, *problem) {
	sl, prob := c.referrerShortlist(p)
	if prob != nil {
		return sl, "", 0, prob
	}
	letter, prob := referrerLetterIntention(p)
	if prob != nil {
		return sl, "", 0, prob
	}
	days, prob := referrerReminderDays(p)
	if prob != nil {
		return sl, "", 0, prob
	}
	if triage {
		if len(sl.Services) != 1 {
			return sl, "", 0, businessRule("INAPPROPRIATE_VALUE", "'shortlist' Sending for triage takes exactly one triage service, not %d services.", len(sl.Services))
		}
		if days != 0 {
			return sl, "", 0, invalidValue("'firstReminderLetterFollowUpDays' must be 0 when sending for triage: the patient has nothing to book.")
		}
	}
	return sl, letter, days, nil
}

// shortlistProblem checks the shortlisted services against the directory.
func (c *call) shortlistProblem(st *store.State, sl shortlistInput, triage bool) *problem {
	for _, id := range sl.Services {
		svc := st.Services[id]
		switch {
		case svc == nil:
			return businessRule("REFERENCE_NOT_FOUND", "'shortlist' Service %s does not exist.", id)
		case !svc.Active:
			return businessRule("INAPPROPRIATE_VALUE", "'shortlist' Service %s is no longer available.", id)
		case svc.Flow != store.FlowBookable && svc.Flow != store.FlowTriage:
			return businessRule("INAPPROPRIATE_VALUE", "'shortlist' Service %s takes advice and guidance requests, not referrals.", id)
		case triage && svc.Flow != store.FlowTriage:
			return businessRule("INAPPROPRIATE_VALUE", "'shortlist' Service %s is not a triage service.", id)
		}
		if why := referrerServiceMisfit(svc, sl.Criteria); why != "" {
			return businessRule("SHORTLISTED_SERVICE_NOT_IN_RESULTS", "'shortlist' Service %s does not satisfy the search criteria: %s.", id, why)
		}
	}
	return nil
}

// applyShortlist records a checked shortlist on the referral, with what the
// criteria say of the referral: its priority, specialty, clinic type and
// named clinician.
func applyShortlist(st *store.State, r *store.Referral, sl shortlistInput, letter string, days int) {
	r.Shortlist = append([]string(nil), sl.Services...)
	r.Criteria = sl.Criteria
	r.Priority = sl.Criteria.Priority
	r.Specialty = sl.Criteria.Specialty
	if r.Specialty == "" {
		if svc := st.Services[sl.Services[0]]; svc != nil {
			r.Specialty = svc.Specialty
		}
	}
	r.ClinicType = sl.Criteria.ClinicType
	r.NamedClinician = sl.Criteria.NamedClinician
	r.LetterIntention, r.ReminderDays = letter, days
}

// commissioningRuleOrg is the organisation whose commissioning rules apply
// to a new referral: the first commissioner of its first shortlisted
// service, or that service's own organisation.
func commissioningRuleOrg(st *store.State, services []string) string {
	svc := st.Services[services[0]]
	if svc == nil {
		return ""
	}
	if len(svc.Commissioners) > 0 {
		return svc.Commissioners[0]
	}
	return svc.Org
}
