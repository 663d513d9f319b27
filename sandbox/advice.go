package sandbox

import (
	"github.com/ers-workstation/ers-workstation/sandbox/store"
)

// Advice and Guidance: a referrer asks a provider's A&G service a question
// (A044); the provider reads it (A023 worklist, A024 summary, A025
// conversation, A043 PDF) and answers (A026) or, when the referrer allowed
// it, turns it into a referral with the same UBRN (A027).
//
// The API has no write for the referrer's side after A044: a request
// returned for more information (REFERRER_TO_SUBMIT_FURTHER_INFORMATION)
// or with advice (REFERRER_TO_REVIEW_RESPONSE) is answered, closed or
// cancelled in the e-RS web application, so the simulator leaves it there.

// adviceFor finds the A&G request a call names and checks the caller's
// legitimate relationship with it: 404 for an unknown UBRN, 422
// INVALID_REQUEST_TYPE for the UBRN of a referral that never was an A&G
// request, 422 NO_RELATIONSHIP for someone else's. A converted request is
// still an A&G request: its summary, conversation and PDF stay readable.
func (c *call) adviceFor(st *store.State, ubrn string) (*store.Advice, *problem) {
	a := st.Advice[ubrn]
	if a == nil {
		if st.Referrals[ubrn] != nil {
			return nil, businessRule("INVALID_REQUEST_TYPE", "The UBRN %s exists in e-RS but does not correspond to an Advice and Guidance request.", ubrn)
		}
		return nil, notFound("No advice and guidance request has UBRN %s.", ubrn)
	}
	if !c.canSeeAdvice(st, a) {
		return nil, noRelationship("the advice and guidance request " + ubrn)
	}
	return a, nil
}

// retrieveAdviceRequest is A024: the request's summary with its version as
// the ETag.
func (s *Server) retrieveAdviceRequest(c *call) {
	s.serveAdviceRequest(c, "")
}

// retrieveAdviceRequestVersion is A024v: the same, only for the current
// version; any other is 404 HISTORY_NOT_SUPPORTED.
func (s *Server) retrieveAdviceRequestVersion(c *call) {
	s.serveAdviceRequest(c, c.r.PathValue("version"))
}

func (s *Server) serveAdviceRequest(c *call, version string) {
	ubrn := c.r.PathValue("ubrn")
	c.serveRead(func(st *store.State) (any, int, *problem) {
		a, p := c.adviceFor(st, ubrn)
		if p == nil {
			p = checkCurrentVersion(version, a.Version)
		}
		if p != nil {
			return nil, 0, p
		}
		return c.adviceResource(st, a), a.Version, nil
	})
}
