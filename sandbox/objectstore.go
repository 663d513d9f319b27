package sandbox

import (
	"crypto/rand"
	"net/http"
	"strconv"
	"sync"
	"time"
)

// objectStorePath is where A042's short-lived download URLs point.
const objectStorePath = "/referrals/ObjectStore/"

// The object store's limits: a download URL lives a minute, as the live
// service's temporary locations do ("use it immediately"), and at most
// maxObjects are outstanding, so that a client looping on A042 cannot grow
// the simulator without bound.
const (
	objectTTL  = 60 * time.Second
	maxObjects = 10_000
)

// objectStore hands out short-lived, single-file download tokens: the
// stand-in for the object store A042 redirects to. Tokens are a transport
// concern, not simulated state, so they live on the wall clock (now), not
// the simulator's clock, and survive a store reset until they expire.
type objectStore struct {
	mu    sync.Mutex
	now   func() time.Time
	ttl   time.Duration
	items map[string]storedObject
}

// storedObject is one downloadable file. Data is shared with the Binary it
// came from: uploaded bytes are never changed in place.
type storedObject struct {
	data        []byte
	contentType string
	fileName    string
	expires     time.Time
}

func newObjectStore() *objectStore {
	return &objectStore{now: time.Now, ttl: objectTTL, items: map[string]storedObject{}}
}

// put stores a file and returns its random token.
func (o *objectStore) put(data []byte, contentType, fileName string) string {
	token := rand.Text()
	o.mu.Lock()
	defer o.mu.Unlock()
	now := o.now()
	if len(o.items) >= maxObjects {
		for t, obj := range o.items {
			if !now.Before(obj.expires) {
				delete(o.items, t)
			}
		}
	}
	for len(o.items) >= maxObjects { // all still live: drop any one
		for t := range o.items {
			delete(o.items, t)
			break
		}
	}
	o.items[token] = storedObject{data: data, contentType: contentType, fileName: fileName, expires: now.Add(o.ttl)}
	return token
}

// get returns the file of a live token.
func (o *objectStore) get(token string) (storedObject, bool) {
	o.mu.Lock()
	defer o.mu.Unlock()
	obj, ok := o.items[token]
	if !ok {
		return storedObject{}, false
	}
	if !o.now().Before(obj.expires) {
		delete(o.items, token)
		return storedObject{}, false
	}
	return obj, true
}

// serveObject serves a file of the object store. Like the live object
// store it needs no credentials: the token is the secret. An unknown or
// expired token is a plain 404.
func (s *Server) serveObject(w http.ResponseWriter, r *http.Request) {
	obj, ok := s.objects.get(r.PathValue("token"))
	if !ok {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.Header().Set("Cache-Control", "no-store")
		w.WriteHeader(http.StatusNotFound)
		w.Write([]byte("Not Found")) //nolint:errcheck // the client went away
		return
	}
	h := w.Header()
	h.Set("Content-Type", obj.contentType)
	h.Set("Content-Disposition", attachmentDisposition(obj.fileName))
	h.Set("Content-Length", strconv.Itoa(len(obj.data)))
	h.Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusOK)
	w.Write(obj.data) //nolint:errcheck // the client went away
}
