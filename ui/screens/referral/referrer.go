package referral

import (
	"charm.land/bubbles/v2/key"

	"github.com/ers-workstation/ers-workstation/ersclient"
)

// The referrer's actions. Booking, rebooking and changing the shortlist
// use their A029 codes; the two shortlist codes share one key (the create
// screen sends for triage when the one service chosen triages). The
// referrer's cancellation, the letters and the patient letter have codes
// of their own here: A029 has none for the last two, and cancelling as a
// referrer offers the referrer's reasons.
const (
	actBook           = string(ersclient.ActionCreateAppointment)
	actRebook         = string(ersclient.ActionCancelDirectlyBookedAppointment)
	actShortlist      = string(ersclient.ActionChangeShortlist)
	actReferrerCancel = "REFERRER_CANCEL_REFERRAL"
	actLetters        = "REFERRAL_LETTERS"
	actPatientLetter  = "PATIENT_LETTER"
)

func referrerLabel(action string) string {
	switch action {
	case actBook:
		return "Book appointment"
	case actRebook:
		return "Cancel appointment and rebook"
	case actShortlist:
		return "Change shortlist"
	case actReferrerCancel:
		return "Cancel referral"
	case actLetters:
		return "Referral letters"
	case actPatientLetter:
		return "Patient letter"
	}
	return ""
}

// referrerCode reports an A029 code the referrer's keys take.
func referrerCode(code ersclient.ActionCode) bool {
	switch code {
	case ersclient.ActionCreateAppointment, ersclient.ActionCancelDirectlyBookedAppointment,
		ersclient.ActionChangeShortlist, ersclient.ActionChangeShortlistAndSendForTriage:
		return true
	}
	return false
}

// referrerSide reports that the user works on the referring side of this
// referral: the session's role says so. Without one (tests of the screen
// alone), A029 says it: its referrer-only codes, or (for states where both
// sides may only cancel) a state where a provider would be offered
// something else or nothing.
func (m *Model) referrerSide() bool {
	a := m.actions
	if m.review || a == nil {
		return false
	}
	if bf, ok := m.role(); ok {
		return bf.IsReferrer()
	}
	if a.Has(ersclient.ActionRecordReviewOutcome) {
		return false
	}
	for _, act := range a.Actions {
		if referrerCode(act.Code) {
			return true
		}
	}
	if !a.Has(ersclient.ActionCancelReferral) {
		return false
	}
	switch m.sum.State.Code {
	case ersclient.ReferralStateDeferredToProvider, ersclient.ReferralStateAwaitingTriage, ersclient.ReferralStateAssessmentResult:
		return true
	}
	return false
}

// referrerOffered is the referrer's actions in key order: what A029
// offers, then the letters, which a referrer may keep up to date on any
// referral still open.
func (m *Model) referrerOffered() []string {
	var out []string
	add := func(a string) {
		for _, have := range out {
			if have == a {
				return
			}
		}
		out = append(out, a)
	}
	for _, act := range m.actions.Actions {
		switch act.Code {
		case ersclient.ActionCreateAppointment:
			add(actBook)
		case ersclient.ActionCancelDirectlyBookedAppointment:
			add(actRebook)
		case ersclient.ActionChangeShortlist, ersclient.ActionChangeShortlistAndSendForTriage:
			add(actShortlist)
		case ersclient.ActionCancelReferral:
			add(actReferrerCancel)
		}
	}
	return append(out, actLetters, actPatientLetter)
}

// referrerKeys are the referrer's bindings. The key map holds them by
// pointer, so offered() (which KeyMap asks) keeps their enabled state in
// step with what is offered in every copy of the map.
type referrerKeys struct {
	Book, Rebook, Shortlist, Cancel, Letters, PatientLetter key.Binding
}

func newReferrerKeys() *referrerKeys {
	b := func(k, desc string) key.Binding {
		return key.NewBinding(key.WithKeys(k), key.WithHelp(k, desc), key.WithDisabled())
	}
	return &referrerKeys{
		Book:          b("b", referrerLabel(actBook)),
		Rebook:        b("B", referrerLabel(actRebook)),
		Shortlist:     b("s", referrerLabel(actShortlist)),
		Cancel:        b("c", referrerLabel(actReferrerCancel)),
		Letters:       b("l", referrerLabel(actLetters)),
		PatientLetter: b("P", referrerLabel(actPatientLetter)),
	}
}

// binding is the key of a referrer action; nil for any other.
func (r *referrerKeys) binding(action string) *key.Binding {
	switch action {
	case actBook:
		return &r.Book
	case actRebook:
		return &r.Rebook
	case actShortlist:
		return &r.Shortlist
	case actReferrerCancel:
		return &r.Cancel
	case actLetters:
		return &r.Letters
	case actPatientLetter:
		return &r.PatientLetter
	}
	return nil
}

// sync enables exactly the offered actions' keys.
func (r *referrerKeys) sync(offered []string) {
	on := map[string]bool{}
	for _, a := range offered {
		on[a] = true
	}
	for _, a := range []string{actBook, actRebook, actShortlist, actReferrerCancel, actLetters, actPatientLetter} {
		r.binding(a).SetEnabled(on[a])
	}
}

func (r *referrerKeys) all() []key.Binding {
	return []key.Binding{r.Book, r.Rebook, r.Shortlist, r.Cancel, r.Letters, r.PatientLetter}
}

// role is the business function the user works in, from the session; false
// when the session does not say.
func (m *Model) role() (ersclient.BusinessFunction, bool) {
	if m.c.Auth == nil {
		return "", false
	}
	id, ok := m.c.Auth.Identity()
	if !ok || id.Role == nil {
		return "", false
	}
	return ersclient.BusinessFunction(id.Role.BusinessFunction), true
}
