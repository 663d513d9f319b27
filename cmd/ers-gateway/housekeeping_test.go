package main

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/ers-workstation/ers-workstation/gateway/store"
)

func TestHousekeepDeletesExpiredLoginsOnly(t *testing.T) {
	ctx := context.Background()
	st, err := store.OpenSQLite(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	now := time.Date(2026, 11, 21, 7, 30, 0, 0, time.UTC)
	for _, l := range []store.Login{
		{ID: "expired", UserCode: "AAAA-BBBB", Mode: store.LoginRemote, Status: store.LoginPending, Created: now.Add(-10 * time.Minute), Expires: now.Add(-5 * time.Minute)},
		{ID: "live", UserCode: "CCCC-DDDD", Mode: store.LoginRemote, Status: store.LoginPending, Created: now, Expires: now.Add(5 * time.Minute)},
	} {
		if err := st.CreateLogin(ctx, l); err != nil {
			t.Fatal(err)
		}
	}
	p := program{now: func() time.Time { return now }}
	p.housekeep(ctx, st, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if _, err := st.Login(ctx, "expired"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("the expired login is still there: %v", err)
	}
	if _, err := st.Login(ctx, "live"); err != nil {
		t.Errorf("the live login is gone: %v", err)
	}
}
