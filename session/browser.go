package session

import (
	"io"
	"sync"

	"github.com/pkg/browser"
)

// quietBrowser silences github.com/pkg/browser once per process. Its output
// goes to the package variables browser.Stdout and browser.Stderr, which
// default to the terminal the TUI owns; setting them is the library's only
// way to discard what xdg-open prints. They are process-wide, so they are
// set once, here, and nowhere else.
var quietBrowser sync.Once

// openSystemBrowser opens url in the system browser with its output
// discarded.
func openSystemBrowser(url string) error {
	quietBrowser.Do(func() {
		browser.Stdout = io.Discard
		browser.Stderr = io.Discard
	})
	return browser.OpenURL(url)
}
