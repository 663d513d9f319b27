package ersclient

import (
	"cmp"
	"context"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/ers-workstation/ers-workstation/ersclient/fhir"
)

// adviceThreadIncludes are the _include values A025 documents, in its order.
// The specification asks callers to request every include they rely on, as
// the default may change. The sender include is spelled "PractionerRole" in
// its enum and in every official example, and is sent exactly so.
var adviceThreadIncludes = []string{
	"Communication:requester-practitionerrole:PractitionerRole",
	"Communication:sender-practitionerrole:PractionerRole",
	"Communication:content-reference:DocumentReference",
}

// AdviceSentBy says which side sent an A&G message (eRS-CommunicationSentBy-1).
type AdviceSentBy string

// The senders of A&G messages.
const (
	SentByRequester AdviceSentBy = "REQUESTER"
	SentByResponder AdviceSentBy = "RESPONDER"
	// SentByClinicalInfoUpdate is the note e-RS adds when the referrer
	// changes the clinical information.
	SentByClinicalInfoUpdate AdviceSentBy = "REFERRER_CLINICAL_INFORMATION_UPDATED"
)

// Label is the sender in words for a screen.
func (s AdviceSentBy) Label() string {
	switch s {
	case SentByRequester:
		return "Referrer"
	case SentByResponder:
		return "Provider"
	case SentByClinicalInfoUpdate:
		return "Referrer updated the clinical information"
	case "":
		return "Unknown"
	}
	return sentenceCase(string(s))
}

// AdviceMessage is one message of an A&G conversation.
type AdviceMessage struct {
	ID     string
	SentBy AdviceSentBy
	// Sent is zero when e-RS gave no time.
	Sent time.Time
	// Sender is the PractitionerRole that sent the message; SenderSDS,
	// SenderOrg and SenderRole repeat its SDS id, ODS code and role in words
	// for the screen.
	Sender     AdviceParticipant
	SenderSDS  string
	SenderOrg  string
	SenderRole string
	// RecipientServiceID is set on messages to the provider's service,
	// RecipientOrg (ODS) on messages back to the referrer.
	RecipientServiceID string
	RecipientOrg       string
	// Text is the message: its notes, joined by blank lines.
	Text        string
	Attachments []AttachmentSummary
	// BasedOn is the request version the message belongs to
	// ("CommunicationRequest/000000070000/_history/6").
	BasedOn string
}

// AdviceThread is an A&G conversation (A025): its messages in the order they
// were sent and the PractitionerRoles taking part.
type AdviceThread struct {
	ResponseInfo
	UBRN string
	// Version is the request version the conversation was read at.
	Version  string
	Messages []AdviceMessage
	// Participants are the included PractitionerRoles, in bundle order.
	Participants []AdviceParticipant
	// Bundle is the raw search result.
	Bundle *fhir.Bundle
}

// RetrieveAdviceConversation is A025: the messages of an A&G request at its
// current version (from A024), with their senders and files. e-RS answers 400
// PATIENT_ERROR, INVALID_REQUEST_TYPE or NO_RELATIONSHIP when it will not,
// and 404 when the version is not the latest.
//
// Roles: RC, RCA, SPC, SPCA. Application-restricted: yes (provider).
func (c *Client) RetrieveAdviceConversation(ctx context.Context, ubrn, version string) (*AdviceThread, error) {
	o := op(OpRetrieveAdviceThread)
	if msg := ubrnProblem(ubrn); msg != "" {
		return nil, invalid(o.ID, "%s", msg)
	}
	if msg := versionProblem(version); msg != "" {
		return nil, invalid(o.ID, "%s", msg)
	}
	q := url.Values{
		"based-on": {adviceRequestRef(ubrn, version)},
		"_include": slices.Clone(adviceThreadIncludes),
	}
	resp, err := fetch[fhir.Bundle](ctx, c, call{op: o, query: q})
	if err != nil {
		return nil, err
	}
	b := resp.Resource
	if b.ResourceType != "Bundle" {
		return nil, &Error{Op: o.ID, Kind: KindBadResponse, Status: resp.Status, CorrelationID: resp.CorrelationID,
			RequestID: resp.RequestID, Err: fmt.Errorf("expected a Bundle, got %q", b.ResourceType)}
	}
	t, err := threadFromBundle(b)
	if err != nil {
		return nil, &Error{Op: o.ID, Kind: KindBadResponse, Status: resp.Status, CorrelationID: resp.CorrelationID,
			RequestID: resp.RequestID, Err: err}
	}
	t.ResponseInfo, t.UBRN, t.Version = resp.ResponseInfo, ubrn, version
	return t, nil
}

