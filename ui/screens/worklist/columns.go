package worklist

import (
	"cmp"
	"strconv"
	"strings"
	"time"

	"github.com/ers-workstation/ers-workstation/ersclient"
	"github.com/ers-workstation/ers-workstation/ui/components/grid"
)

// The columns, in display order.
const (
	colUBRN = iota
	colNHS
	colPriority
	colSpecialty
	colService
	colType
	colState
	colStart
	colDays
	colDue
	colClinInfo
	colClinician
	numCols
)

// columns are the grid's columns for one tab. Compare reads the tab's rows
// (the slice given to the grid with SetRows), so dates, days and priority
// sort by value, not by text. Narrow terminals drop the highest Drop first:
// who is assigned and the referral type go before the state or the
// waiting time; UBRN, NHS number and priority never go.
func columns(t *tab) []grid.Column {
	byTime := func(f func(*ersclient.WorklistRow) time.Time) func(a, b int) int {
		return func(a, b int) int { return f(&t.rows[a]).Compare(f(&t.rows[b])) }
	}
	return []grid.Column{
		colUBRN:      {Title: "UBRN", Width: 12},
		colNHS:       {Title: "NHS number", Width: 12},
		colPriority:  {Title: "Priority", Width: 13, Compare: func(a, b int) int { return cmp.Compare(t.rows[a].Priority.Rank(), t.rows[b].Priority.Rank()) }},
		colSpecialty: {Title: specialtyTitle(t.list), Width: 16, MinWidth: 10, Drop: 3},
		colService:   {Title: "Service", Width: 18, MinWidth: 10, Drop: 8},
		colType:      {Title: "Type", Width: 6, Drop: 9},
		colState:     {Title: "State", Width: 22, MinWidth: 12, Drop: 4},
		colStart:     {Title: startTitle(t.list), Width: 10, Drop: 7, Compare: byTime(startOf)},
		// more days waiting is an earlier start, whatever the clock says
		colDays: {Title: "Days", Width: 4, Drop: 2, Align: grid.Right,
			Compare: func(a, b int) int { return startOf(&t.rows[b]).Compare(startOf(&t.rows[a])) }},
		colDue:       {Title: dueTitle(t.list), Width: 16, Drop: 5, Compare: byTime(dueOf)},
		colClinInfo:  {Title: "Clinical info", Width: 16, MinWidth: 14, Drop: 6},
		colClinician: {Title: clinicianTitle(t.list), Width: 12, Drop: 10},
	}
}

func specialtyTitle(l ersclient.WorklistType) string {
	if l.ForProvider() {
		return "Specialty"
	}
	return "Clinical context"
}

func startTitle(l ersclient.WorklistType) string {
	switch {
	case l == ersclient.WorklistAdviceAndGuidanceRequests:
		return "Requested"
	case l.ForProvider():
		return "Pathway"
	}
	return "Created"
}

func dueTitle(l ersclient.WorklistType) string {
	switch l {
	case ersclient.WorklistReferralsForReview:
		return "Appointment"
	case ersclient.WorklistAppointmentSlotIssues:
		return "Contact by"
	case ersclient.WorklistLettersOutstanding:
		return "Letter due"
	case ersclient.WorklistAdviceAndGuidanceRequests:
		return "Last updated"
	}
	return "Last updated"
}

func clinicianTitle(l ersclient.WorklistType) string {
	if l.ForProvider() {
		return "Clinician"
	}
	return "Referrer"
}

// startOf is the date waiting counts from: the pathway start, or when the
// referral or request was made where the list has no pathway start.
func startOf(r *ersclient.WorklistRow) time.Time {
	if !r.PathwayStart.IsZero() {
		return r.PathwayStart
	}
	return r.ReferralCreated
}

// dueOf is the one date the list is about: the appointment, the contact-by
// or letter-due date, else the last update.
func dueOf(r *ersclient.WorklistRow) time.Time {
	for _, t := range []time.Time{r.AppointmentStart, r.ContactBy, r.LetterDue, r.LastUpdated} {
		if !t.IsZero() {
			return t
		}
	}
	return time.Time{}
}

// cells are a row's texts, one per column; the grid pads and cuts them.
func cells(r *ersclient.WorklistRow, now time.Time, note string) []string {
	c := make([]string, numCols)
	c[colUBRN] = r.UBRN
	c[colNHS] = ersclient.FormatNHSNumber(r.NHSNumber)
	c[colPriority] = r.Priority.Label()
	c[colSpecialty] = first(r.SpecialtyDisplay, words(r.SpecialtyCode), r.ClinicalContext)
	c[colService] = first(r.ServiceName, r.ServiceID)
	c[colType] = typeText(r)
	c[colState] = stateText(r)
	if note != "" {
		c[colState] = note
	}
	c[colStart] = date(startOf(r))
	if d := r.DaysWaiting(now); d > 0 || !r.PathwayStart.IsZero() {
		c[colDays] = strconv.Itoa(d)
	}
	c[colDue] = dueText(r)
	c[colClinInfo] = clinInfoText(r)
	c[colClinician] = first(r.AllocatedClinician, r.NamedClinician, r.Referrer)
	return c
}

// mark is the row's emphasis, shown as a glyph as well as a style: a row
// an action just changed, a two-week-wait referral, a letter changed since
// the last review.
func mark(r *ersclient.WorklistRow, note string) grid.Mark {
	switch {
	case note != "":
		return grid.Done
	case r.Priority == ersclient.PriorityTwoWeekWait:
		return grid.Attention
	case r.ClinicalInfoChanged():
		return grid.Changed
	}
	return grid.None
}

func typeText(r *ersclient.WorklistRow) string {
	switch {
	case r.Kind == ersclient.RequestKindAdvice:
		return "Advice"
	case r.ReferralType == ersclient.ReferralTypeAppointment:
		return "Booked"
	case r.ReferralType == ersclient.ReferralTypeTriageDeferral:
		return "Triage"
	}
	return words(string(r.ReferralType))
}

// stateText is the state and its reason; on REFERRALS_FOR_REVIEW, which
// carries neither, what the provider has to do.
func stateText(r *ersclient.WorklistRow) string {
	state := first(r.StatusDisplay, words(r.StatusCode))
	reason := first(r.ReasonDisplay, words(r.ReasonCode))
	switch {
	case state != "" && reason != "":
		return state + ": " + reason
	case state != "" || reason != "":
		return state + reason
	case r.ListType == ersclient.WorklistReferralsForReview:
		return "Awaiting review"
	}
	return ""
}

func dueText(r *ersclient.WorklistRow) string {
	if !r.AppointmentStart.IsZero() {
		return r.AppointmentStart.Format("2006-01-02 15:04")
	}
	return date(dueOf(r))
}

// clinInfoText says what changed since the last review, or the letter's
// status on lists that report it instead.
func clinInfoText(r *ersclient.WorklistRow) string {
	s := r.RequestContextStatus
	switch {
	case s.LetterChanged() && s.PriorityChanged():
		return "Letter, priority"
	case s.LetterChanged():
		return "Letter changed"
	case s.PriorityChanged():
		return "Priority changed"
	case s == ersclient.ContextNeverReviewed:
		return "New"
	}
	return words(r.ClinicalInfoStatus)
}

func date(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format("2006-01-02")
}

// words turns a code such as NOT_DUE into "Not due".
func words(code string) string {
	if code == "" {
		return ""
	}
	s := strings.ToLower(strings.ReplaceAll(code, "_", " "))
	return strings.ToUpper(s[:1]) + s[1:]
}

func first(s ...string) string {
	for _, v := range s {
		if v != "" {
			return v
		}
	}
	return ""
}
