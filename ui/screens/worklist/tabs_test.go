package worklist

import (
	"fmt"
	"testing"

	"github.com/ers-workstation/ers-workstation/ersclient"
	"github.com/ers-workstation/ers-workstation/session"
)

func TestTabsFollowTheRole(t *testing.T) {
	tests := []struct {
		bf   string
		want []ersclient.WorklistType
	}{
		{"SERVICE_PROVIDER_ADMIN", providerLists()},
		{"SERVICE_PROVIDER_CLINICIAN", providerLists()},
		{"SERVICE_PROVIDER_CLINICIAN_ADMIN", providerLists()},
		{"REFERRING_CLINICIAN", referrerLists()},
		{"REFERRING_ADMIN", referrerLists()},
		{"REFERRING_CLINICIAN_ADMIN", referrerLists()},
		{"COMMISSIONER", nil},
	}
	for _, tt := range tests {
		t.Run(tt.bf, func(t *testing.T) {
			got := ListsFor(session.Role{BusinessFunction: tt.bf})
			if fmt.Sprint(got) != fmt.Sprint(tt.want) {
				t.Errorf("lists %v, want %v", got, tt.want)
			}
			if HasLists(session.Role{BusinessFunction: tt.bf}) != (len(tt.want) > 0) {
				t.Error("HasLists disagrees")
			}
			m := New(common(nil), identity(tt.bf))
			if len(m.tabs) != len(tt.want) {
				t.Errorf("%d tabs", len(m.tabs))
			}
		})
	}
	if got := len(New(common(nil), nil).tabs); got != 7 {
		t.Errorf("with no role known, %d tabs, want all 7", got)
	}
}

func TestCellsAreWordsAndFormattedNumbers(t *testing.T) {
	r := reviewRows(3)[2]
	r.RequestContextStatus = ersclient.ContextLetterChanged
	c := cells(&r, r.PathwayStart.AddDate(0, 0, 10), "")
	want := map[int]string{
		colUBRN: "000000100003", colNHS: r.NHSNumber[:3] + " " + r.NHSNumber[3:6] + " " + r.NHSNumber[6:],
		colPriority: "TWO WEEK WAIT", colSpecialty: "Cardiology", colService: "Cardiology OPD",
		colType: "Booked", colState: "Awaiting review", colStart: "2026-10-03", colDays: "10",
		colClinInfo: "Letter changed", colClinician: "555000000102",
	}
	for col, w := range want {
		if c[col] != w {
			t.Errorf("column %d is %q, want %q", col, c[col], w)
		}
	}
	if mark(&r, "") != 1 { // grid.Attention
		t.Errorf("a two week wait is not marked for attention")
	}
	if got := cells(&r, r.PathwayStart, "Accepted")[colState]; got != "Accepted" {
		t.Errorf("the note does not replace the state: %q", got)
	}
	referrer := ersclient.WorklistRow{UBRN: "000000200001", ListType: ersclient.WorklistAssessmentReturnedCancelledDNA,
		StatusCode: "CANCELLED_REFERRAL", ReasonCode: "PATIENT_CHOICE", ClinicalContext: "ORTHOPAEDICS/KNEE", Referrer: "555000000201"}
	c = cells(&referrer, r.PathwayStart, "")
	if c[colState] != "Cancelled referral: Patient choice" || c[colSpecialty] != "ORTHOPAEDICS/KNEE" || c[colClinician] != "555000000201" {
		t.Errorf("referrer row cells %q", c)
	}
}

func TestNHSNumbersOfTheTestsAreValid(t *testing.T) {
	for i := 1; i < 50; i++ {
		if n := nhsNumber(i); !ersclient.ValidNHSNumber(n) || n[:3] != "999" {
			t.Fatalf("%s", n)
		}
	}
}

func TestFiltersGoIntoTheQueryOfProviderListsOnly(t *testing.T) {
	yes := true
	f := filters{service: "1001", serviceName: "Cardiology OPD", clinicianAssigned: &yes}
	q := f.query(ersclient.WorklistReferralsForReview)
	if q.Service != "1001" || q.ClinicianAssigned == nil || !*q.ClinicianAssigned {
		t.Errorf("provider query %#v", q)
	}
	if q := f.query(ersclient.WorklistAwaitingBooking); q.Service != "" || q.ClinicianAssigned != nil {
		t.Errorf("referrer query carries filters: %#v", q)
	}
	if aq := f.adviceQuery(); aq.Service != "1001" {
		t.Errorf("advice query %#v", aq)
	}
	if got := fmt.Sprint(f.describe()); got != "[service Cardiology OPD clinician assigned]" {
		t.Errorf("described as %s", got)
	}
}

func TestStaysOnTheListAfterAChange(t *testing.T) {
	sum := func(state string) *ersclient.ReferralSummary {
		return &ersclient.ReferralSummary{State: ersclient.CodeText{Code: state}}
	}
	cancelled := &ersclient.ReferralSummary{Status: "cancelled"}
	tests := []struct {
		list   ersclient.WorklistType
		sum    *ersclient.ReferralSummary
		action string
		want   bool
	}{
		{ersclient.WorklistReferralsForReview, sum(ersclient.ReferralStateBooked), "Accepted", false},
		{ersclient.WorklistReferralsForReview, sum(ersclient.ReferralStateBooked), "", true},
		{ersclient.WorklistReferralsForReview, sum(ersclient.ReferralStateRejected), "", false},
		{ersclient.WorklistAppointmentSlotIssues, sum(ersclient.ReferralStateDeferredToProvider), "Noted", true},
		{ersclient.WorklistAppointmentSlotIssues, sum(ersclient.ReferralStateTriagedProviderToAction), "Review outcome", false},
		{ersclient.WorklistAwaitingBooking, cancelled, "Cancelled", false},
		{ersclient.WorklistAssessmentReturnedCancelledDNA, cancelled, "Cancelled", true},
		{ersclient.WorklistAwaitingBooking, sum(ersclient.ReferralStateNotBooked), "x", true},
	}
	for _, tt := range tests {
		if got := stays(tt.list, tt.sum, tt.action); got != tt.want {
			t.Errorf("%s after %q: stays %v, want %v", tt.list, tt.action, got, tt.want)
		}
	}
}
