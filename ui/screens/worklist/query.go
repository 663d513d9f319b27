package worklist

import (
	"context"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/ers-workstation/ers-workstation/ersclient"
	"github.com/ers-workstation/ers-workstation/ersclient/fhir"
	"github.com/ers-workstation/ers-workstation/ui/screen"
)

// filters are the provider filters of A008 and A023, as chosen in the
// picker. The names are what the picker showed, for the line above the
// grid; e-RS gets only the codes.
type filters struct {
	service, serviceName     string
	specialtyAssigned        *bool
	specialty                fhir.Coding
	specialtyName            string
	location                 string
	clinicianAssigned        *bool
	clinician, clinicianName string
}

// query is A008's request for a list; the referrer lists take no filters.
func (f filters) query(l ersclient.WorklistType) ersclient.WorklistQuery {
	q := ersclient.WorklistQuery{ListType: l}
	if l.ForProvider() {
		q.Service, q.SpecialtyAssigned, q.Specialty = f.service, f.specialtyAssigned, f.specialty
		q.Location, q.ClinicianAssigned, q.Clinician = f.location, f.clinicianAssigned, f.clinician
	}
	return q
}

// adviceQuery is A023's request.
func (f filters) adviceQuery() ersclient.AdviceWorklistQuery {
	return ersclient.AdviceWorklistQuery{
		Service: f.service, SpecialtyAssigned: f.specialtyAssigned, Specialty: f.specialty,
		Location: f.location, ClinicianAssigned: f.clinicianAssigned, Clinician: f.clinician,
	}
}

// describe is the filters in words, one item each, for the line above the
// grid.
func (f filters) describe() []string {
	var out []string
	if f.service != "" {
		out = append(out, "service "+first(f.serviceName, f.service))
	}
	switch {
	case f.specialty.Code != "":
		out = append(out, "specialty "+first(f.specialtyName, f.specialty.Code))
	case f.specialtyAssigned != nil && *f.specialtyAssigned:
		out = append(out, "specialty assigned")
	case f.specialtyAssigned != nil:
		out = append(out, "no specialty assigned")
	}
	if f.location != "" {
		out = append(out, "location "+f.location)
	}
	switch {
	case f.clinician != "":
		out = append(out, "clinician "+first(f.clinicianName, f.clinician))
	case f.clinicianAssigned != nil && *f.clinicianAssigned:
		out = append(out, "clinician assigned")
	case f.clinicianAssigned != nil:
		out = append(out, "no clinician assigned")
	}
	return out
}

// loadedMsg is a list's reply, for the request reqID of that list.
type loadedMsg struct {
	list  ersclient.WorklistType
	reqID int
	wl    *ersclient.Worklist
	err   error
	at    time.Time
}

// fetch asks e-RS for one list with the filters: A023 for advice and
// guidance, A008 for the others.
func fetch(c screen.Common, l ersclient.WorklistType, f filters, reqID int) tea.Cmd {
	ers, timeout, now := c.ERS, c.Timeout, c.Now
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(context.Background(), timeout)
		defer cancel()
		var wl *ersclient.Worklist
		var err error
		if l == ersclient.WorklistAdviceAndGuidanceRequests {
			wl, err = ers.RetrieveAdviceWorklist(ctx, f.adviceQuery())
		} else {
			wl, err = ers.RetrieveWorklist(ctx, f.query(l))
		}
		return loadedMsg{list: l, reqID: reqID, wl: wl, err: err, at: now()}
	}
}
