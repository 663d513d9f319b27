package broker

import (
	"encoding/base64"
	"encoding/json"
	"net/http"
	"time"
)

// The result of a remote-mode sign-in is shown at a clean gateway URL, not
// at the CIS2 callback: the callback's address keeps CIS2's code and state
// in the browser's address bar and history. The callback redirects (303)
// to DonePath with the page sealed in a short-lived cookie, so the URL
// carries nothing.

// DonePath shows the result of a remote-mode sign-in. It cannot be taken
// for a short login URL: user codes are eight consonants.
const DonePath = ShortLoginPrefix + "done"

const (
	doneCookie = "ers-done"
	// doneLifetime is long enough to reload the page once.
	doneLifetime = 2 * time.Minute
	doneAAD      = "broker/done-page"
)

// toDone sends the browser to DonePath to be shown d.
func (b *Broker) toDone(w http.ResponseWriter, r *http.Request, d pageData) {
	plain, err := json.Marshal(d)
	if err == nil {
		var sealed []byte
		if sealed, err = b.o.Sealer.Seal(plain, []byte(doneAAD)); err == nil {
			b.setCookie(w, doneCookie, base64.RawURLEncoding.EncodeToString(sealed), doneLifetime, http.SameSiteLaxMode)
		}
	}
	if err != nil { // the page can still be shown here, code and all
		b.o.Logger.Error("sealing failed", "during", "sign-in result page", "err", err)
		b.page(w, d)
		return
	}
	w.Header().Set("Referrer-Policy", "no-referrer")
	w.Header().Set("Cache-Control", "no-store")
	http.Redirect(w, r, DonePath, http.StatusSeeOther)
}

// donePage shows the page toDone sealed in the cookie, or, without one (it
// expired, or another browser), a neutral page.
func (b *Broker) donePage(w http.ResponseWriter, r *http.Request) {
	var d pageData
	if !b.openDone(r, &d) {
		d = pageData{Title: "Sign-in finished", Message: "This page shows the result of a sign-in just after it happens.",
			Next: "Return to your terminal: it shows whether you are signed in."}
	}
	b.page(w, d)
}

func (b *Broker) openDone(r *http.Request, d *pageData) bool {
	v := b.cookie(r, doneCookie)
	if v == "" {
		return false
	}
	sealed, err := base64.RawURLEncoding.DecodeString(v)
	if err != nil {
		return false
	}
	plain, err := b.o.Sealer.Open(sealed, []byte(doneAAD))
	if err != nil {
		return false
	}
	return json.Unmarshal(plain, d) == nil && d.Title != ""
}
