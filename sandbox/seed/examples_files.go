package seed

import (
	"time"

	"github.com/ers-workstation/ers-workstation/sandbox/store"
)

// exampleFile is an uploaded file of the examples. intended is the UBRN it
// was uploaded for; "*" marks a file the official examples link to several
// requests (store.Binary.AnyRequest).
type exampleFile struct {
	id, name, intended, by, org, availability string
}

// exampleFiles are the files the official examples name (Binary/<id> in
// requests and responses). Where the examples show one file with different
// availability in different places, it has one here and the unavailable
// cases use other ids of the examples.
var exampleFiles = []exampleFile{
	// Referral letters, linked by A012, A026 and A044 to several requests.
	{"19eb7224-dff3-4730-a5cb-67eac811f1a5", "referralletter.pdf", "*", ExampleRC, ExampleReferringOrg, store.Available},
	{"50f0c0d5-7ed1-4587-8fce-889c8685eb54", "blood-test-results.pdf", "*", ExampleRC, ExampleReferringOrg, store.Available},
	{"e1015896-92f4-4073-ad3c-5f30fca76448", "treatment-specification.pdf", "*", ExampleRC, ExampleReferringOrg, store.Available},
	{"719f6045-e791-4029-8e0f-1201c02b0a55", "upload.png", "*", ExampleRC, ExampleReferringOrg, store.Available},
	// Files of the referral converted from advice (000000070004).
	{"80245c92-d28a-4d1f-9b8d-c31f8ab9e322", "advice.png", "000000070004", ExampleRC, ExampleReferringOrg, store.Available},
	{"d7f9fba4-3c57-4dec-a274-94dab9fd4518", "Advice and guidance conversation - 000000070004.pdf", "000000070004", ExampleSPC, ExampleProviderOrg, store.Available},
	// WithUnavailableAttachments (000000070012): one of each kind.
	{"10e22163-b1d3-4434-8166-b92be5104c72", "referralletter1.pdf", "000000070012", ExampleRC, ExampleReferringOrg, store.Pending},
	{"adda8c72-4a91-4dc7-a918-b6d12fb28085", "referralletter2.png", "000000070012", ExampleRC, ExampleReferringOrg, store.ThreatsFound},
	{"9e554611-3378-425c-9cab-700b697e52d3", "referralletter3.doc", "000000070012", ExampleRC, ExampleReferringOrg, store.ValidationFailed},
	// Advice conversations.
	{"3816ca48-897a-4be0-907d-a4e830b4e213", "testResultsA.pdf", "000000070001", ExampleRC, ExampleReferringOrg, store.Available},
	{"6fe7e7ed-2535-4b71-b5aa-c995d121f72e", "upload2.png", "000000070002", ExampleRC, ExampleReferringOrg, store.ThreatsFound},
	{"2a8b042f-e12e-4249-9478-37b2426a4d65", "upload3.png", "000000070002", ExampleRC, ExampleReferringOrg, store.ValidationFailed},
	{"b67faeac-065d-491b-a67e-b829c865b075", "testResultsA.pdf", "000000070004", ExampleRC, ExampleReferringOrg, store.Pending},
	{"89d0521b-057e-4d5c-8630-f5ba2728843e", "testXXXInfo.pdf", "000000070004", ExampleSPC, ExampleProviderOrg, store.ThreatsFound},
	{"874ef853-131a-48e9-8a0a-1417eaa79d8d", "moreTestXXXInfo.pdf", "000000070004", ExampleSPC, ExampleProviderOrg, store.ValidationFailed},
	// Uploaded, not yet linked: the files the write examples link.
	{"b2b22a7e-b3e9-4625-8d2c-00507bfdffb5", "provider-attachment-1.pdf", "000000070001", ExampleSPC, ExampleProviderOrg, store.Available}, // A022
	{"857b901d-1491-47d3-90e2-6c9f13f744dc", "provider-attachment-2.pdf", "000000070001", ExampleSPC, ExampleProviderOrg, store.Available}, // A022
	{"a7c98bb4-c0d0-4094-b26d-8dbd1677edc8", "condition-details.pdf", "000000070003", ExampleSPC, ExampleProviderOrg, store.Available},     // A028
	{"badaf6fc-90f4-411d-999f-04ccd79fa166", "initial-medication.pdf", adviceToConvert, ExampleSPC, ExampleProviderOrg, store.Available},   // A027
	{"38dc19ab-893f-47ca-8db0-2d0a07c0e387", "referral-letter.pdf", adviceToConvert, ExampleSPC, ExampleProviderOrg, store.Available},      // A027
}

// addExampleFiles adds the uploaded files of the examples.
func addExampleFiles(st *store.State, now time.Time) {
	for i, f := range exampleFiles {
		ct := contentTypeOf(f.name)
		b := &store.Binary{
			ID: f.id, ContentType: ct, FileName: f.name, Data: fileContent(ct, f.name),
			IntendedUBRN: f.intended, AnyRequest: f.intended == "*",
			UploadedBy: f.by, UploadedOrg: f.org, Created: now.AddDate(0, 0, -30+i), Availability: f.availability,
		}
		if b.AnyRequest {
			b.IntendedUBRN = ""
		}
		st.Binaries[b.ID] = b
	}
}
