package actions

import (
	"os"

	"github.com/ers-workstation/ers-workstation/ui/components/attach"
)

// homeDir is where the file picker starts, and "~/" in a typed path.
func homeDir() (string, error) { return os.UserHomeDir() }

// keepIDs gives the files still chosen the upload ids of a write's attempt,
// so sending again after a failure or a conflict links the same uploads
// instead of uploading twice.
func keepIDs(chosen, uploaded []attach.File) []attach.File {
	ids := make(map[string]string, len(uploaded))
	for _, f := range uploaded {
		if f.ID != "" {
			ids[f.Path] = f.ID
		}
	}
	out := append([]attach.File(nil), chosen...)
	for i, f := range out {
		if f.ID == "" {
			out[i].ID = ids[f.Path]
		}
	}
	return out
}

// attachRows is the height of the attachments: the files chosen (and a
// refusal), or, while the picker is open, as much as the form can spare.
func (m *Model) attachRows() int {
	if m.f.att.Capturing() {
		return max(m.height-12, 6)
	}
	n := max(len(m.f.att.Files()), 1)
	if m.f.att.Problem() != "" {
		n++
	}
	return n
}
