package seed

import (
	"encoding/hex"
	"math/rand/v2"
	"time"

	"github.com/ers-workstation/ers-workstation/sandbox/refdata"
	"github.com/ers-workstation/ers-workstation/sandbox/store"
)

// SyntheticOptions configure Synthetic.
type SyntheticOptions struct {
	// Seed picks the data set: the same seed and options give the same
	// data, record for record.
	Seed int64
	// Referrals is how many referrals to make (default 1,000), Services how
	// many services (default one per 20 referrals, at least 8).
	Referrals, Services int
	// Now is the clock the data are built around: referrals were created
	// before it, free slots lie in the six weeks after it. Zero means the
	// current time, which makes the data differ from one day to the next.
	Now time.Time
}

// The defaults and bounds of SyntheticOptions.
const (
	defaultSyntheticReferrals = 1000
	referralsPerService       = 20
	minSyntheticServices      = 8
)

// Synthetic returns a generated data set: referring practices and provider
// trusts with users in every role, services across the reference data's
// specialties and clinic types with sites, coordinates, waits and every
// request flow, slots over the coming six weeks, referrals in every state
// and on every worklist (with appointments, letters and history) and advice
// and guidance conversations of several turns with attachments, some of
// them unavailable.
//
// It is deterministic: math/rand/v2 seeded with opts.Seed drives every
// choice, including the UUIDs, and nothing depends on map order. NHS
// numbers are in the 999 test range with valid check digits. 100,000
// referrals take well under a few seconds (see BenchmarkSynthetic100000).
func Synthetic(opts SyntheticOptions) *store.State {
	g := newGenerator(opts)
	g.addPeople()
	g.addServices()
	g.addFreeSlots()
	g.addAdvice()
	g.addReferrals()
	addSlots(g.st, g.slots)
	return g.st
}

// generator holds what the synthetic data set is built from and with.
type generator struct {
	now      time.Time
	rng      *rand.Rand
	ref      *refdata.Set
	st       *store.State
	patients nhsNumbers

	referrals, services int

	practices     []*practice
	trusts        []*trust
	commissioners []string

	// Services by how referrals reach them; bySpecialty holds the
	// bookable and triage ones, for shortlists.
	dbs, ibs, triage, advice []*store.Service
	bySpecialty              map[string][]*store.Service
	// referable are the services a referral can go to: directly bookable
	// and triage.
	referable []*store.Service

	// slots collects every slot, added to the state in start order at the
	// end; free holds the future free slots of each service by priority,
	// from which bookings take theirs.
	slots []*store.Slot
	free  map[string]map[string][]*store.Slot

	reasons reasonCodes
	// files are the bytes of the generated attachments, made once per kind
	// and shared: handlers never change a Binary's Data.
	files map[string][]byte
	// recent are UBRNs made so far, for related referrals; seen are
	// patients referred so far, some of whom are referred again.
	recent []string
	seen   []string
}

// practice is a referring GP practice and its users.
type practice struct {
	ods, postcode   string
	rcs, rcas, ras  []string
	commissionerODS string
}

// trust is a provider organisation, its users and its services.
type trust struct {
	ods, postcode    string
	spcs, spas, spca []string
	services         []*store.Service
}

func newGenerator(opts SyntheticOptions) *generator {
	now := opts.Now
	if now.IsZero() {
		now = time.Now()
	}
	n := opts.Referrals
	if n <= 0 {
		n = defaultSyntheticReferrals
	}
	m := opts.Services
	if m <= 0 {
		m = n / referralsPerService
	}
	m = max(m, minSyntheticServices)
	g := &generator{
		now:         now.UTC().Truncate(time.Minute),
		rng:         rand.New(rand.NewPCG(uint64(opts.Seed), 0x65_52_53_2d_73_69_6d)), // "eRS-sim"
		ref:         refdata.Default(),
		st:          store.NewState(),
		referrals:   n,
		services:    m,
		bySpecialty: map[string][]*store.Service{},
		free:        map[string]map[string][]*store.Slot{},
		files:       map[string][]byte{},
	}
	g.reasons = newReasonCodes(g.ref, g.now)
	return g
}

