package advice

import (
	"net/http"
	"strings"
	"testing"

	"github.com/ers-workstation/ers-workstation/ersclient"
	"github.com/ers-workstation/ers-workstation/ui/screen"
	"github.com/ers-workstation/ers-workstation/ui/uitest"
)

// attachLetter opens the picker of the focused files, switches to a typed
// path (which starts in the picker's folder, the home) and attaches
// letter.pdf.
func attachLetter(m *Model) {
	keys(m, "a", "tab")
	press(m, uitest.Type("letter.pdf")...)
	keys(m, "enter")
}

// toResponseFiles opens the response form, types text and fills the
// choices, leaving the focus on the files.
func toResponseFiles(m *Model, text string) {
	keys(m, "w")
	press(m, uitest.Type(text)...)
	keys(m, "tab", "right", "tab", "right", "tab", "right", "tab")
}

// toConversion opens the conversion form and types guidance and comments,
// leaving the focus on the priority.
func toConversion(m *Model, guidance, comments string) {
	keys(m, "c")
	press(m, uitest.Type(guidance)...)
	keys(m, "tab")
	press(m, uitest.Type(comments)...)
	keys(m, "tab")
}

func confirmIn(res uitest.Result[screen.Screen]) (screen.Confirm, bool) {
	for i := len(res.Msgs) - 1; i >= 0; i-- {
		if c, ok := res.Msgs[i].(screen.Confirm); ok {
			return c, true
		}
	}
	return screen.Confirm{}, false
}

func TestAResponseUploadsItsFilesOnceAndLinksThem(t *testing.T) {
	w := newWorld(t, ersclient.ServiceProviderClinician)
	var uploads []ersclient.Upload
	w.fake.Upload = func(u ersclient.Upload) (*ersclient.UploadedFile, error) {
		uploads = append(uploads, u)
		return &ersclient.UploadedFile{AttachmentID: "att-1"}, nil
	}
	var sent []ersclient.AdviceResponseRequest
	w.fake.AdviceResponse = func(r ersclient.AdviceResponseRequest) (*ersclient.AdviceSent, error) {
		sent = append(sent, r)
		if len(sent) == 1 {
			return nil, &ersclient.Error{Op: ersclient.OpSendAdviceResponse, Kind: ersclient.KindAPI, Status: http.StatusBadRequest, Code: "INVALID_VALUE"}
		}
		w.ver, w.cat = "6", ersclient.AdviceReferrerToReviewResponse
		return &ersclient.AdviceSent{UBRN: ubrn, Version: "6"}, nil
	}
	m := w.open()
	toResponseFiles(m, "Synthetic advice with an attached leaflet.")
	attachLetter(m)
	if files := m.form.files.Files(); len(files) != 1 || files[0].Name != "letter.pdf" {
		t.Fatalf("files chosen: %+v\n%s", files, view(m))
	}
	if !m.Dirty() {
		t.Error("files chosen are not kept in a draft, yet leaving would not ask")
	}
	res := keys(m, "ctrl+s")
	c, ok := confirmIn(res)
	if !ok || !strings.Contains(c.Body, "1 file for the referrer") {
		t.Fatalf("confirmation does not name the file: %+v", c)
	}
	confirm(t, m, res)
	if len(uploads) != 1 || uploads[0].ReferralID != ubrn || uploads[0].FileName != "letter.pdf" {
		t.Fatalf("uploads %+v; want letter.pdf once, for the A&G UBRN", uploads)
	}
	if !strings.Contains(view(m), "INVALID_VALUE") {
		t.Errorf("the refusal is not shown:\n%s", view(m))
	}
	// Sent again after the refusal: the file is linked, not uploaded again.
	confirm(t, m, keys(m, "ctrl+s"))
	if len(uploads) != 1 || len(sent) != 2 {
		t.Fatalf("%d uploads and %d A026 calls; want 1 and 2", len(uploads), len(sent))
	}
	if l := sent[1].Attachments; len(l) != 1 || l[0].BinaryID != "att-1" || l[0].Description != "letter.pdf" {
		t.Errorf("A026 linked %+v", l)
	}
	if len(m.form.files.Files()) != 0 || m.Dirty() {
		t.Errorf("after sending: files %+v, dirty %v", m.form.files.Files(), m.Dirty())
	}
}

