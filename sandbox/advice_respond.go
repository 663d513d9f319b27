package sandbox

import (
	"net/http"
	"slices"

	"github.com/ers-workstation/ers-workstation/ersclient"
	"github.com/ers-workstation/ers-workstation/ersclient/fhir"
	"github.com/ers-workstation/ers-workstation/sandbox/store"
)

const adviceProfileRespondResponse = "https://fhir.nhs.uk/STU3/StructureDefinition/eRS-SendCommunicationToRequester-Response-Parameters-1"

// The outcomes and recommendations of A026.
var (
	adviceOutcomes = []string{
		string(ersclient.AdviceReturnWithAdvice), string(ersclient.AdviceRequireFurtherInfo), string(ersclient.AdviceProviderConverted),
	}
	adviceRecommendations = []string{
		string(ersclient.RecommendAdviceOnly), string(ersclient.RecommendReferralIfRequired),
		string(ersclient.RecommendReferral), string(ersclient.RecommendOther),
	}
)

// adviceResponse is the A026 request once its shape has been checked.
type adviceResponse struct {
	outcome, recommendation, guidance, priority string
	files                                       []*fhir.Parameter
}

// categoryAfter is where the request stands once the response is sent:
// asking for more information hands it to the referrer to submit it; any
// other outcome hands the referrer a response to review. PROVIDER_CONVERTED
// is accepted as a recorded outcome only: converting, which makes the
// referral, is A027.
func (r adviceResponse) categoryAfter() string {
	if r.outcome == string(ersclient.AdviceRequireFurtherInfo) {
		return store.AdviceReferrerToSubmitInfo
	}
	return store.AdviceReferrerToReview
}

// sendAdviceResponse is A026: the provider answers a request that awaits
// it. If-Match carries the request's version; the answer becomes a new
// RESPONDER message, the request's priority becomes updatedPriority, and the
// version goes up by one.
func (s *Server) sendAdviceResponse(c *call) {
	ubrn := c.r.PathValue("ubrn")
	p, ok := c.readParameters("guidanceOutcome", "guidanceIntendedRecommendation", "guidance", "updatedPriority", "guidanceAttachmentFile")
	if !ok {
		return
	}
	in, prob := parseAdviceResponse(p)
	if prob != nil {
		c.fail(prob)
		return
	}
	var out *fhir.Parameters
	err := s.store.Write(store.AdviceKey(ubrn), func(st *store.State) error {
		a, p := c.adviceFor(st, ubrn)
		if p != nil {
			return p
		}
		if p := c.checkIfMatch(a.Version); p != nil {
			return p
		}
		if p := adviceAwaitingProvider(a); p != nil {
			return p
		}
		if svc := st.Services[a.ServiceID]; svc != nil && len(svc.Priorities) > 0 && !slices.Contains(svc.Priorities, in.priority) {
			return businessRule("UNSUPPORTED_PRIORITY", "'updatedPriority' %s is not supported by service %s.", in.priority, a.ServiceID)
		}
		docs, p := c.linkFiles(st, ubrn, in.files, "GUIDANCE_RESPONSE")
		if p != nil {
			return p
		}
		// Nothing below can fail.
		a.Priority, a.Category = in.priority, in.categoryAfter()
		c.touchAdvice(a)
		a.Messages = append(a.Messages, store.Message{
			ID: st.NewMessageID(), SentBy: string(ersclient.SentByResponder),
			SenderID: c.UserID, SenderOrg: c.Org, SenderRole: c.Role, OnBehalfOf: c.OnBehalfOf,
			Sent: c.Now(), Text: in.guidance, Documents: docs,
			Outcome: in.outcome, Recommendation: in.recommendation, AtVersion: a.Version,
		})
		out = fhir.NewParameters(adviceProfileRespondResponse)
		out.Add(fhir.Parameter{Name: "updatedCommunicationRequest", Resource: adviceRaw(c.adviceResource(st, a))})
		out.Add(fhir.Parameter{Name: "createdCommunication", Resource: adviceRaw(c.messageResource(st, a, &a.Messages[len(a.Messages)-1]))})
		return nil
	})
	if err != nil {
		c.fail(err)
		return
	}
	c.writeResource(http.StatusOK, out, 0)
}

// adviceAwaitingProvider refuses a provider action on a request that is not
// waiting for the provider: with the referrer, ended or converted.
func adviceAwaitingProvider(a *store.Advice) *problem {
	if a.Status != "active" || a.Converted || a.Category != store.AdviceProviderResponseRequired {
		return invalidState("The advice and guidance request %s is %s (%s): only a request awaiting the provider's response (%s) can be answered or converted.",
			a.UBRN, a.Status, a.Category, store.AdviceProviderResponseRequired)
	}
	return nil
}

// parseAdviceResponse checks the A026 body. A recommendation is mandatory
// with RETURN_TO_REFERRER_WITH_ADVICE (VALUE_IS_REQUIRED) and inappropriate
// with any other outcome (INAPPROPRIATE_VALUE).
func parseAdviceResponse(p *fhir.Parameters) (adviceResponse, *problem) {
	ap := adviceParams{p}
	var in adviceResponse
	var prob *problem
	if in.outcome, prob = ap.coding("guidanceOutcome", true, fhir.CSGuidanceResponseOutcome, adviceOutcomes); prob != nil {
		return in, prob
	}
	if in.recommendation, prob = ap.coding("guidanceIntendedRecommendation", false, fhir.CSGuidanceIntendedRecommendation, adviceRecommendations); prob != nil {
		return in, prob
	}
	withAdvice := in.outcome == string(ersclient.AdviceReturnWithAdvice)
	switch {
	case withAdvice && in.recommendation == "":
		return in, businessRule("VALUE_IS_REQUIRED", "'guidanceIntendedRecommendation' is required when 'guidanceOutcome' is %s.", in.outcome)
	case !withAdvice && in.recommendation != "":
		return in, businessRule("INAPPROPRIATE_VALUE", "'guidanceIntendedRecommendation' is only allowed when 'guidanceOutcome' is %s.", ersclient.AdviceReturnWithAdvice)
	}
	if in.guidance, prob = ap.text("guidance", adviceTextLimit); prob != nil {
		return in, prob
	}
	if in.priority, prob = ap.coding("updatedPriority", true, fhir.CSPriority, advicePriorities); prob != nil {
		return in, prob
	}
	in.files = ap.files("guidanceAttachmentFile")
	return in, nil
}
