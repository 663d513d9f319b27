package sandbox

import (
	"slices"

	"github.com/google/uuid"

	"github.com/ers-workstation/ers-workstation/ersclient/fhir"
	"github.com/ers-workstation/ers-workstation/sandbox/store"
)

// The _include values of A025. The specification's enum and every official
// example spell the sender include "PractionerRole"; the correct spelling is
// accepted too, in case e-RS ever fixes it.
const (
	adviceIncludeRequester = "Communication:requester-practitionerrole:PractitionerRole"
	adviceIncludeSender    = "Communication:sender-practitionerrole:PractionerRole"
	adviceIncludeSenderFix = "Communication:sender-practitionerrole:PractitionerRole"
	adviceIncludeDocuments = "Communication:content-reference:DocumentReference"
)

// adviceIncludes are what A025 includes; the zero value includes nothing.
type adviceIncludes struct{ requester, sender, documents bool }

// parseAdviceIncludes reads the _include values. None means the default,
// which is everything: the specification warns the default may change and
// asks callers to name what they rely on.
func parseAdviceIncludes(values []string) (adviceIncludes, *problem) {
	if len(values) == 0 {
		return adviceIncludes{true, true, true}, nil
	}
	var inc adviceIncludes
	for _, v := range values {
		switch v {
		case adviceIncludeRequester:
			inc.requester = true
		case adviceIncludeSender, adviceIncludeSenderFix:
			inc.sender = true
		case adviceIncludeDocuments:
			inc.documents = true
		default:
			return inc, badRequest("INVALID_VALUE", "'_include' (%s) is not one of %s, %s, %s.", v, adviceIncludeRequester, adviceIncludeSender, adviceIncludeDocuments)
		}
	}
	return inc, nil
}

// retrieveAdviceThread is A025: the conversation of an A&G request at its
// current version (based-on=CommunicationRequest/{ubrn}/_history/{v}), as a
// searchset of Communications, newest first, with the PractitionerRoles and
// DocumentReferences they reference included as asked. The lookup errors
// are 400 here, not 422 (the operation documents them so); a version other
// than the current one is 404.
func (s *Server) retrieveAdviceThread(c *call) {
	q, p := c.query([]string{"based-on", "_include"}, "_include")
	if p != nil {
		c.fail(p)
		return
	}
	basedOn := q.Get("based-on")
	if basedOn == "" {
		c.fail(badRequest("MISSING_PARAMETER", "'based-on' is missing."))
		return
	}
	ubrn, version, ok := versionedRef(basedOn, "CommunicationRequest")
	if !ok {
		c.fail(badRequest("INVALID_VALUE", "'based-on' (%s) is not CommunicationRequest/{ubrn}/_history/{version}.", basedOn))
		return
	}
	inc, p := parseAdviceIncludes(q["_include"])
	if p != nil {
		c.fail(p)
		return
	}
	// The live service sends the request's version as the ETag here too.
	c.serveRead(func(st *store.State) (any, int, *problem) {
		a, p := c.adviceFor(st, ubrn)
		if p != nil {
			return nil, 0, adviceAs400(p)
		}
		if version != a.Version {
			return nil, 0, historyNotSupported(basedOn)
		}
		return c.adviceThread(st, a, inc, basedOn, q["_include"]), a.Version, nil
	})
}

// adviceThread builds the A025 bundle.
func (c *call) adviceThread(st *store.State, a *store.Advice, inc adviceIncludes, basedOn string, includes []string) *fhir.Bundle {
	stu3 := c.fhirBase() + "/STU3/"
	// The self link repeats the query as e-RS writes it, unescaped; both
	// values were validated before they got here.
	self := stu3 + "Communication?based-on=" + basedOn
	for _, v := range includes {
		self += "&_include=" + v
	}
	total := int64(len(a.Messages))
	b := &fhir.Bundle{
		ResourceType: "Bundle",
		ID:           uuid.NewString(),
		Meta:         &fhir.Meta{LastUpdated: adviceInstant(a.Updated), Profile: []string{"http://hl7.org/fhir/STU3/StructureDefinition/Bundle"}},
		Type:         "searchset",
		Total:        &total,
		Link:         []fhir.BundleLink{{Relation: "self", URL: self}},
	}
	var roles []adviceRole
	var docs []store.Document
	addRole := func(p adviceRole) {
		if !slices.ContainsFunc(roles, func(q adviceRole) bool { return q.id() == p.id() }) {
			roles = append(roles, p)
		}
	}
	for _, m := range adviceNewestFirst(a.Messages) {
		b.Entry = append(b.Entry, fhir.BundleEntry{
			FullURL:  stu3 + "Communication/" + m.ID,
			Resource: adviceRaw(c.adviceMessage(st, a, m, false)),
			Search:   &fhir.BundleSearch{Mode: "match"},
		})
		if inc.requester {
			addRole(messageRequester(m))
		}
		if inc.sender {
			addRole(messageSender(m))
		}
		if inc.documents {
			docs = append(docs, m.Documents...)
		}
	}
	for _, p := range roles {
		b.Entry = append(b.Entry, fhir.BundleEntry{
			FullURL:  stu3 + "PractitionerRole/" + p.id(),
			Resource: adviceRaw(p.resource(p.id())),
			Search:   &fhir.BundleSearch{Mode: "include"},
		})
	}
	for _, d := range docs {
		b.Entry = append(b.Entry, fhir.BundleEntry{
			FullURL:  stu3 + "DocumentReference/" + adviceDocID(d),
			Resource: adviceRaw(c.adviceDocument(st, d, false)),
			Search:   &fhir.BundleSearch{Mode: "include"},
		})
	}
	return b
}

// adviceNewestFirst orders a conversation as the official examples do, the
// latest message first; messages sent at the same instant keep the reverse
// of the order they were added in.
func adviceNewestFirst(ms []store.Message) []*store.Message {
	out := make([]*store.Message, len(ms))
	for i := range ms {
		out[len(ms)-1-i] = &ms[i]
	}
	slices.SortStableFunc(out, func(x, y *store.Message) int { return y.Sent.Compare(x.Sent) })
	return out
}

// adviceOldestFirst orders a conversation for reading, as the PDF prints it.
func adviceOldestFirst(ms []store.Message) []*store.Message {
	out := adviceNewestFirst(ms)
	slices.Reverse(out)
	return out
}
