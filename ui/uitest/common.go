package uitest

import (
	"time"

	"github.com/ers-workstation/ers-workstation/ui/screen"
	"github.com/ers-workstation/ers-workstation/ui/theme"
)

// Now is the fixed instant of Common's clock, so times a screen shows
// ("expires in 4:30") are the same on every run and in golden files.
func Now() time.Time { return time.Date(2026, 11, 21, 9, 30, 0, 0, time.UTC) }

// Common is what a screen is built with in its tests: the default theme,
// the sandbox banner, the fixed clock Now and a short call timeout.
func Common(auth screen.Auth, prefs screen.Prefs) screen.Common {
	return screen.Common{
		Styles: theme.New(theme.Default), Auth: auth, Prefs: prefs,
		Environment: theme.BannerSandbox, Now: Now, Timeout: 5 * time.Second,
	}
}
