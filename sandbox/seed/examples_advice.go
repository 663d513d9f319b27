package seed

import (
	"time"

	"github.com/ers-workstation/ers-workstation/ersclient"
	"github.com/ers-workstation/ers-workstation/sandbox/store"
)

// The senders of advice messages (eRS-CommunicationSentBy-1).
const (
	sentByRequester = "REQUESTER"
	sentByResponder = "RESPONDER"
	sentByInfoAdded = "REFERRER_CLINICAL_INFORMATION_UPDATED"
)

// advice adds an advice and guidance request to the examples' A&G service,
// from the RC at the referring practice; change adjusts it.
func (x *examples) advice(ubrn string, version int, category string, change func(a *store.Advice)) *store.Advice {
	a := &store.Advice{
		UBRN: ubrn, Version: version, RequestID: exampleRequestID("a", ubrn), Status: "active", Category: category,
		NHSNumber: examplePatient, Priority: "ROUTINE", Specialty: exampleSpecialty, ClinicType: clinicHeart, ServiceID: "11014",
		ReferringOrg: ExampleReferringOrg, ReferrerID: ExampleRC, CreatedBy: ExampleRC,
		ConversionAuthorisation: "AUTHORISED_TO_CONVERT", Created: x.day(-25), Updated: x.day(-1),
	}
	if change != nil {
		change(a)
	}
	a.Criteria = store.SearchCriteria{Priority: a.Priority, Specialty: a.Specialty, ClinicType: a.ClinicType, AgeAndGenderAppropriate: true}
	switch a.Category {
	case store.AdviceConverted:
		a.Converted = true
		a.Status = "completed"
	case store.AdviceEndedCancelled:
		a.Status = "cancelled"
	case store.AdviceEndedClosed:
		a.Status = "completed"
	}
	x.st.Advice[ubrn] = a
	return a
}

// request is a message from the referring clinician.
func (x *examples) request(a *store.Advice, id string, day int, text string, docs ...store.Document) store.Message {
	return store.Message{ID: id, SentBy: sentByRequester, SenderID: a.ReferrerID, SenderOrg: a.ReferringOrg,
		SenderRole: ersclient.ReferringClinician, Sent: x.day(day), Text: text, Documents: docs}
}

// response is a message from the provider's clinician.
func (x *examples) response(id string, day int, outcome, recommendation, text string, docs ...store.Document) store.Message {
	return store.Message{ID: id, SentBy: sentByResponder, SenderID: ExampleSPC, SenderOrg: ExampleProviderOrg,
		SenderRole: ersclient.ServiceProviderClinician, Sent: x.day(day), Text: text, Documents: docs,
		Outcome: outcome, Recommendation: recommendation}
}

// withVersions numbers a conversation's messages with the request version
// each was written against: the first at 1, each later one a version on.
func withVersions(msgs ...store.Message) []store.Message {
	for i := range msgs {
		msgs[i].AtVersion = i + 1
	}
	return msgs
}