func TestAFailedUploadSendsNothingAndKeepsEverything(t *testing.T) {
	w := newWorld(t, ersclient.ServiceProviderClinician)
	w.fake.Upload = func(ersclient.Upload) (*ersclient.UploadedFile, error) {
		return nil, &ersclient.Error{Op: ersclient.OpUploadFile, Kind: ersclient.KindAPI, Status: http.StatusRequestEntityTooLarge, CorrelationID: "corr-up"}
	}
	m := w.open()
	toResponseFiles(m, "Synthetic advice kept")
	attachLetter(m)
	confirm(t, m, keys(m, "ctrl+s"))
	if n := w.fake.CallCount(string(ersclient.OpSendAdviceResponse)); n != 0 {
		t.Fatalf("A026 called %d times after the upload failed", n)
	}
	v := view(m)
	for _, want := range []string{"Uploading letter.pdf failed, so nothing was sent", "corr-up"} {
		if !strings.Contains(v, want) {
			t.Errorf("view lacks %q:\n%s", want, v)
		}
	}
	if m.form.text.Value() != "Synthetic advice kept" || len(m.form.files.Files()) != 1 || m.mode != modeForm {
		t.Errorf("lost: text %q, files %+v, mode %v", m.form.text.Value(), m.form.files.Files(), m.mode)
	}
}

func TestAProviderConvertsWithGuidanceCommentsPriorityAndFiles(t *testing.T) {
	w := newWorld(t, ersclient.ServiceProviderClinician)
	w.conversion = "AUTHORISED_TO_CONVERT"
	var uploads []ersclient.Upload
	w.fake.Upload = func(u ersclient.Upload) (*ersclient.UploadedFile, error) {
		uploads = append(uploads, u)
		return &ersclient.UploadedFile{AttachmentID: "att-" + string(rune('0'+len(uploads)))}, nil
	}
	var got ersclient.ConvertAdviceRequest
	w.fake.ConvertAdvice = func(r ersclient.ConvertAdviceRequest) (*ersclient.Referral, error) {
		got = r
		w.ver, w.cat = "6", ersclient.AdviceConvertedToReferral
		return nil, nil
	}
	m := w.open()
	if !m.KeyMap().(keyMap).Convert.Enabled() {
		t.Fatal("convert not offered on an authorised request")
	}
	toConversion(m, "Synthetic final guidance.", "Book into the synthetic clinic.")
	keys(m, "right", "tab") // urgent; then the referrer's files
	attachLetter(m)
	keys(m, "tab") // the files kept with the referral
	attachLetter(m)
	if !m.Dirty() {
		t.Error("not dirty with two files chosen")
	}
	res := keys(m, "ctrl+s")
	c, ok := confirmIn(res)
	if !ok {
		t.Fatalf("no confirmation:\n%s", view(m))
	}
	for _, want := range []string{"999 000 0018", ubrn, "cannot be undone", "1 file for the referrer", "kept with the referral"} {
		if !strings.Contains(c.Body, want) {
			t.Errorf("confirmation lacks %q: %q", want, c.Body)
		}
	}
	if w.fake.CallCount(string(ersclient.OpConvertAdviceToReferral)) != 0 {
		t.Fatal("converted before the user confirmed")
	}
	done := confirm(t, m, res)
	if got.Version != "5" || got.Guidance != "Synthetic final guidance." || got.ReviewComments != "Book into the synthetic clinic." ||
		got.NewReferralPriority == "" || len(got.GuidanceAttachments) != 1 || len(got.ReviewAttachments) != 1 ||
		got.GuidanceAttachments[0].BinaryID == got.ReviewAttachments[0].BinaryID {
		t.Fatalf("A027 sent %+v", got)
	}
	if len(uploads) != 2 || uploads[0].ReferralID != ubrn {
		t.Errorf("uploads %+v", uploads)
	}
	var opened, changed bool
	for _, msg := range done.Msgs {
		switch msg := msg.(type) {
		case screen.Open:
			opened = opened || msg.Route == screen.RouteReferral && msg.Arg == ubrn
		case screen.ReferralChanged:
			changed = changed || msg.UBRN == ubrn
		}
	}
	if !opened || !changed {
		t.Errorf("after converting: opened the referral %v, broadcast %v", opened, changed)
	}
	if m.Dirty() || m.form.comments.Value() != "" {
		t.Errorf("the form was not emptied: dirty %v, comments %q", m.Dirty(), m.form.comments.Value())
	}
	for s := range slotCount {
		if _, ok, _ := m.drafts.Load(m.draftKey(s)); ok {
			t.Errorf("draft %s kept after converting", s.name())
		}
	}
}

