package assets

import (
	"html/template"
	"io/fs"
	"strings"
	"testing"
)

func TestTheCIS2TemplatesParseAndLoadNothingExternal(t *testing.T) {
	for _, name := range []string{"signin.html", "error.html", "signedout.html"} {
		t.Run(name, func(t *testing.T) {
			b, err := fs.ReadFile(CIS2(), name)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := template.ParseFS(CIS2(), "layout.html", name); err != nil {
				t.Fatal(err)
			}
			layout, err := fs.ReadFile(CIS2(), "layout.html")
			if err != nil {
				t.Fatal(err)
			}
			s := string(layout) + string(b)
			for _, bad := range []string{"<script", "<link", "src=", "http://", "https://", "@import"} {
				if strings.Contains(s, bad) {
					t.Errorf("%s contains %q: no external resources or scripts allowed", name, bad)
				}
			}
			if !strings.Contains(s, `<html lang="en-GB">`) || !strings.Contains(s, "<h1>") || !strings.Contains(s, "<main") {
				t.Errorf("%s lacks lang, h1 or main", name)
			}
		})
	}
}

// Every page shows the banner that says it is not a real NHS service, and
// carries the shared style, once the layout is parsed with it.
func TestEveryCIS2PageShowsTheMockBanner(t *testing.T) {
	data := map[string]any{"Title": "t", "Message": "m", "ClientID": "c"}
	for _, name := range []string{"signin.html", "error.html", "signedout.html"} {
		tpl, err := template.ParseFS(CIS2(), "layout.html", name)
		if err != nil {
			t.Fatal(err)
		}
		var b strings.Builder
		if err := tpl.ExecuteTemplate(&b, name, data); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if !strings.Contains(b.String(), "not a real service") || !strings.Contains(b.String(), "font-family: Arial") {
			t.Errorf("%s lacks the banner or the shared style:\n%s", name, b.String())
		}
	}
}
