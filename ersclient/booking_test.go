package ersclient

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/ers-workstation/ers-workstation/ersclient/fhir"
)

func journeyHour(day, hour, min int) time.Time {
	return time.Date(2022, 7, day, hour, min, 0, 0, time.UTC)
}

func TestBookOrDeferSendsTheOfficialExamples(t *testing.T) {
	const ubrn, version, patient = "000000070000", "6", "9912003888"
	cases := []struct {
		name, example string
		send          func(context.Context, *Client) (*AppointmentView, error)
		status        string
		reason        string
	}{
		{"a minimal booking", "MinimalBooking", func(ctx context.Context, c *Client) (*AppointmentView, error) {
			return c.BookAppointment(ctx, BookRequest{UBRN: ubrn, Version: version, NHSNumber: patient, ServiceID: "11000",
				Slot: SlotView{ID: "11000021", Start: journeyHour(11, 12, 0), End: journeyHour(11, 13, 0)}})
		}, AppointmentBooked, ""},
		{"a booking with a named clinician", "BookingWithNamedClinician", func(ctx context.Context, c *Client) (*AppointmentView, error) {
			return c.BookAppointment(ctx, BookRequest{UBRN: ubrn, Version: version, NHSNumber: patient, ServiceID: "11008",
				NamedClinicianSDS: "021600556514", Slot: SlotView{ID: "11008006", Start: journeyHour(11, 13, 15), End: journeyHour(11, 14, 15)}})
		}, AppointmentBooked, ""},
		{"a deferral when there are no slots", "MinimalDeferral", func(ctx context.Context, c *Client) (*AppointmentView, error) {
			return c.DeferToProvider(ctx, DeferRequest{UBRN: ubrn, Version: version, NHSNumber: patient, ServiceID: "11021",
				Reason: NoSlotsAtService, Comment: "There are no slots"})
		}, AppointmentProposed, "NO_SLOTS_AT_SERVICE"},
		{"a deferral naming the slot that was lost", "DeferralWithSlotReference", func(ctx context.Context, c *Client) (*AppointmentView, error) {
			return c.DeferToProvider(ctx, DeferRequest{UBRN: ubrn, Version: version, NHSNumber: patient, ServiceID: "11000",
				Reason: SlotNotAvailable, LostSlotID: "11000022", Comment: "Patient can only attend at 3pm"})
		}, AppointmentProposed, "SLOT_NOT_AVAILABLE"},
		{"a deferral after a failed booking attempt", "DeferralBookingAttemptProblem", func(ctx context.Context, c *Client) (*AppointmentView, error) {
			return c.DeferToProvider(ctx, DeferRequest{UBRN: ubrn, Version: version, NHSNumber: patient, ServiceID: "11000",
				Reason: BookingAttemptProblem, Comment: "Booking failed"})
		}, AppointmentProposed, "BOOKING_ATTEMPT_PROBLEM"},
		{"a referral sent for triage", "TriageDeferral", func(ctx context.Context, c *Client) (*AppointmentView, error) {
			return c.SendForTriage(ctx, TriageRequest{UBRN: ubrn, Version: version, NHSNumber: patient, ServiceID: "50001"})
		}, AppointmentProposed, "TRIAGE"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ts := newTestServer(t, reply{Status: 201, Header: map[string]string{"ETag": `W/"1"`},
				Body: fixture(t, "stu3/bookOrDeferAppointment/responses/"+c.example+".json")})
			a, err := c.send(context.Background(), testClient(t, ts, asReferrer))
			if err != nil {
				t.Fatal(err)
			}
			r := journeyRequestOf(t, ts, asReferrer, http.MethodPost, "/FHIR/STU3/Appointment")
			if got := r.Header.Get("If-Match"); got != "" {
				t.Errorf("If-Match %q sent; A016 carries the version in the body", got)
			}
			assertJSONEqual(t, journeyFHIRBody(t, r), fixture(t, "stu3/bookOrDeferAppointment/requests/"+c.example+".json"))
			if a.ID != "70000" || a.Status != c.status || a.ReasonCode != c.reason || a.UBRN != ubrn || a.NHSNumber != patient || a.ResponseInfo.Status != http.StatusCreated {
				t.Errorf("appointment %+v", a)
			}
			if a.ResponseInfo.Version != "1" || a.Version == "" {
				t.Errorf("versions: ETag %q, appointment %q", a.ResponseInfo.Version, a.Version)
			}
			if (c.reason == "TRIAGE") != a.IsTriage() || (c.status == AppointmentProposed && c.reason != "TRIAGE") != a.IsDeferral() {
				t.Errorf("triage %v, deferral %v", a.IsTriage(), a.IsDeferral())
			}
		})
	}
}

