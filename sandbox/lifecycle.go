package sandbox

import (
	"github.com/ers-workstation/ers-workstation/ersclient/fhir"
	"github.com/ers-workstation/ers-workstation/sandbox/store"
)

// answerReferralChange runs change under the store's lock of key and
// answers status with the referral it made or changed, its new version as
// the ETag. The resource is encoded inside the lock, so nothing of the
// state escapes it.
func (c *call) answerReferralChange(key string, status int, change func(st *store.State) (*store.Referral, error)) {
	var body []byte
	var version int
	err := c.s.store.Write(key, func(st *store.State) error {
		r, err := change(st)
		if err != nil {
			return err
		}
		b, err := fhir.Marshal(c.referralResource(st, r))
		if err != nil {
			return err
		}
		body, version = b, r.Version
		return nil
	})
	if err != nil {
		c.fail(err)
		return
	}
	c.w.Header().Set("ETag", etag(version))
	c.writeBody(status, fhirJSON, body)
}

// changeState moves a referral to a new state, records it in the history,
// and makes a new version. Every referral write goes through it or touch.
func (c *call) changeState(r *store.Referral, state string, reason store.Coding, comments string) {
	r.State, r.StateReason, r.StateComments = state, reason, comments
	r.History = append(r.History, store.StateChange{At: c.Now(), State: state, Reason: reason, By: c.ActingUser(), Org: c.Org})
	c.touch(r)
}

// touch makes a new version of a referral without a change of state.
func (c *call) touch(r *store.Referral) {
	r.Version++
	r.Updated = c.Now()
}

// touchAdvice makes a new version of an advice request.
func (c *call) touchAdvice(a *store.Advice) {
	a.Version++
	a.Updated = c.Now()
}

// touchAppointment makes a new version of an appointment.
func touchAppointment(a *store.Appointment) { a.Version++ }
