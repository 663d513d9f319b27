package booking

import (
	"net/http"

	"github.com/ers-workstation/ers-workstation/ersclient"
)

// slotGone reports e-RS refusing a booking because the slot went (or was
// never right for this referral): reload and choose again.
func slotGone(err error) bool {
	return ersclient.IsBusinessRule(err, "SLOT_NOT_AVAILABLE", "INAPPROPRIATE_SLOT")
}

// outcomeWords says what an unknown outcome means, before it is read back.
func outcomeWords(err error, w write) string {
	e, _ := ersclient.AsError(err)
	what := "e-RS did not answer in time"
	if e != nil {
		switch e.Status {
		case http.StatusBadGateway:
			what = "The hospital's booking system (PAS) answered with an error"
		case http.StatusGatewayTimeout:
			what = "The hospital's booking system (PAS) did not answer in time"
		}
	}
	if w.reopenStep {
		return what + " while the shortlist was being confirmed again. Checking the referral before anything else…"
	}
	return what + ", so it is not known whether the " + lowerVerb(w.action) + " was made. Reading it back before anything else…"
}

func lowerVerb(a action) string {
	switch a {
	case actBook:
		return "booking"
	case actDefer:
		return "deferral"
	case actTriage:
		return "sending for triage"
	case actCancel:
		return "cancellation"
	}
	return "change"
}

// refusalWords explains the e-RS refusals a referrer can act on.
func refusalWords(err error) []string {
	switch {
	case ersclient.HasCode(err, "SLOTS_CURRENTLY_AVAILABLE"):
		return []string{"e-RS refuses to defer: the service has free slots for this priority right now.",
			"Book one of them. If none suits the patient, choose a slot anyway or ask the patient; " +
				"defer only when a slot was lost or the booking got no answer."}
	case ersclient.HasCode(err, "THIS_SLOT_IS_AVAILABLE"):
		return []string{"e-RS refuses the deferral: the slot named as lost is still free. Book it instead."}
	case ersclient.HasCode(err, "UNABLE_TO_CONFIRM_APPOINTMENT"):
		return []string{"The hospital's system could not confirm the appointment. Choose another slot, or defer to the provider (booking attempt problem)."}
	case ersclient.HasCode(err, "UNABLE_TO_CANCEL_APPOINTMENT"):
		return []string{"e-RS cannot cancel this appointment here: it is held in the hospital's own system. Ask the provider to cancel it."}
	case ersclient.HasCode(err, "SERVICE_UNAVAILABLE"):
		return []string{"The service is no longer available. Change the shortlist from the referral screen."}
	}
	return nil
}

// stateWords is the referral's state in words.
func stateWords(s ersclient.ReferralSummary) string {
	if l := s.State.Label(); l != "" {
		return l
	}
	return "in an unknown state"
}
