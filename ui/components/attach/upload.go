package attach

import (
	"context"
	"os"

	"github.com/ers-workstation/ers-workstation/ersclient"
	"github.com/ers-workstation/ers-workstation/ui/screen"
)

// UploadAll uploads (A020) the files not uploaded yet, naming the referral
// or A&G request ubrn so e-RS lets them be linked to it ("" for a new A&G
// request, which has no UBRN yet). It returns every file, with the IDs of
// those uploaded so far; on failure, the name of the file that failed and
// the error. A file with an ID is never uploaded again.
func UploadAll(ctx context.Context, ers screen.ERS, ubrn string, files []File) (out []File, failed string, err error) {
	out = append([]File(nil), files...)
	for i, f := range out {
		if f.ID != "" {
			continue
		}
		fh, err := os.Open(f.Path)
		if err != nil {
			return out, f.Name, err
		}
		up, err := ers.UploadFile(ctx, ersclient.Upload{FileName: f.Name, ReferralID: ubrn, Body: fh, Size: f.Size})
		_ = fh.Close()
		if err != nil {
			return out, f.Name, err
		}
		out[i].ID = up.AttachmentID
	}
	return out, "", nil
}

// Links are the uploaded files as a write takes them (A012, A022, A026,
// A027, A028, A044). Files not uploaded are left out.
func Links(files []File) []ersclient.FileLink {
	var out []ersclient.FileLink
	for _, f := range files {
		if f.ID == "" {
			continue
		}
		out = append(out, ersclient.FileLink{BinaryID: f.ID, Description: f.Name})
	}
	return out
}
