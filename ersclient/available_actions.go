package ersclient

import (
	"context"
	"net/http"
	"net/url"
	"strings"

	"github.com/ers-workstation/ers-workstation/ersclient/fhir"
)

// ActionCode is an action e-RS offers the current user on a referral
// (eRS-AvailableActionsForUser-1).
type ActionCode string

// The actions A029 can return. In application-restricted mode only
// RECORD_REVIEW_OUTCOME and CANCEL_REFERRAL are ever returned.
const (
	ActionRecordReviewOutcome             ActionCode = "RECORD_REVIEW_OUTCOME"
	ActionCreateAppointment               ActionCode = "CREATE_APPOINTMENT"
	ActionChangeShortlist                 ActionCode = "CHANGE_SHORTLIST"
	ActionChangeShortlistAndSendForTriage ActionCode = "CHANGE_SHORTLIST_AND_SEND_FOR_TRIAGE"
	ActionCancelReferral                  ActionCode = "CANCEL_REFERRAL"
	ActionCancelDirectlyBookedAppointment ActionCode = "CANCEL_DIRECTLY_BOOKED_APPOINTMENT"
)

// actionFacts are the words and the operation of a known action.
func actionFacts(code ActionCode) (label string, opID OperationID, ok bool) {
	switch code {
	case ActionRecordReviewOutcome:
		return "Record review outcome", OpRecordReviewOutcome, true
	case ActionCreateAppointment:
		return "Book or defer an appointment", OpBookOrDefer, true
	case ActionChangeShortlist:
		return "Change shortlist", OpChangeShortlist, true
	case ActionChangeShortlistAndSendForTriage:
		return "Change shortlist and send for triage", OpChangeShortlistAndTriage, true
	case ActionCancelReferral:
		return "Cancel referral", OpCancelReferral, true
	case ActionCancelDirectlyBookedAppointment:
		return "Cancel directly booked appointment", OpCancelAppointment, true
	}
	return "", "", false
}

// Action is one action the user may take now.
type Action struct {
	Code ActionCode
	// Label is the action in words.
	Label string
	// Operation is the e-RS operation that performs it, or "" for an action
	// this client does not know.
	Operation OperationID
}

// AvailableActions is the result of A029. It is the answer for this user,
// this referral version and this moment only: never cache it.
type AvailableActions struct {
	ResponseInfo
	UBRN    string
	Version string
	Actions []Action
	// Bundle is the raw reply.
	Bundle *fhir.Bundle
}

// Has reports whether the action is offered.
func (a *AvailableActions) Has(code ActionCode) bool {
	if a == nil {
		return false
	}
	for _, act := range a.Actions {
		if act.Code == code {
			return true
		}
	}
	return false
}

// AvailableActions is A029: which actions the current user may take on the
// referral at its current version. Only the current version is accepted
// (400 HISTORY_NOT_SUPPORTED otherwise: reload the referral). An empty list
// means nothing is allowed. The result is never cached, here or on the way
// (the request says Cache-Control: no-cache), because it changes with the
// user, the referral and time.
//
// Roles: RC, RCA, SPC, SPCA. Application-restricted: yes (provider).
func (c *Client) AvailableActions(ctx context.Context, ubrn, version string) (*AvailableActions, error) {
	o := op(OpAvailableActions)
	if err := checkReferralTarget(o.ID, ubrn, version); err != nil {
		return nil, err
	}
	q := url.Values{
		"focus":  {"ReferralRequest/" + ubrn + "/_history/" + version},
		"intent": {"proposal"},
		"status": {"ready"},
	}
	h := http.Header{"Cache-Control": {"no-cache"}}
	resp, err := fetch[fhir.Bundle](ctx, c, call{op: o, query: q, header: h})
	if err != nil {
		return nil, err
	}
	out := &AvailableActions{ResponseInfo: resp.ResponseInfo, UBRN: ubrn, Version: version, Bundle: resp.Resource}
	tasks, err := fhir.Resources[fhir.Task](resp.Resource, "Task")
	if err != nil {
		return nil, &Error{Op: o.ID, Kind: KindBadResponse, Status: resp.Status, CorrelationID: resp.CorrelationID,
			RequestID: resp.RequestID, Err: err}
	}
	for _, t := range tasks {
		if t.Code == nil {
			continue
		}
		cd, ok := t.Code.CodingIn(fhir.CSAvailableActions)
		if !ok && len(t.Code.Coding) > 0 {
			cd = t.Code.Coding[0]
		}
		if cd.Code == "" || out.Has(ActionCode(cd.Code)) {
			continue
		}
		out.Actions = append(out.Actions, newAction(ActionCode(cd.Code), cd.Display))
	}
	return out, nil
}

// newAction gives an action its words and operation; an action this client
// does not know keeps e-RS's display text.
func newAction(code ActionCode, display string) Action {
	if label, opID, ok := actionFacts(code); ok {
		return Action{Code: code, Label: label, Operation: opID}
	}
	label := display
	if label == "" {
		label = strings.ReplaceAll(string(code), "_", " ")
	}
	return Action{Code: code, Label: label}
}
