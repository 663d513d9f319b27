package store

import (
	"errors"
	"sync"
	"testing"
	"time"
)

func TestWriteRefusesASecondWriterOfTheSameRecord(t *testing.T) {
	s := New(NewState, nil)
	s.SetWriteHold(50 * time.Millisecond)
	var wg sync.WaitGroup
	errs := make([]error, 8)
	for i := range errs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = s.Write(ReferralKey("000000070000"), func(st *State) error { return nil })
		}()
	}
	wg.Wait()
	ok, lockedN := 0, 0
	for _, err := range errs {
		switch {
		case err == nil:
			ok++
		case errors.Is(err, ErrLocked):
			lockedN++
		default:
			t.Fatalf("unexpected error %v", err)
		}
	}
	if ok < 1 || ok+lockedN != len(errs) {
		t.Fatalf("got %d successes and %d locked; want at least one success and the rest locked", ok, lockedN)
	}
}

func TestWritesOfDifferentRecordsDoNotLockEachOther(t *testing.T) {
	s := New(NewState, nil)
	err := s.Write(ReferralKey("a"), func(st *State) error {
		// A nested lock of another key must not be refused: only the same
		// key is locked.
		if !s.lock(ReferralKey("b")) {
			t.Error("a different record was locked")
		}
		s.unlock(ReferralKey("b"))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestResetRestoresTheSeed(t *testing.T) {
	s := New(func() *State {
		st := NewState()
		st.Referrals["000000000001"] = &Referral{UBRN: "000000000001", Version: 1}
		return st
	}, nil)
	s.Write(ReferralKey("000000000001"), func(st *State) error { //nolint:errcheck
		st.Referrals["000000000001"].Version = 7
		return nil
	})
	s.Reset()
	s.Read(func(st *State) error { //nolint:errcheck
		if v := st.Referrals["000000000001"].Version; v != 1 {
			t.Errorf("version after reset = %d, want 1", v)
		}
		return nil
	})
}

func TestNewUBRNSkipsUsedNumbers(t *testing.T) {
	st := NewState()
	st.NextUBRN = 41
	st.Referrals["000000000042"] = &Referral{}
	if u := st.NewUBRN(); u != "000000000043" {
		t.Errorf("NewUBRN = %s, want 000000000043", u)
	}
}

// Documents have their own sequence, so allocating one leaves the message
// ids where they were.
func TestNewDocumentIDHasItsOwnSequence(t *testing.T) {
	st := NewState()
	first, second := st.NewDocumentID(), st.NewDocumentID()
	if first != "70000001" || second != "70000002" {
		t.Errorf("NewDocumentID = %s, %s, want 70000001, 70000002", first, second)
	}
	if st.NextMessage != NewState().NextMessage {
		t.Errorf("allocating documents moved NextMessage to %d", st.NextMessage)
	}
}
