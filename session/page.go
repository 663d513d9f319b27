package session

import (
	"html/template"
	"net/http"
)

// pageHTML is the loopback listener's answer to the browser: self-contained
// (no script, image, font or stylesheet from anywhere), so it renders the
// same offline and leaks nothing by fetching.
const pageHTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>{{.Title}} - e-RS workstation</title>
<style>
body { font-family: system-ui, sans-serif; margin: 3rem auto; max-width: 36rem; padding: 0 1rem; line-height: 1.5; }
h1 { font-size: 1.5rem; }
</style>
</head>
<body>
<h1>{{.Title}}</h1>
<p>{{.Message}}</p>
</body>
</html>
`

// writePage answers with the page. The template is parsed per answer: a
// listener serves a page or two in its life, and a package-level template
// would be a global.
func writePage(w http.ResponseWriter, status int, title, message string) {
	t := template.Must(template.New("page").Parse(pageHTML))
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'")
	w.WriteHeader(status)
	_ = t.Execute(w, struct{ Title, Message string }{title, message})
}
