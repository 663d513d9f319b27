package ersclient

import (
	"os"
	"path/filepath"
	"testing"
	"time"
)

// FuzzDecodeWorklist feeds arbitrary bytes to the worklist decoder: it must
// return rows or an error, never panic, and every row it returns must be
// usable by a table (its methods must not panic either). The seed corpus
// runs with the ordinary tests.
func FuzzDecodeWorklist(f *testing.F) {
	f.Add([]byte(worklistHandWritten))
	small, _ := worklistSyntheticBody(3)
	f.Add(small)
	f.Add([]byte(`{"resourceType":"List"}`))
	f.Add([]byte(`{"resourceType":"List","contained":[{"resourceType":"Patient","id":"Patient-1","identifier":7}],"entry":[{"item":{"reference":"#"}}]}`))
	f.Add([]byte(`{"resourceType":"List","entry":[{"extension":[{"url":"x","extension":[{"url":"patient","valueReference":{"reference":"#Patient-"}},{"url":"referralRequestVersion","valueString":"9"}]}],"item":{"reference":"CommunicationRequest/"}}]}`))
	f.Add([]byte(`{"resourceType":"List","contained":[{"resourceType":"Patient","id":"Patient-9990000018","identifier":[{"value":{}}]}]}`))
	// The official bodies, when ../shared is there.
	for _, name := range []string{"ReferralsForReview.json", "AppointmentSlotIssues.json"} {
		if b, err := os.ReadFile(filepath.Join(sharedMocks, "stu3/retrieveWorklist/responses", name)); err == nil {
			f.Add(b)
		}
	}
	now := time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, data []byte) {
		w, err := DecodeWorklist(data)
		if err != nil {
			if w != nil {
				t.Fatal("an error came with a worklist")
			}
			return
		}
		if w.List == nil || len(w.Rows) != len(w.List.Entry) {
			t.Fatalf("%d rows for %d entries", len(w.Rows), len(w.List.Entry))
		}
		for _, r := range w.Rows {
			if r.DaysWaiting(now) < 0 {
				t.Fatalf("negative days waiting for %+v", r)
			}
			_ = r.ClinicalInfoChanged()
			_ = r.NeedsVersionLookup()
			_ = r.Priority.Label()
			_ = r.ListType.Label()
		}
	})
}