// adviceRequestRef is the versioned reference A025 and A027 use.
func adviceRequestRef(ubrn, version string) string {
	return "CommunicationRequest/" + ubrn + "/_history/" + version
}

func threadFromBundle(b *fhir.Bundle) (*AdviceThread, error) {
	refs := adviceRefs{included: map[string]fhir.RawResource{}}
	var comms []fhir.Communication
	t := &AdviceThread{Bundle: b}
	for _, e := range b.Entry {
		raw := e.Resource
		switch raw.ResourceType() {
		case "":
			continue
		case "Communication":
			var cm fhir.Communication
			if err := raw.Decode(&cm); err != nil {
				return nil, fmt.Errorf("message %s: %w", raw.ID(), err)
			}
			comms = append(comms, cm)
		default:
			refs.included[raw.ResourceType()+"/"+raw.ID()] = raw
			if raw.ResourceType() == "PractitionerRole" {
				t.Participants = append(t.Participants, refs.participant("PractitionerRole/"+raw.ID()))
			}
		}
	}
	for i := range comms {
		t.Messages = append(t.Messages, messageFromCommunication(&comms[i], refs))
	}
	sortMessages(t.Messages)
	return t, nil
}

// messageFromCommunication reads one message. Its references resolve to its
// own contained resources (A026, A044 results) or to the bundle's included
// ones (A025).
func messageFromCommunication(cm *fhir.Communication, shared adviceRefs) AdviceMessage {
	refs := adviceRefs{contained: cm.Contained, included: shared.included}
	m := AdviceMessage{ID: cm.ID}
	for _, cat := range cm.Category {
		if cd, ok := cat.CodingIn(fhir.CSCommunicationSentBy); ok {
			m.SentBy = AdviceSentBy(cd.Code)
			break
		}
	}
	m.Sent, _ = ParseFHIRTime(cm.Sent)
	senderRef := practitionerRoleRef(cm.Sender)
	if senderRef == "" {
		if v, ok := cm.Extension.Value(fhir.ExtCommunicationReqstr); ok && v.ValueReference != nil {
			senderRef = v.ValueReference.Reference
		}
	}
	m.Sender = refs.participant(senderRef)
	m.SenderSDS, m.SenderOrg, m.SenderRole = m.Sender.SDSUserID, m.Sender.Organisation, m.Sender.RoleLabel()
	for _, rcp := range cm.Recipient {
		if v, ok := rcp.Extension.Value(fhir.ExtHealthcareServiceRef); ok && v.ValueReference != nil && v.ValueReference.Identifier != nil {
			m.RecipientServiceID = v.ValueReference.Identifier.Value
		} else if rcp.Identifier != nil && fhir.MatchSystem(rcp.Identifier.System, fhir.SystemODSOrgCode) {
			m.RecipientOrg = rcp.Identifier.Value
		}
	}
	var texts []string
	for _, n := range cm.Note {
		if t := strings.TrimSpace(n.Text); t != "" {
			texts = append(texts, n.Text)
		}
	}
	for _, p := range cm.Payload {
		if p.ContentString != "" {
			texts = append(texts, p.ContentString)
		}
	}
	m.Text = strings.Join(texts, "\n\n")
	m.Attachments = refs.attachments(cm.Payload, false)
	if len(cm.BasedOn) > 0 {
		m.BasedOn = cm.BasedOn[0].Reference
	}
	return m
}

// sortMessages puts messages in the order they were sent. e-RS does not
// return them in order; messages sent in the same instant keep the order of
// their ids (numbers that e-RS allocates in sequence), and messages without a
// time go last.
func sortMessages(ms []AdviceMessage) {
	slices.SortStableFunc(ms, func(a, b AdviceMessage) int {
		switch {
		case a.Sent.IsZero() != b.Sent.IsZero():
			if a.Sent.IsZero() {
				return 1
			}
			return -1
		case !a.Sent.Equal(b.Sent):
			return a.Sent.Compare(b.Sent)
		}
		return compareIDs(a.ID, b.ID)
	})
}

// compareIDs orders numeric ids by value and anything else as text.
func compareIDs(a, b string) int {
	if allDigits(a) && allDigits(b) {
		ta, tb := strings.TrimLeft(a, "0"), strings.TrimLeft(b, "0")
		if c := cmp.Compare(len(ta), len(tb)); c != 0 {
			return c
		}
		return cmp.Compare(ta, tb)
	}
	return cmp.Compare(a, b)
}
