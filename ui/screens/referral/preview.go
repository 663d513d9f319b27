package referral

import "github.com/ers-workstation/ers-workstation/ui/components/document"

// previewOf is the text of a downloaded file for the preview pane, or a
// note saying why there is none: the document component reads PDFs and
// text files and strips what a terminal would act on.
func previewOf(data []byte, contentType, name string) ([]string, string) {
	return document.Preview(data, contentType, name)
}
