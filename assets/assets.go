// Package assets holds the files the programs serve to browsers, embedded in
// the binary so they run with no files beside them: the mock CIS2's pages
// (for the local simulator only: nothing there is a real NHS page) and the
// gateway's sign-in pages.
package assets

import (
	"embed"
	"io/fs"
)

//go:embed cis2/*.html gateway/*.html
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

// Gateway is the gateway's sign-in pages (html/template syntax): layout.html
// (the shared head), confirm.html (the user code and the requesting host,
// before the browser goes to CIS2) and message.html (every outcome: signed
// in, cancelled, expired, refused).
func Gateway() fs.FS {
	sub, err := fs.Sub(files, "gateway")
	if err != nil {
		panic(err) // the directory is embedded above: cannot happen
	}
	return sub
}
