package sandbox

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"time"

	"github.com/ers-workstation/ers-workstation/sandbox/faults"
	"github.com/ers-workstation/ers-workstation/sandbox/store"
)

// maxAdminBody bounds a fault plan.
const maxAdminBody = 64 << 10

// AdminHandler serves the admin API, for a separate listener that is off
// unless configured: POST /_admin/reset restores the seed data, GET and PUT
// /_admin/faults read and replace the fault plan, GET /_admin/state counts
// the records. It has no authentication: keep it on loopback.
func (s *Server) AdminHandler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("POST /_admin/reset", func(w http.ResponseWriter, r *http.Request) {
		s.store.Reset()
		s.log.Info("admin: state reset to the seed")
		w.WriteHeader(http.StatusNoContent)
	})
	mux.HandleFunc("GET /_admin/faults", func(w http.ResponseWriter, r *http.Request) {
		writeAdminJSON(w, http.StatusOK, s.faults.Plan())
	})
	mux.HandleFunc("PUT /_admin/faults", s.putFaults)
	mux.HandleFunc("GET /_admin/state", func(w http.ResponseWriter, r *http.Request) {
		writeAdminJSON(w, http.StatusOK, s.counts())
	})
	return mux
}

// ApplyFaultPlan makes a plan current: the injector's rules and the store's
// write hold.
func (s *Server) ApplyFaultPlan(p faults.Plan) error {
	if err := s.faults.SetPlan(p); err != nil {
		return err
	}
	s.store.SetWriteHold(time.Duration(p.WriteHold))
	return nil
}

func (s *Server) putFaults(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxAdminBody))
	var tooLarge *http.MaxBytesError
	switch {
	case errors.As(err, &tooLarge):
		writeAdminJSON(w, http.StatusRequestEntityTooLarge, map[string]string{"error": "the plan is over 64 KiB"})
		return
	case err != nil:
		writeAdminJSON(w, http.StatusBadRequest, map[string]string{"error": "the plan could not be read in full; send it again"})
		return
	}
	var p faults.Plan
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&p); err != nil {
		writeAdminJSON(w, http.StatusBadRequest, map[string]string{"error": "the plan is not valid JSON: " + err.Error()})
		return
	}
	if err := s.ApplyFaultPlan(p); err != nil {
		writeAdminJSON(w, http.StatusBadRequest, map[string]string{"error": err.Error()})
		return
	}
	s.log.Info("admin: fault plan replaced", "rules", len(p.Rules))
	writeAdminJSON(w, http.StatusOK, s.faults.Plan())
}

// stateCounts is what GET /_admin/state reports: sizes, never records.
type stateCounts struct {
	Organisations int `json:"organisations"`
	Users         int `json:"users"`
	Services      int `json:"services"`
	Slots         int `json:"slots"`
	Referrals     int `json:"referrals"`
	Appointments  int `json:"appointments"`
	Advice        int `json:"advice_requests"`
	Files         int `json:"files"`
}

func (s *Server) counts() stateCounts {
	var c stateCounts
	s.store.Read(func(st *store.State) error { //nolint:errcheck // never fails
		c = stateCounts{len(st.Orgs), len(st.Users), len(st.Services), len(st.Slots), len(st.Referrals), len(st.Appointments), len(st.Advice), len(st.Binaries)}
		return nil
	})
	return c
}

func writeAdminJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v) //nolint:errcheck // the client went away
}
