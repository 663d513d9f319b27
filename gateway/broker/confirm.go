package broker

import (
	"errors"
	"net/http"
	"time"

	"github.com/ers-workstation/ers-workstation/gateway/store"
)

// The browser's cookies. On an https gateway they carry the __Host- prefix
// (Secure, no Domain, Path=/); on plain-HTTP loopback (the sandbox)
// browsers refuse Secure cookies, so the names are plain.
const (
	loginCookie = "ers-login" // binds the browser that confirmed a login to the CIS2 callback
	csrfCookie  = "ers-csrf"  // double-submit token of the confirmation form
)

func (b *Broker) cookieName(name string) string {
	if b.secure {
		return "__Host-" + name
	}
	return name
}

func (b *Broker) setCookie(w http.ResponseWriter, name, value string, maxAge time.Duration, sameSite http.SameSite) {
	http.SetCookie(w, &http.Cookie{
		Name: b.cookieName(name), Value: value, Path: "/", MaxAge: int(maxAge.Seconds()),
		HttpOnly: true, Secure: b.secure, SameSite: sameSite,
	})
}

func (b *Broker) cookie(r *http.Request, name string) string {
	c, err := r.Cookie(b.cookieName(name))
	if err != nil {
		return ""
	}
	return c.Value
}

// confirmData fills confirm.html.
type confirmData struct {
	UserCode, RequestingHost, Started, CSRF, Action string
}

// pageData fills message.html.
type pageData struct {
	Title, Message, Next string
	Status               int
}

// pendingLogin finds the live, still-pending login of the short URL's code,
// or writes the page saying why there is none.
func (b *Broker) pendingLogin(w http.ResponseWriter, r *http.Request) (store.Login, bool) {
	code := normaliseUserCode(r.PathValue("code"))
	if code == "" {
		b.page(w, pageData{Status: http.StatusNotFound, Title: "Sign-in link not recognised",
			Message: "This sign-in link is not one the gateway made.", Next: "Check the address your terminal shows, or start the sign-in again there."})
		return store.Login{}, false
	}
	l, err := b.o.Store.LoginByUserCode(r.Context(), code, b.o.Now())
	switch {
	case errors.Is(err, store.ErrNotFound):
		b.page(w, pageData{Status: http.StatusNotFound, Title: "Sign-in link expired",
			Message: "This sign-in link has expired or was already used.", Next: "Start the sign-in again in your terminal: it shows a new link."})
		return store.Login{}, false
	case err != nil:
		b.o.Logger.Error("store failed", "during", "confirmation page", "err", err)
		b.page(w, pageData{Status: http.StatusServiceUnavailable, Title: "Sign-in unavailable",
			Message: "The gateway cannot reach its store.", Next: "Try again in a minute."})
		return store.Login{}, false
	case l.Status != store.LoginPending:
		b.page(w, pageData{Status: http.StatusConflict, Title: "Sign-in link already used",
			Message: "This sign-in link was already used.", Next: "Return to your terminal, or start the sign-in again there."})
		return store.Login{}, false
	}
	return l, true
}

// confirmPage shows the user code and where the sign-in was started, so a
// person sent someone else's link can tell it is not theirs.
func (b *Broker) confirmPage(w http.ResponseWriter, r *http.Request) {
	l, ok := b.pendingLogin(w, r)
	if !ok {
		return
	}
	csrf := b.token()
	b.setCookie(w, csrfCookie, csrf, b.o.LoginLifetime, http.SameSiteStrictMode)
	b.render(w, http.StatusOK, "confirm.html", confirmData{
		UserCode: l.UserCode, RequestingHost: l.RequestingHost, Started: l.Created.UTC().Format("15:04:05 UTC"),
		CSRF: csrf, Action: ShortLoginPrefix + l.UserCode,
	})
}

// confirm is the person's "yes, this is my sign-in": bind this browser to
// the login and send it to CIS2.
func (b *Broker) confirm(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		b.page(w, pageData{Status: http.StatusBadRequest, Title: "Sign-in not started", Message: "The form could not be read.", Next: "Go back and try again."})
		return
	}
	want := b.cookie(r, csrfCookie)
	if want == "" || !equal(want, r.PostForm.Get("csrf")) {
		b.page(w, pageData{Status: http.StatusForbidden, Title: "Sign-in not started",
			Message: "The confirmation did not come from this gateway's page.", Next: "Open the sign-in link from your terminal again and press Continue."})
		return
	}
	l, ok := b.pendingLogin(w, r)
	if !ok {
		return
	}
	browser := b.token()
	l.CIS2State, l.CIS2Nonce, l.CIS2Verifier = b.token(), b.token(), b.token()+b.token()
	l.BrowserHash = store.Hash(browser)
	if _, err := b.o.Store.UpdateLogin(r.Context(), l); err != nil {
		if errors.Is(err, store.ErrConflict) {
			b.page(w, pageData{Status: http.StatusConflict, Title: "Sign-in link already used",
				Message: "This sign-in was confirmed in another window.", Next: "Use that window, or start again in your terminal."})
			return
		}
		b.o.Logger.Error("store failed", "during", "confirmation", "err", err)
		b.page(w, pageData{Status: http.StatusServiceUnavailable, Title: "Sign-in unavailable", Message: "The gateway cannot reach its store.", Next: "Try again in a minute."})
		return
	}
	// Lax, not Strict: the cookie must come back on CIS2's top-level
	// redirect to the callback.
	b.setCookie(w, loginCookie, browser, b.o.LoginLifetime, http.SameSiteLaxMode)
	b.setCookie(w, csrfCookie, "", -time.Second, http.SameSiteStrictMode)
	http.Redirect(w, r, b.o.CIS2.AuthCodeURL(l.CIS2State, l.CIS2Nonce, l.CIS2Verifier), http.StatusSeeOther)
}

// page renders message.html.
func (b *Broker) page(w http.ResponseWriter, d pageData) {
	if d.Status == 0 {
		d.Status = http.StatusOK
	}
	b.render(w, d.Status, "message.html", d)
}

func (b *Broker) render(w http.ResponseWriter, status int, name string, data any) {
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	// The pages load nothing from anywhere and may not be framed; no
	// Referer leaks the short link or a code to another site. (No
	// form-action: browsers apply it to the redirect to CIS2 after the
	// form, and CIS2's origin is not the broker's to know.)
	h.Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(status)
	if err := b.pages.ExecuteTemplate(w, name, data); err != nil {
		b.o.Logger.Error("page failed", "page", name, "err", err)
	}
}