// addExampleAdvice adds the advice and guidance requests of the A023-A027,
// A041 and A043 examples. Their versions are those the examples quote where
// a write names one (A027 converts 000000070000 at version 3).
func addExampleAdvice(st *store.State, now time.Time) {
	x := &examples{st: st, now: now}
	const (
		askText   = "Please advise me on this patient who has had intermittent chest tightness on exertion for three months."
		moreText  = "Please perform an ECG and lipid profile and send me the results."
		replyText = "ECG normal sinus rhythm; LDL 4.9 mmol/L. Results attached."
	)
	// file is a document of a message: the referrer's (ADVICE_REQUEST) or
	// the provider's (GUIDANCE_RESPONSE).
	file := func(id, binary, docType, description string, day int) store.Document {
		if docType == "GUIDANCE_RESPONSE" {
			return letter(id, binary, docType, description, ExampleSPC, ExampleProviderOrg, x.day(day))
		}
		return letter(id, binary, docType, description, ExampleRC, ExampleReferringOrg, x.day(day))
	}

	// The request A026 answers and A027 converts: the provider asked for
	// more, the referrer sent it, and it is the provider's turn again.
	x.advice(adviceToConvert, 3, store.AdviceProviderResponseRequired, func(a *store.Advice) {
		a.Messages = withVersions(
			x.request(a, "70000", -25, askText),
			x.response("70001", -20, "REQUIRE_FURTHER_INFORMATION", "", moreText),
			x.request(a, "70002", -3, replyText),
		)
	})
	// AttachmentPresentInEachDirection: a file each way, and the
	// referrer's answer, so it is the provider's turn (A024's category).
	x.advice("000000070001", 6, store.AdviceProviderResponseRequired, func(a *store.Advice) {
		a.Messages = withVersions(
			x.request(a, "70000", -25, askText, file("70000", "3816ca48-897a-4be0-907d-a4e830b4e213", "ADVICE_REQUEST", "Test results", -25)),
			x.response("70001", -18, "REQUIRE_FURTHER_INFORMATION", "", moreText,
				file("70001", "719f6045-e791-4029-8e0f-1201c02b0a55", "GUIDANCE_RESPONSE", "Test instructions", -18)),
			x.request(a, "70002", -2, replyText),
		)
		a.Messages[2].AtVersion = 6
	})
	// Answered with advice, for the referrer to review.
	x.advice("000000070025", 2, store.AdviceReferrerToReview, func(a *store.Advice) {
		a.NHSNumber = examplePatientLists
		a.Messages = withVersions(
			x.request(a, "70000", -9, "Raised blood pressure despite two agents; grateful for advice."),
			x.response("70001", -7, "RETURN_TO_REFERRER_WITH_ADVICE", "ADVICE_FOLLOWED_BY_REFERRAL_IF_REQUIRED",
				"Add a third agent as per guideline; refer if not controlled in three months."),
		)
	})
	// MultiWayConversation, converted to referral 000000070002; its files
	// did not pass the checks (WithUnavailableAttachments).
	x.advice("000000070002", 6, store.AdviceConverted, func(a *store.Advice) {
		a.Messages = withVersions(
			x.request(a, "70000", -40, askText,
				file("70000", "6fe7e7ed-2535-4b71-b5aa-c995d121f72e", "ADVICE_REQUEST", "Photograph of ankle swelling", -40),
				file("70001", "2a8b042f-e12e-4249-9478-37b2426a4d65", "ADVICE_REQUEST", "Home blood pressure readings", -40)),
			x.response("70001", -38, "REQUIRE_FURTHER_INFORMATION", "", "Request xxx test results"),
			x.request(a, "70002", -36, "Patient is complaining of breathing difficulties"),
			x.response("70003", -35, "REQUIRE_FURTHER_INFORMATION", "", "Also request yyy test results"),
		)
	})
	// AttachmentUploadedFromRCS: the referrer added clinical information
	// after asking.
	x.advice("000000070003", 7, store.AdviceProviderResponseRequired, func(a *store.Advice) {
		a.ReferrerID, a.CreatedBy = ExampleClinician, ExampleClinician
		a.Messages = withVersions(
			x.request(a, "70000", -6, "some notes", file("70000", "719f6045-e791-4029-8e0f-1201c02b0a55", "ADVICE_REQUEST", "Clinical photograph", -6)),
			store.Message{ID: "70001", SentBy: sentByInfoAdded, SenderID: a.ReferrerID, SenderOrg: a.ReferringOrg,
				SenderRole: ersclient.ReferringClinician, Sent: x.day(-5), Text: "NOTE: Clinical Information has been added/amended"},
		)
	})
	// UnavailableAttachments, converted to referral 000000070004.
	x.advice("000000070004", 3, store.AdviceConverted, func(a *store.Advice) {
		a.Priority = "TWO_WEEK_WAIT"
		a.NHSNumber = examplePatientA034
		a.Messages = withVersions(
			x.request(a, "70000", -28, askText, file("70000", "b67faeac-065d-491b-a67e-b829c865b075", "ADVICE_REQUEST", "Test results", -28)),
			x.response("70003", -22, "PROVIDER_CONVERTED", "", moreText,
				file("70001", "89d0521b-057e-4d5c-8630-f5ba2728843e", "GUIDANCE_RESPONSE", "Test instructions", -22),
				file("70002", "874ef853-131a-48e9-8a0a-1417eaa79d8d", "GUIDANCE_RESPONSE", "More test instructions", -22)),
		)
	})
	// Converted to referral 000000070009, which was then booked.
	x.advice("000000070009", 4, store.AdviceConverted, func(a *store.Advice) {
		a.Messages = withVersions(
			x.request(a, "70000", -26, "Palpitations on lying down; Holter monitor showed runs of SVT."),
			x.response("70001", -20, "PROVIDER_CONVERTED", "", "Converted to a referral: please book into the general cardiology clinic."),
		)
	})
	// More of the provider's A&G worklist: a request waiting for the
	// referrer, and an urgent one the referrer did not authorise converting.
	x.advice("000000070023", 2, store.AdviceReferrerToSubmitInfo, func(a *store.Advice) {
		a.Priority, a.NHSNumber, a.ReferrerID = "TWO_WEEK_WAIT", examplePatientLists, ExampleClinician
		a.Messages = withVersions(
			x.request(a, "70000", -4, "Unexplained weight loss and exertional breathlessness."),
			x.response("70001", -3, "REQUIRE_FURTHER_INFORMATION", "", "Please send a recent full blood count and chest X-ray report."),
		)
	})
	x.advice("000000070024", 1, store.AdviceProviderResponseRequired, func(a *store.Advice) {
		a.Priority, a.NHSNumber, a.ConversionAuthorisation = "URGENT", examplePatientLists, "NOT_AUTHORISED_TO_CONVERT"
		a.Messages = withVersions(x.request(a, "70000", -1, "New murmur heard at routine review; patient asymptomatic."))
	})
}
