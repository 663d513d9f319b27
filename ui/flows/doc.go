// Package flows holds end-to-end tests that walk a person's journey across
// several screens, built from the registry as the root builds them and
// driven by keys, against the real gateway and simulators (ui/uitest/live).
// It has no code of its own: only tests.
package flows