func TestBookingASlotFromASlotPage(t *testing.T) {
	ts := newTestServer(t, reply{Status: 200, Body: fixture(t, "stu3/retrieveAppointmentSlots/responses/Page1With2Schedules.json")},
		reply{Status: 201, Body: fixture(t, "stu3/bookOrDeferAppointment/responses/BookingWithNamedClinician.json")})
	c := testClient(t, ts, asReferrer)
	page, err := c.RetrieveSlots(context.Background(), SlotQuery{ServiceID: "13000", Priority: PriorityRoutine, Count: 5, CommRuleOrg: "R68"})
	if err != nil {
		t.Fatal(err)
	}
	var slot SlotView
	for _, s := range page.Slots {
		if s.ID == "11000021" {
			slot = s
		}
	}
	a, err := c.BookAppointment(context.Background(), BookRequest{UBRN: "000000070000", Version: "6", NHSNumber: "9912003888", Slot: slot})
	if err != nil {
		t.Fatal(err)
	}
	var sent fhir.Appointment
	if err := fhir.Unmarshal(ts.last().Body, &sent); err != nil {
		t.Fatal(err)
	}
	// e-RS's own time strings go back unchanged, and the schedule's
	// clinician is named.
	if sent.Start != "2021-05-23T04:59:43.956Z" || sent.End != "2021-05-23T05:59:43.956Z" {
		t.Errorf("sent start %s end %s", sent.Start, sent.End)
	}
	if len(sent.Participant) != 3 || sent.Participant[0].Actor.Identifier.Value != "13000" ||
		sent.Participant[2].Actor.Identifier.Value != "921600556514" || sent.Participant[2].Type.Items[0].Coding[0].Code != "CON" {
		t.Errorf("participants sent %s", ts.last().Body)
	}
	if a.ClinicianSDS != "021600556514" || a.ServiceName != "FIRST Cardiology Business Service" || len(a.SlotIDs) != 1 {
		t.Errorf("booked appointment %+v", a)
	}
}

func TestBookOrDeferRefusesBadInputBeforeSending(t *testing.T) {
	slot := SlotView{ID: "11000021", Start: journeyHour(11, 12, 0), End: journeyHour(11, 13, 0)}
	book := BookRequest{UBRN: "000000070000", Version: "6", NHSNumber: "9990000018", ServiceID: "11000", Slot: slot}
	deferReq := DeferRequest{UBRN: "000000070000", Version: "6", NHSNumber: "9990000018", ServiceID: "11000", Reason: NoSlotsAtService}
	cases := []struct {
		name string
		send func(*Client) error
	}{
		{"a booking without the referral's version", func(c *Client) error {
			r := book
			r.Version = ""
			_, err := c.BookAppointment(context.Background(), r)
			return err
		}},
		{"a booking for an invalid NHS number", func(c *Client) error {
			r := book
			r.NHSNumber = "9990000017"
			_, err := c.BookAppointment(context.Background(), r)
			return err
		}},
		{"a booking without a slot", func(c *Client) error {
			r := book
			r.Slot = SlotView{}
			_, err := c.BookAppointment(context.Background(), r)
			return err
		}},
		{"a booking of a slot without times", func(c *Client) error {
			r := book
			r.Slot = SlotView{ID: "1"}
			_, err := c.BookAppointment(context.Background(), r)
			return err
		}},
		{"a booking of a slot that ends before it starts", func(c *Client) error {
			r := book
			r.Slot.End = r.Slot.Start.Add(-time.Hour)
			_, err := c.BookAppointment(context.Background(), r)
			return err
		}},
		{"a booking of another service's slot", func(c *Client) error {
			r := book
			r.Slot.ServiceID = "12000"
			_, err := c.BookAppointment(context.Background(), r)
			return err
		}},
		{"a booking naming another clinician than the slot's", func(c *Client) error {
			r := book
			r.Slot.ClinicianSDS, r.NamedClinicianSDS = "921600556514", "021600556514"
			_, err := c.BookAppointment(context.Background(), r)
			return err
		}},
		{"a booking without a service", func(c *Client) error {
			r := book
			r.ServiceID = ""
			_, err := c.BookAppointment(context.Background(), r)
			return err
		}},
		{"a deferral without a reason", func(c *Client) error {
			r := deferReq
			r.Reason = ""
			_, err := c.DeferToProvider(context.Background(), r)
			return err
		}},
		{"a deferral with the triage reason", func(c *Client) error {
			r := deferReq
			r.Reason = "TRIAGE"
			_, err := c.DeferToProvider(context.Background(), r)
			return err
		}},
		{"a lost slot with another reason than SLOT_NOT_AVAILABLE", func(c *Client) error {
			r := deferReq
			r.LostSlotID = "11000022"
			_, err := c.DeferToProvider(context.Background(), r)
			return err
		}},
		{"a triage request without a UBRN", func(c *Client) error {
			_, err := c.SendForTriage(context.Background(), TriageRequest{Version: "6", NHSNumber: "9990000018", ServiceID: "50001"})
			return err
		}},
	}
	for _, c := range cases {
		t.Run(c.name+" is refused", func(t *testing.T) {
			ts := newTestServer(t)
			journeyRefusedBeforeSending(t, ts, c.send(testClient(t, ts, asReferrer)))
		})
	}
}

