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
			if _, err := template.New(name).Parse(string(b)); err != nil {
				t.Fatal(err)
			}
			s := string(b)
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