func TestTheConversionFormSaysWhatIsMissing(t *testing.T) {
	w := newWorld(t, ersclient.ServiceProviderClinician)
	w.conversion = "AUTHORISED_TO_CONVERT"
	m := w.open()
	keys(m, "c")
	press(m, uitest.Type("Synthetic guidance only")...)
	keys(m, "ctrl+s")
	if !strings.Contains(view(m), "Write review comments") {
		t.Errorf("missing comments not said:\n%s", view(m))
	}
	if m.form.focus != fieldComments {
		t.Errorf("focus on %v, want the comments", m.form.focus)
	}
	if n := w.fake.CallCount(string(ersclient.OpConvertAdviceToReferral)); n != 0 {
		t.Fatalf("A027 called %d times", n)
	}
}

func TestReviewCommentsSurviveARestart(t *testing.T) {
	w := newWorld(t, ersclient.ServiceProviderClinician)
	w.conversion = "AUTHORISED_TO_CONVERT"
	m := w.open()
	toConversion(m, "Synthetic guidance", "Synthetic comments for the team")
	keys(m, "esc")
	again := w.open()
	if again.form.text.Value() != "Synthetic guidance" || again.form.comments.Value() != "Synthetic comments for the team" {
		t.Fatalf("restored %q and %q", again.form.text.Value(), again.form.comments.Value())
	}
	// The guidance is shared: the response form has it too.
	keys(again, "w")
	if again.form.text.Value() != "Synthetic guidance" {
		t.Errorf("response form text %q", again.form.text.Value())
	}
}

func TestAnUnknownConversionIsReadBack(t *testing.T) {
	w := newWorld(t, ersclient.ServiceProviderClinician)
	w.conversion = "AUTHORISED_TO_CONVERT"
	w.fake.ConvertAdvice = func(ersclient.ConvertAdviceRequest) (*ersclient.Referral, error) {
		return nil, &ersclient.Error{Op: ersclient.OpConvertAdviceToReferral, Kind: ersclient.KindAPI, Status: http.StatusGatewayTimeout}
	}
	w.fake.ReconcileAdvice = func(_, sent string) (*ersclient.Reconciliation, error) {
		return &ersclient.Reconciliation{Applied: true, SentVersion: sent}, nil
	}
	m := w.open()
	toConversion(m, "Synthetic guidance", "Synthetic comments")
	confirm(t, m, keys(m, "right", "ctrl+s")) // the fixture has no priority
	if n := w.fake.CallCount(string(ersclient.OpConvertAdviceToReferral)); n != 1 {
		t.Fatalf("A027 called %d times", n)
	}
	if !strings.Contains(m.Status(), "Converted (confirmed") {
		t.Errorf("status %q", m.Status())
	}
}

// On a small terminal the form scrolls to keep the focused field, here
// the files kept with the referral, in view.
func TestTheFormScrollsToTheFocusedField(t *testing.T) {
	w := newWorld(t, ersclient.ServiceProviderClinician)
	w.conversion = "AUTHORISED_TO_CONVERT"
	m := w.open()
	m.SetSize(80, 24)
	keys(m, "c", "shift+tab")
	v := view(m)
	if !strings.Contains(v, "▶ Files kept with the referral") {
		t.Errorf("the focused field is not in view:\n%s", v)
	}
	uitest.AssertFrame(t, m.View(), 80, 24)
	keys(m, "a") // the picker opens in the space there is
	uitest.AssertFrame(t, m.View(), 80, 24)
	if !strings.Contains(view(m), "letter.pdf") {
		t.Errorf("the picker does not show the home's file:\n%s", view(m))
	}
}