// chance reports true with probability p.
func (g *generator) chance(p float64) bool { return g.rng.Float64() < p }

// pick returns a random element of a non-empty slice.
func pick[T any](g *generator, s []T) T { return s[g.rng.IntN(len(s))] }

// weighted returns the index chosen with the given weights.
func (g *generator) weighted(weights ...int) int {
	total := 0
	for _, w := range weights {
		total += w
	}
	n := g.rng.IntN(total)
	for i, w := range weights {
		if n < w {
			return i
		}
		n -= w
	}
	return len(weights) - 1
}

// between returns a random instant in [from, to).
func (g *generator) between(from, to time.Time) time.Time {
	d := to.Sub(from)
	if d <= time.Minute {
		return from
	}
	return from.Add(time.Duration(g.rng.Int64N(int64(d/time.Minute))) * time.Minute)
}

// uuid returns a random (version 4) UUID drawn from the seeded generator.
func (g *generator) uuid() string {
	var b [16]byte
	for i := 0; i < 16; i += 8 {
		v := g.rng.Uint64()
		for j := range 8 {
			b[i+j] = byte(v >> (8 * j))
		}
	}
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	var s [36]byte
	hex.Encode(s[0:8], b[0:4])
	s[8] = '-'
	hex.Encode(s[9:13], b[4:6])
	s[13] = '-'
	hex.Encode(s[14:18], b[6:8])
	s[18] = '-'
	hex.Encode(s[19:23], b[8:10])
	s[23] = '-'
	hex.Encode(s[24:], b[10:])
	return string(s[:])
}

// reasonCodes are the reference data codes the generated records use, each
// in effect at the generator's clock.
type reasonCodes struct {
	reject, patientCancel, providerCancel []string
	referrerCancel, providerCancelRef     []string
	nonAttendance                         []string
}

func newReasonCodes(ref *refdata.Set, now time.Time) reasonCodes {
	var rc reasonCodes
	if cs, ok := ref.System(refdata.AppointmentCancellationReason); ok {
		for _, c := range cs.Concepts {
			if !c.EffectiveAt(now) {
				continue
			}
			switch {
			case c.Prop(refdata.PropUsage) == refdata.UsageReject:
				rc.reject = append(rc.reject, c.Code)
			case c.Prop(refdata.PropUsage) == refdata.UsageCancel && c.Prop(refdata.PropBookingCancellationType) == refdata.ReasonPatient:
				rc.patientCancel = append(rc.patientCancel, c.Code)
			case c.Prop(refdata.PropBookingCancellationType) == refdata.ReasonProvider:
				rc.providerCancel = append(rc.providerCancel, c.Code)
			}
		}
	}
	if cs, ok := ref.System(refdata.ReferralCancellationReason); ok {
		for _, c := range cs.Concepts {
			if !c.EffectiveAt(now) {
				continue
			}
			if c.Has(refdata.PropBusinessFunction, "REFERRING_CLINICIAN") {
				rc.referrerCancel = append(rc.referrerCancel, c.Code)
			}
			if c.Has(refdata.PropBusinessFunction, "SERVICE_PROVIDER_CLINICIAN") && c.Prop(refdata.PropRequestCancellationType) != refdata.ReasonProviderTriage {
				rc.providerCancelRef = append(rc.providerCancelRef, c.Code)
			}
		}
	}
	if cs, ok := ref.System(refdata.AppointmentNonAttendance); ok {
		for _, c := range cs.Concepts {
			if c.EffectiveAt(now) {
				rc.nonAttendance = append(rc.nonAttendance, c.Code)
			}
		}
	}
	// Reference data without some kind of reason (a test set) still gives
	// a consistent record.
	for _, l := range []*[]string{&rc.reject, &rc.patientCancel, &rc.providerCancel, &rc.referrerCancel, &rc.providerCancelRef, &rc.nonAttendance} {
		if len(*l) == 0 {
			*l = []string{"OTHER"}
		}
	}
	return rc
}
