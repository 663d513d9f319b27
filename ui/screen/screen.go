// Package screen is the contract between the workstation's root model (package
// ui) and the screens that live in it (ui/screens/...): the Screen interface,
// the shared Common a screen is built with, the routes that register screens,
// and the messages screens send to the root (navigation, confirmations,
// toasts, session changes).
//
// It holds no rendering and no I/O, so screens and the root can both import it
// without a cycle, and a screen's tests need nothing but a fake Auth.
package screen

import (
	"context"
	"time"

	"charm.land/bubbles/v2/help"
	tea "charm.land/bubbletea/v2"

	"github.com/ers-workstation/ers-workstation/session"
	"github.com/ers-workstation/ers-workstation/ui/theme"
)

// Screen is one page of the workstation. The root owns a stack of them and
// sends keys and messages to the top one only.
type Screen interface {
	// Init starts the screen's loading, as commands; constructors do no I/O.
	Init() tea.Cmd
	Update(msg tea.Msg) (Screen, tea.Cmd)
	// View renders exactly the size last given to SetSize: every line that
	// width, and that many lines. The root checks it and pads or cuts as a
	// safety net, but a screen must not rely on it.
	View() string
	SetSize(width, height int)
	// Title is the screen's name in the breadcrumb and the window title.
	Title() string
	// KeyMap lists the screen's own bindings; disabled bindings are hidden
	// from help. The root adds the global keys.
	KeyMap() help.KeyMap
	// Status is the screen's part of the bottom bar ("312 of 4,120", the
	// last refresh time); empty for none.
	Status() string
	// Capturing reports that a text input has focus: the root then passes
	// it every key except ctrl+c, so "q" or "?" can be typed.
	Capturing() bool
	// Dirty reports unsent work (a draft reply, a half-filled form): the
	// root asks before quitting or signing out.
	Dirty() bool
}

// Identifier is a screen with a focused identifier the user may copy with
// "y" (a UBRN, an NHS number): label for the toast, value for the clipboard.
type Identifier interface {
	FocusedID() (label, value string, ok bool)
}

// Commander is a screen that adds its own entries to the ":" palette while
// it is on top.
type Commander interface {
	Commands() []Command
}

// Command is one entry of the ":" palette.
type Command struct {
	Name    string // what is typed: "worklist", "logout"
	Summary string // one line shown beside it
	Key     string // the key that does the same, shown in the palette
	Run     func() tea.Cmd
}

// Auth is the workstation's side of sign-in as the screens use it:
// session.Manager in the product, a fake in tests.
type Auth interface {
	// Resume returns the session kept in the keyring when the gateway still
	// accepts it; session.ErrSignInRequired when there is none.
	Resume(ctx context.Context) (session.Identity, error)
	// StartSignIn begins a sign-in and returns what to show the user. It
	// opens the browser itself in loopback mode.
	StartSignIn(ctx context.Context) (session.Challenge, error)
	// FinishSignIn waits for the sign-in StartSignIn began (the loopback
	// callback or the gateway's answer to polling) and returns the user,
	// with no role yet.
	FinishSignIn(ctx context.Context) (session.Identity, error)
	// Roles are the roles the user may choose.
	Roles(ctx context.Context) (session.Roles, error)
	// ChooseRole sets the e-RS context of the session.
	ChooseRole(ctx context.Context, role session.Role) (session.Identity, error)
	// SignOut ends the session at the gateway and wipes it from the keyring
	// and memory; it wipes locally even when the gateway cannot be reached.
	SignOut(ctx context.Context) error
	// Ended delivers the reason when any call finds the session over
	// (session.ErrSignInRequired wrapped with the gateway's reason).
	Ended() <-chan error
	// Deadline is when the session ends if nothing more happens: the
	// earlier of the idle and the absolute expiry.
	Deadline() time.Time
	// Storage says whether the session is kept in the keyring or in memory.
	Storage() session.Storage
	// Identity is the signed-in user with the chosen role, from memory (no
	// call): for screens opened with another arg (a UBRN) that need to know
	// who and in what role. False when no one is signed in.
	Identity() (session.Identity, bool)
}

// Prefs keeps small, non-secret preferences between runs (the last role
// chosen). Implementations write a 0600 file under the user's config
// directory; tests use memory.
type Prefs interface {
	LastRole(userID string) (session.Role, bool)
	SetLastRole(userID string, role session.Role) error
}

// Common is what every screen is built with. It is passed by value; nothing
// in it changes after the root is built except through messages.
type Common struct {
	Styles *theme.Styles
	Auth   Auth
	Prefs  Prefs
	// ERS calls e-RS through the gateway, in the session's role.
	ERS ERS
	// Files is the per-user directory downloaded documents are saved in
	// (0700; files 0600); removed at sign-out unless kept.
	Files string
	// Drafts is the per-user directory unsent drafts are kept in (0700;
	// files 0600), so a draft survives an error, an expired session and a
	// restart; a draft is removed when sent, never at sign-out.
	Drafts string
	// Environment is the banner: "SANDBOX", "INT" or "PRODUCTION".
	Environment string
	// Now is the clock (tests fix it).
	Now func() time.Time
	// Timeout bounds each call a screen starts.
	Timeout time.Duration
}

// Route registers a screen: the palette command and home-screen entry that
// open it, who may use it, and how to build it. A new screen is one file
// with its package and one Route in ui/screens.Registry.
type Route struct {
	Name    string // palette command and Open target: "worklist"
	Title   string // "Worklists"
	Summary string // one line on the home screen
	Key     string // home-screen key: "w"
	// For reports whether the role may use the screen; nil means any role.
	For func(role session.Role) bool
	// OnHome lists the route on the home screen.
	OnHome bool
	New    func(c Common, arg any) Screen
}

// Messages screens send to the root (as the result of a tea.Cmd).
type (
	// Open pushes the route's screen, built with Arg.
	Open struct {
		Route string
		Arg   any
	}
	// Push pushes a screen the sender built itself.
	Push struct{ Screen Screen }
	// Back pops the top screen (the root asks first if it is Dirty).
	Back struct{}
	// Confirm opens a confirmation modal: explicit "y", default no. The
	// root sends OnYes's result when the user confirms and nothing else
	// otherwise.
	Confirm struct {
		Title string
		Body  string // names the patient, the UBRN and the action
		Yes   string // the action's verb, e.g. "Reject referral"
		OnYes tea.Cmd
	}
	// Toast shows a short-lived message in the bottom bar.
	Toast struct {
		Text  string
		Level Level
	}
	// Busy starts (On) or stops the activity indicator for Task.
	Busy struct {
		Task string
		On   bool
	}
	// SignedIn: a sign-in finished; the root moves on to the role picker,
	// or straight back to work when the same user had a role before.
	SignedIn struct{ Identity session.Identity }
	// RoleChosen: the session has its e-RS context; the root shows the home
	// screen (or returns to where the user was).
	RoleChosen struct{ Identity session.Identity }
	// SignOut asks the root to sign out (it confirms when work is unsent).
	SignOut struct{}
)

// Level is a toast's severity, always shown in words as well as colour.
type Level int

const (
	Info Level = iota
	Success
	Warning
	Failure
)

// Word is the level as text, so meaning never rests on colour alone.
func (l Level) Word() string {
	switch l {
	case Success:
		return "Done"
	case Warning:
		return "Warning"
	case Failure:
		return "Error"
	default:
		return "Note"
	}
}
