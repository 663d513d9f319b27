package sandbox

import "net/http"

// Stub, replaced by H1.

// objectStorePath is where A042's short-lived download URLs point.
const objectStorePath = "/referrals/ObjectStore/"

// objectStore hands out short-lived, single-file download tokens.
type objectStore struct{}

func newObjectStore() *objectStore { return &objectStore{} }

func (s *Server) serveObject(w http.ResponseWriter, r *http.Request) { http.NotFound(w, r) }
