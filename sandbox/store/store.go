package store

import (
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"time"
)

// State is the whole simulated world. Handlers read it inside Store.Read and
// change it inside Store.Write; they must not keep pointers into it after the
// callback returns.
type State struct {
	Orgs         map[string]*Organisation // by ODS code
	Users        map[string]*User         // by SDS id
	Apps         map[string]*App          // by application id
	Services     map[string]*Service      // by service id
	Slots        map[string]*Slot         // by slot id
	Appointments map[string]*Appointment  // by appointment id
	Referrals    map[string]*Referral     // by UBRN
	Advice       map[string]*Advice       // by UBRN
	Binaries     map[string]*Binary       // by id

	// SlotsByService lists slot ids per service in start order; kept by
	// AddSlot so A015 does not scan every slot.
	SlotsByService map[string][]string

	// NextUBRN, NextAppointment, NextMessage and NextDocument number new
	// records.
	NextUBRN        int64
	NextAppointment int64
	NextMessage     int64
	NextDocument    int64
}

// NewState returns an empty state whose new UBRNs start after the seed's.
func NewState() *State {
	return &State{
		Orgs:            map[string]*Organisation{},
		Users:           map[string]*User{},
		Apps:            map[string]*App{},
		Services:        map[string]*Service{},
		Slots:           map[string]*Slot{},
		Appointments:    map[string]*Appointment{},
		Referrals:       map[string]*Referral{},
		Advice:          map[string]*Advice{},
		Binaries:        map[string]*Binary{},
		SlotsByService:  map[string][]string{},
		NextUBRN:        900_000_000_000,
		NextAppointment: 80_000_000,
		NextMessage:     90_000_000,
		NextDocument:    70_000_000,
	}
}

// AddSlot adds a slot and indexes it by service. Slots must be added in
// start order per service.
func (st *State) AddSlot(s *Slot) {
	st.Slots[s.ID] = s
	st.SlotsByService[s.ServiceID] = append(st.SlotsByService[s.ServiceID], s.ID)
}

// NewUBRN allocates a 12-digit UBRN no record uses.
func (st *State) NewUBRN() string {
	for {
		st.NextUBRN++
		u := fmt.Sprintf("%012d", st.NextUBRN%1_000_000_000_000)
		if st.Referrals[u] == nil && st.Advice[u] == nil {
			return u
		}
	}
}

// NewAppointmentID allocates an appointment id.
func (st *State) NewAppointmentID() string {
	for {
		st.NextAppointment++
		id := fmt.Sprint(st.NextAppointment)
		if st.Appointments[id] == nil {
			return id
		}
	}
}

// NewMessageID allocates a Communication id.
func (st *State) NewMessageID() string {
	st.NextMessage++
	return fmt.Sprint(st.NextMessage)
}

// NewDocumentID allocates a DocumentReference id: an attachment of a
// referral, a request or a message.
func (st *State) NewDocumentID() string {
	st.NextDocument++
	return fmt.Sprint(st.NextDocument)
}

// ErrLocked is returned by Write when another update of the same record is
// in progress: e-RS answers 423 Locked.
var ErrLocked = errors.New("store: record locked by a concurrent update")

// Store guards a State. Reads run concurrently; writes are serialised, and a
// write that names a record fails with ErrLocked while another write of that
// record is in progress, as e-RS's pessimistic lock does.
type Store struct {
	mu    sync.RWMutex
	state *State
	seed  func() *State
	now   func() time.Time

	locksMu sync.Mutex
	locks   map[string]bool
	// hold is how long a write keeps its record locked before applying
	// (nanoseconds); zero in normal use. Fault injection sets it so that 423
	// can be seen and tested.
	hold atomic.Int64
}

// New returns a store holding seed(); Reset calls seed again. now is the
// simulator's clock.
func New(seed func() *State, now func() time.Time) *Store {
	if now == nil {
		now = time.Now
	}
	return &Store{state: seed(), seed: seed, now: now, locks: map[string]bool{}}
}

// Now is the simulator's clock.
func (s *Store) Now() time.Time { return s.now() }

// Reset replaces the state with a fresh copy of the seed.
func (s *Store) Reset() {
	fresh := s.seed()
	s.mu.Lock()
	s.state = fresh
	s.mu.Unlock()
}

// SetWriteHold makes every write keep its record locked for d before it
// applies, so that concurrent writers see 423.
func (s *Store) SetWriteHold(d time.Duration) { s.hold.Store(int64(d)) }

// Read runs fn with the state under a read lock.
func (s *Store) Read(fn func(st *State) error) error {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return fn(s.state)
}

// Write runs fn with the state under the write lock. key names the record
// being updated ("referral/000000070000"); while one write of a key is in
// progress, another fails at once with ErrLocked. An empty key takes no
// record lock (creations). fn's error is returned unchanged; fn must leave the
// state unchanged when it fails.
func (s *Store) Write(key string, fn func(st *State) error) error {
	if key != "" {
		if !s.lock(key) {
			return ErrLocked
		}
		defer s.unlock(key)
		if d := time.Duration(s.hold.Load()); d > 0 {
			time.Sleep(d)
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return fn(s.state)
}

func (s *Store) lock(key string) bool {
	s.locksMu.Lock()
	defer s.locksMu.Unlock()
	if s.locks[key] {
		return false
	}
	s.locks[key] = true
	return true
}

func (s *Store) unlock(key string) {
	s.locksMu.Lock()
	delete(s.locks, key)
	s.locksMu.Unlock()
}

// ReferralKey and AdviceKey name records for Write. An appointment has no
// key of its own: every write to it takes its referral's, so a booking and a
// cancellation of the same referral cannot interleave.
func ReferralKey(ubrn string) string { return "referral/" + ubrn }
func AdviceKey(ubrn string) string   { return "advice/" + ubrn }
