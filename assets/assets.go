// Package assets holds the files the simulators serve to browsers, embedded
// in the binary so a mock runs with no files beside it. It is for the local
// mocks only: nothing here is a real NHS page.
package assets

import (
	"embed"
	"io/fs"
)

//go:embed cis2/*.html
var files embed.FS

// CIS2 is the mock CIS2 sign-in templates (html/template syntax):
// layout.html, the style and banner every page shares (parse it with the
// page), signin.html, the persona and authenticator picker, error.html, the
// page for authorize and end-session errors that cannot be redirected to
// the client, and signedout.html, the end-session page shown when there is
// no post_logout_redirect_uri.
func CIS2() fs.FS {
	sub, err := fs.Sub(files, "cis2")
	if err != nil {
		panic(err) // the directory is embedded above: cannot happen
	}
	return sub
}
