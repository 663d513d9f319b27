package sandbox

import (
	"bytes"
	"testing"

	"github.com/ers-workstation/ers-workstation/ersclient"
	"github.com/ers-workstation/ers-workstation/sandbox/store"
)

// adviceReferrerReplies stands in for the e-RS web application, where a
// referrer answers a request for more information: the API has no
// operation for it. The answer is a REQUESTER message and the request goes
// back to the provider at a new version.
func (e *testEnv) adviceReferrerReplies(ubrn, text string) {
	e.t.Helper()
	err := e.store.Write(store.AdviceKey(ubrn), func(st *store.State) error {
		a := st.Advice[ubrn]
		a.Version++
		a.Updated = e.store.Now()
		a.Category = store.AdviceProviderResponseRequired
		a.Messages = append(a.Messages, store.Message{ID: st.NewMessageID(), SentBy: "REQUESTER", SenderID: a.ReferrerID,
			SenderOrg: a.ReferringOrg, SenderRole: ersclient.ReferringClinician, Sent: e.store.Now(), Text: text, AtVersion: a.Version})
		return nil
	})
	if err != nil {
		e.t.Fatal(err)
	}
}

// The whole A&G journey through the client the workstation uses: the
// referrer asks with a file attached, the provider finds the request on its
// worklist, reads it, asks for more, the referrer reads the question and
// answers, and the provider converts the request into a referral that both
// sides can then read.
func TestAdviceLifecycleFromQuestionToReferral(t *testing.T) {
	e := newTestEnv(t, nil)
	ctx := adviceCtx(t)
	rc, spc := e.rc(), e.spc()

	// A020 then A044: the referrer uploads a file and asks.
	up, err := rc.UploadFile(ctx, ersclient.Upload{FileName: "ecg.txt", Data: []byte("synthetic ECG report")})
	if err != nil {
		t.Fatal(err)
	}
	sent, err := rc.CreateAdviceRequest(ctx, ersclient.CreateAdviceRequest{
		NHSNumber: adviceNHS, ConversionAuthorised: true, ServiceID: svcAdvice, Request: "Palpitations; ECG attached. Refer?",
		Priority: ersclient.PriorityRoutine, Attachments: []ersclient.FileLink{{BinaryID: up.AttachmentID, Description: "ECG"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	ubrn := sent.UBRN

	// A023: the provider's worklist shows it with its version.
	wl, err := spc.RetrieveAdviceWorklist(ctx, ersclient.AdviceWorklistQuery{})
	if err != nil {
		t.Fatal(err)
	}
	row, ok := adviceRow(wl, ubrn)
	if !ok || row.Version != "1" {
		t.Fatalf("the worklist has %+v, want %s at version 1", wl.Rows, ubrn)
	}

	// A024 and A025: the provider reads the request and the question.
	ar, err := spc.RetrieveAdviceRequest(ctx, ubrn)
	if err != nil {
		t.Fatal(err)
	}
	thread, err := spc.RetrieveAdviceConversation(ctx, ubrn, ar.Version)
	if err != nil {
		t.Fatal(err)
	}
	if len(thread.Messages) != 1 || len(thread.Messages[0].Attachments) != 1 || thread.Messages[0].Attachments[0].ID != up.AttachmentID {
		t.Fatalf("the provider reads %+v", thread.Messages)
	}

	// A026: the provider asks for more.
	answer, err := spc.SendAdviceResponse(ctx, ersclient.AdviceResponseRequest{
		UBRN: ubrn, Version: ar.Version, Outcome: ersclient.AdviceRequireFurtherInfo,
		Guidance: "Please send a recent blood pressure.", UpdatedPriority: ersclient.PriorityUrgent,
	})
	if err != nil {
		t.Fatal(err)
	}

	// The referrer reads the question.
	mine, err := rc.RetrieveAdviceRequest(ctx, ubrn)
	if err != nil {
		t.Fatal(err)
	}
	if s := mine.Summary(); s.Category != ersclient.AdviceReferrerToSubmitMoreInfo || s.Version != answer.Version || s.Priority != ersclient.PriorityUrgent {
		t.Fatalf("the referrer reads %s at version %s (%s)", s.Category, s.Version, s.Priority)
	}
	thread, err = rc.RetrieveAdviceConversation(ctx, ubrn, mine.Version)
	if err != nil {
		t.Fatal(err)
	}
	if last := thread.Messages[len(thread.Messages)-1]; last.Text != "Please send a recent blood pressure." {
		t.Fatalf("the referrer reads %+v", last)
	}

	// The referrer answers in the e-RS web application.
	e.adviceReferrerReplies(ubrn, "BP 150/95.")
	ar, err = spc.RetrieveAdviceRequest(ctx, ubrn)
	if err != nil {
		t.Fatal(err)
	}
	if ok, why := ar.Summary().CanConvert(); !ok {
		t.Fatalf("the provider cannot convert: %s", why)
	}

	// A027: the provider converts the request into a referral.
	ref, err := spc.ConvertAdviceToReferral(ctx, ersclient.ConvertAdviceRequest{
		UBRN: ubrn, Version: ar.Version, Guidance: "We will see the patient.", NewReferralPriority: ersclient.PriorityUrgent,
		ReviewComments: "Book into the hypertension clinic.",
	})
	if err != nil {
		t.Fatal(err)
	}
	if ref.UBRN() != ubrn || ref.Version != "4" {
		t.Fatalf("converted into %s version %s", ref.UBRN(), ref.Version)
	}

	// A005: both sides read the referral.
	for name, client := range map[string]*ersclient.Client{"provider": spc, "referrer": rc} {
		got, err := client.RetrieveReferral(ctx, ubrn)
		if err != nil {
			t.Fatalf("the %s cannot read the referral: %v", name, err)
		}
		s := got.Summary()
		if s.Version != "4" || s.State.Code != store.StateTriagedToAction || s.StateReason.Code != adviceConvertedReason || s.Priority != ersclient.PriorityUrgent {
			t.Errorf("the %s reads %s version %s, %s %s", name, s.UBRN, s.Version, s.State.Code, s.StateReason.Code)
		}
	}

	// The request is over, and its overview tells the whole story.
	final, err := rc.RetrieveAdviceRequest(ctx, ubrn)
	if err != nil {
		t.Fatal(err)
	}
	if s := final.Summary(); s.Category != ersclient.AdviceConvertedToReferral || s.Version != "4" {
		t.Errorf("the request is %s at version %s", s.Category, s.Version)
	}
	var pdf bytes.Buffer
	if _, err := spc.RetrieveAdviceOverview(ctx, ubrn, &pdf); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Palpitations; ECG attached.", "Please send a recent blood pressure.", "BP 150/95.", "We will see the patient.", "ecg.txt"} {
		if !bytes.Contains(pdf.Bytes(), []byte(want)) {
			t.Errorf("the overview lacks %q", want)
		}
	}
}

func adviceRow(wl *ersclient.Worklist, ubrn string) (ersclient.WorklistRow, bool) {
	for _, r := range wl.Rows {
		if r.UBRN == ubrn {
			return r, true
		}
	}
	return ersclient.WorklistRow{}, false
}
