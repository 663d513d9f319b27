package booking

import (
	"github.com/ers-workstation/ers-workstation/ersclient"
)

// kind is what the booking screen can do with a shortlisted service.
type kind int

const (
	kindUnknown  kind = iota // details not loaded (or e-RS does not know it)
	kindDirect               // directly bookable: slots here
	kindIndirect             // indirectly bookable: the patient phones
	kindTriage               // a triage (REVIEW) service: send for triage
	kindOther                // advice only, or no flow this screen handles
)

// service is one service of the referral's shortlist with its details (A035).
type service struct {
	ersclient.ShortlistedService
	detail ersclient.ServiceDetail
	known  bool
}

func (s service) kind() kind {
	switch {
	case !s.known:
		return kindUnknown
	case s.detail.Supports(ersclient.ServiceFlowReview):
		return kindTriage
	case s.detail.Supports(ersclient.ServiceFlowBookable) && s.detail.DirectlyBookable():
		return kindDirect
	case s.detail.Supports(ersclient.ServiceFlowBookable):
		return kindIndirect
	}
	return kindOther
}

// name is the service's name as e-RS gave it, or its id.
func (s service) name() string {
	switch {
	case s.detail.Name != "":
		return s.detail.Name
	case s.Name != "":
		return s.Name
	}
	return "service " + s.ID
}

// words says what the service is, in words.
func (k kind) words() string {
	switch k {
	case kindDirect:
		return "directly bookable"
	case kindIndirect:
		return "indirectly bookable (the patient phones)"
	case kindTriage:
		return "triage service"
	case kindOther:
		return "not bookable here"
	}
	return "details loading"
}

// shortlistServices are the referral's shortlist, in order.
func shortlistServices(ref *ersclient.Referral) []service {
	var out []service
	for _, s := range ref.Summary().Shortlist {
		if s.ID != "" {
			out = append(out, service{ShortlistedService: s})
		}
	}
	return out
}

// applyDetails fills the services' details from A035, in shortlist order.
func applyDetails(services []service, list *ersclient.ServiceList) {
	if list == nil {
		return
	}
	byID := map[string]ersclient.ServiceDetail{}
	for _, d := range list.Services {
		byID[d.ID] = d
	}
	for i := range services {
		if d, ok := byID[services[i].ID]; ok {
			services[i].detail, services[i].known = d, true
		}
	}
}
