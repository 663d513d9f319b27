package actions

import (
	"github.com/ers-workstation/ers-workstation/ersclient"
	"github.com/ers-workstation/ers-workstation/ersclient/fhir"
)

// changes lists what differs between the referral the user was working
// from and the one read back: state (with its reason), version and
// priority, each "before -> after".
func changes(before, after *ersclient.Referral) []string {
	b, a := before.Summary(), after.Summary()
	var out []string
	if sb, sa := stateText(b), stateText(a); sb != sa {
		out = append(out, "State: "+sb+" -> "+sa)
	}
	if b.Version != a.Version {
		out = append(out, "Version: "+orNone(b.Version)+" -> "+orNone(a.Version))
	}
	if b.Priority != a.Priority {
		out = append(out, "Priority: "+priorityText(b.Priority)+" -> "+priorityText(a.Priority))
	}
	return out
}

func stateText(s ersclient.ReferralSummary) string {
	t := orNone(s.State.Label())
	if !s.StateReason.IsZero() {
		t += " (" + s.StateReason.Label() + ")"
	}
	return t
}

func orNone(s string) string {
	if s == "" {
		return "none"
	}
	return s
}

// bookedWithoutSlot reports a booked appointment with no slot: a booking
// made by telephone at an indirectly bookable service, where e-RS needs to
// know whether the appointment was cancelled in the hospital's own system.
func bookedWithoutSlot(ref *ersclient.Referral) bool {
	if ref == nil || ref.Resource == nil {
		return false
	}
	s := ref.Summary()
	if s.Appointment == nil || s.Appointment.Status != "booked" {
		return false
	}
	for _, raw := range ref.Resource.ContainedOfType("Appointment") {
		var a fhir.Appointment
		if raw.Decode(&a) == nil && a.Status == "booked" {
			return len(a.Slot) == 0
		}
	}
	return false
}