func TestBookOrDeferErrors(t *testing.T) {
	book := BookRequest{UBRN: "000000070000", Version: "6", NHSNumber: "9990000018", ServiceID: "11000",
		Slot: SlotView{ID: "11000021", Start: journeyHour(11, 12, 0), End: journeyHour(11, 13, 0)}}
	deferral := DeferRequest{UBRN: "000000070000", Version: "6", NHSNumber: "9990000018", ServiceID: "11000", Reason: NoSlotsAtService}
	cases := []struct {
		name     string
		reply    reply
		deferral bool
		check    func(error) bool
	}{
		{name: "a deferral while slots are free is refused", deferral: true,
			reply: reply{Status: 422, Body: journeyOutcome("SLOTS_CURRENTLY_AVAILABLE", "business-rule", "slots are available")},
			check: func(err error) bool { return IsBusinessRule(err, "SLOTS_CURRENTLY_AVAILABLE") }},
		{name: "a slot taken meanwhile", reply: reply{Status: 422, Body: journeyOutcome("SLOT_NOT_AVAILABLE", "business-rule", "")},
			check: func(err error) bool { return IsBusinessRule(err, "SLOT_NOT_AVAILABLE") }},
		{name: "a stale referral version in the body is a conflict", reply: reply{Status: 409}, check: IsVersionConflict},
		{name: "a locked referral", reply: reply{Status: 423}, check: IsLocked},
		{name: "a PAS error leaves the booking unknown", reply: reply{Status: 502, Body: fixture(t, "stu3/PasRespondedWithErrorOperationOutcome.json")},
			check: func(err error) bool { return IsOutcomeUnknown(err) && HasCode(err, "PAS_RESPONDED_WITH_ERROR") }},
		{name: "a PAS timeout leaves the booking unknown", reply: reply{Status: 504, Body: fixture(t, "stu3/PasNotRespondingOperationOutcome.json")},
			check: func(err error) bool { return IsOutcomeUnknown(err) && HasCode(err, "PAS_NOT_RESPONDING") }},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ts := newTestServer(t, c.reply)
			cl := testClient(t, ts, asReferrer)
			var err error
			if c.deferral {
				_, err = cl.DeferToProvider(context.Background(), deferral)
			} else {
				_, err = cl.BookAppointment(context.Background(), book)
			}
			if err == nil || !c.check(err) {
				t.Errorf("error %v does not match", err)
			}
			if len(ts.Requests) != 1 {
				t.Errorf("%d requests; a booking is never repeated", len(ts.Requests))
			}
		})
	}
	t.Run("a booking is never retried", func(t *testing.T) {
		journeyNotRetried(t, asReferrer, func(c *Client) error { _, err := c.BookAppointment(context.Background(), book); return err })
	})
	t.Run("a deferral is never retried", func(t *testing.T) {
		journeyNotRetried(t, asReferrer, func(c *Client) error { _, err := c.DeferToProvider(context.Background(), deferral); return err })
	})
	t.Run("a triage request is never retried", func(t *testing.T) {
		journeyNotRetried(t, asReferrer, func(c *Client) error {
			_, err := c.SendForTriage(context.Background(), TriageRequest{UBRN: "000000070000", Version: "6", NHSNumber: "9990000018", ServiceID: "50001"})
			return err
		})
	})
}
