package booking

import (
	"strings"
	"time"
	"unicode/utf8"

	"charm.land/bubbles/v2/textinput"

	"github.com/ers-workstation/ers-workstation/ersclient"
	"github.com/ers-workstation/ers-workstation/ersclient/fhir"
)

// maxCommentRunes is the most an appointment comment may hold.
const maxCommentRunes = 2000

// focus stops of the defer and cancel forms.
type focus int

const (
	focusReason focus = iota
	focusComment
	focusSend
)

// option is one reason the form offers.
type option struct {
	label            string
	deferral         ersclient.DeferralReason // the defer form
	coding           fhir.Coding              // the cancel form (A004)
	commentMandatory bool
}

// form is the defer-to-provider or cancel-appointment form: a reason, a
// comment, send. The highlighted reason is not chosen until space or enter.
type form struct {
	options []option
	cursor  int
	chosen  int // -1: none yet
	comment textinput.Model
	focus   focus
	err     map[focus]string
}

func newForm(options []option, chosen int) form {
	ti := textinput.New()
	ti.Prompt = "> "
	ti.Placeholder = "comment for the provider"
	ti.CharLimit = maxCommentRunes + 100 // typed over the limit is shown, then refused
	// A steady cursor: no blink ticks repainting the frame while idle.
	st := ti.Styles()
	st.Cursor.Blink = false
	ti.SetStyles(st)
	f := form{options: options, chosen: chosen, comment: ti, err: map[focus]string{}}
	if chosen >= 0 {
		f.cursor = chosen
	}
	return f
}

func (f *form) picked() (option, bool) {
	if f.chosen < 0 || f.chosen >= len(f.options) {
		return option{}, false
	}
	return f.options[f.chosen], true
}

func (f *form) dirty() bool { return strings.TrimSpace(f.comment.Value()) != "" }

// validate puts each problem beside its field and reports whether to send.
func (f *form) validate() bool {
	f.err = map[focus]string{}
	o, ok := f.picked()
	if !ok {
		f.err[focusReason] = "Choose a reason."
	}
	c := f.comment.Value()
	switch n := utf8.RuneCountInString(c); {
	case ok && o.commentMandatory && strings.TrimSpace(c) == "":
		f.err[focusComment] = "A comment is required with this reason."
	case n > maxCommentRunes:
		f.err[focusComment] = "The comment is " + plural(n, "character") + "; e-RS allows at most 2000."
	}
	switch {
	case f.err[focusReason] != "":
		f.focus = focusReason
	case f.err[focusComment] != "":
		f.focus = focusComment
	}
	return len(f.err) == 0
}

// deferOptions are the deferral reasons, the likely one chosen: the slot
// just lost, a booking that got no answer, or no slots at all.
func deferOptions(lostSlot string, unanswered bool) ([]option, int) {
	opts := []option{
		{label: deferLabel(ersclient.NoSlotsAtService), deferral: ersclient.NoSlotsAtService},
		{label: deferLabel(ersclient.SlotNotAvailable), deferral: ersclient.SlotNotAvailable},
		{label: deferLabel(ersclient.BookingAttemptProblem), deferral: ersclient.BookingAttemptProblem},
	}
	switch {
	case unanswered:
		return opts, 2
	case lostSlot != "":
		return opts, 1
	}
	return opts, 0
}

func deferLabel(r ersclient.DeferralReason) string {
	switch r {
	case ersclient.NoSlotsAtService:
		return "No slots at the service (or none that suits the patient)"
	case ersclient.SlotNotAvailable:
		return "The chosen slot is no longer available"
	case ersclient.BookingAttemptProblem:
		return "The booking got no answer from the hospital's system"
	}
	return string(r)
}

// Properties of APPOINTMENT-CANCELLATION-REASON (A004) that decide which
// reasons A034 accepts: usage CANCEL, the caller's business function, in
// effect now.
const (
	propUsage            = "usage"
	propBusinessFunction = "businessFunction"
	propCommentMandatory = "commentIsMandatory"
	usageCancel          = "CANCEL"
)

// cancelOptions are the reasons a referrer may cancel an appointment with.
func cancelOptions(d *ersclient.ReferenceData, role ersclient.BusinessFunction, now time.Time) []option {
	if d == nil {
		return nil
	}
	var out []option
	for _, c := range d.Filter(func(c ersclient.ReferenceConcept) bool {
		if !c.EffectiveAt(now) || c.Value(propUsage) != usageCancel {
			return false
		}
		if role != "" {
			return c.Has(propBusinessFunction, string(role))
		}
		return c.Has(propBusinessFunction, string(ersclient.ReferringClinician)) ||
			c.Has(propBusinessFunction, string(ersclient.ReferringClinicianAdmin))
	}) {
		mandatory, _ := c.Bool(propCommentMandatory)
		label := c.Display
		if label == "" {
			label = c.Code
		}
		out = append(out, option{label: label, coding: c.Coding(), commentMandatory: mandatory})
	}
	return out
}
