// Package store keeps the gateway's state: sign-in transactions, sessions
// (with the NHS tokens sealed with AES-GCM), the append-only audit trail
// and the ids of tokens already accepted (replay memory shared by gateways).
// Two implementations share one contract and one test suite: embedded
// SQLite (modernc.org/sqlite, no cgo; a file, or memory for the sandbox) and
// PostgreSQL (pgx), so that several gateways can share sessions and audit.
//
// The store never sees a secret in the clear that it does not need: session
// tokens, handoff codes and browser-binding cookies are kept as SHA-256
// hashes (the caller hashes them with Hash; RememberJTI hashes token ids
// itself), and the NHS tokens (APIM access and refresh tokens, the CIS2 ID
// token) are sealed before they are written.
//
// Both implementations run their embedded, numbered migrations at open
// (PostgreSQL under an advisory lock, so gateways may start together), and
// the audit table refuses DELETE, and any UPDATE but the one completion of
// an in-flight record, in the database itself (triggers), not only in Go.
// Connection failures are reported as ErrUnavailable.
package store

import (
	"context"
	"errors"
	"time"
)

// Errors every implementation returns (wrapped or not; test with errors.Is).
var (
	// ErrNotFound: no record with that key (or it was deleted).
	ErrNotFound = errors.New("store: not found")
	// ErrConflict: a compare-and-set lost (the record changed since it was
	// read) or a unique key is taken.
	ErrConflict = errors.New("store: conflict")
	// ErrUnavailable: the database cannot be reached; the gateway fails
	// closed and refuses the call.
	ErrUnavailable = errors.New("store: unavailable")
)

// LoginMode is how the workstation receives the result of a sign-in.
type LoginMode string

const (
	// LoginLoopback: the gateway redirects the browser to the
	// workstation's http://127.0.0.1:<port>/callback with a handoff code.
	LoginLoopback LoginMode = "loopback"
	// LoginRemote: the page tells the user to return to the terminal; the
	// workstation polls POST /v1/auth/token.
	LoginRemote LoginMode = "remote"
)

// LoginStatus is where a sign-in transaction stands.
type LoginStatus string

const (
	LoginPending    LoginStatus = "pending"    // waiting for the browser
	LoginAuthorised LoginStatus = "authorised" // CIS2 and APIM done, a session exists, not yet redeemed
	LoginDenied     LoginStatus = "denied"     // the user cancelled or CIS2/APIM refused
	LoginRedeemed   LoginStatus = "redeemed"   // the workstation took its session token
)

// Login is one sign-in transaction (at most 5 minutes).
type Login struct {
	ID       string // login_id, random
	UserCode string // short code shown in the terminal and on the confirmation page, unique among live logins
	Mode     LoginMode
	// RedirectURI is the workstation's loopback callback (loopback mode).
	RedirectURI string
	// ClientState is the workstation's state, echoed to its loopback.
	ClientState string
	// CodeChallenge is the workstation's PKCE S256 challenge.
	CodeChallenge string
	// KeyThumbprint is the RFC 7638 thumbprint of the workstation's key.
	KeyThumbprint string
	// RequestingHost is what the confirmation page shows: the address the
	// login came from.
	RequestingHost string
	Status         LoginStatus
	// DenyReason is a short, safe reason code when Status is LoginDenied
	// (access_denied, aal_too_low, ial_too_low, apim_refused, ...).
	DenyReason string

	// The gateway's side of the CIS2 request.
	CIS2State    string
	CIS2Nonce    string
	CIS2Verifier string // PKCE verifier towards CIS2; sealed by the caller if wanted
	// BrowserHash is the hash of the cookie binding the browser that
	// confirmed the login.
	BrowserHash string

	// HandoffHash is the hash of the single-use handoff code (loopback).
	HandoffHash    string
	HandoffExpires time.Time
	// SessionID is the session created when the login was authorised.
	SessionID string

	Created  time.Time
	Expires  time.Time
	LastPoll time.Time // for slow_down
	Version  int64     // bumped on every update; UpdateLogin compares it
}

// SessionState is where a session stands.
type SessionState string

const (
	SessionActive        SessionState = "active"
	SessionLoginRequired SessionState = "login_required" // refresh failed: sign in again
	SessionEnded         SessionState = "ended"          // logout, back-channel logout, timeout
)

// Context is the e-RS role the user chose, validated against A030/A040.
type Context struct {
	BusinessFunction string
	ODS              string
	OnBehalfOf       string // SDS user id, clinician admins only
}

// Session is a signed-in workstation.
type Session struct {
	ID string
	// TokenHash is the hash of the current session token; rotating the
	// token (role change) replaces it.
	TokenHash     string
	KeyThumbprint string
	State         SessionState

	// The user, from the verified ID token.
	Subject   string // CIS2 sub, 12-digit SDS user id
	Name      string
	CIS2SID   string // CIS2 session id (sid), for back-channel logout
	IAL, AAL  int
	Context   Context // zero until the user picks a role
	Sealed    Sealed  // NHS tokens, sealed
	APIMToken APIMTokenTimes

	Created  time.Time
	LastSeen time.Time
	// Absolute is when the session ends whatever happens.
	Absolute time.Time
	Version  int64
}

// Sealed holds the NHS tokens as AES-GCM ciphertexts (see Sealer).
type Sealed struct {
	AccessToken  []byte
	RefreshToken []byte
	IDToken      []byte
}

// APIMTokenTimes are the lifetimes of the sealed APIM tokens.
type APIMTokenTimes struct {
	AccessExpires  time.Time
	RefreshExpires time.Time
	RefreshCount   int
}

// AuditKind is what an audit record is about.
type AuditKind string

const (
	AuditCall       AuditKind = "call"        // a proxied e-RS call
	AuditSignIn     AuditKind = "sign_in"     // a session created (or a sign-in refused)
	AuditRoleChange AuditKind = "role_change" // PUT /v1/session/context
	AuditLogout     AuditKind = "logout"      // workstation, back-channel or timeout
	AuditRefusal    AuditKind = "refusal"     // a request refused by the gateway itself
)

// AuditRecord is one line of the audit trail. It never holds tokens, codes,
// keys or clinical content.
type AuditRecord struct {
	ID        int64 // assigned by AppendAudit
	Time      time.Time
	Kind      AuditKind
	SessionID string
	User      string // SDS user id
	Role      string
	ODS       string
	OBO       string
	Operation string // "A005", or the gateway endpoint for non-proxy records
	Resource  string // UBRN or resource id
	// Status is the HTTP status answered; 0 while the call is in flight.
	Status int
	// Outcome is a short word: "ok", "refused", "error", "pending", or a reason code.
	Outcome       string
	RequestID     string // e-RS x-request-id
	CorrelationID string
	Latency       time.Duration
	Completed     time.Time // zero while in flight
}

// Store is the gateway's persistence. Every method is safe for concurrent
// use by several gateway processes sharing one database (PostgreSQL).
type Store interface {
	// CreateLogin inserts l (Version set to 1). ErrConflict when the id or
	// a live user code is taken.
	CreateLogin(ctx context.Context, l Login) error
	// Login returns the login by id.
	Login(ctx context.Context, id string) (Login, error)
	// LoginByUserCode returns the live (unexpired at now) login with the user code.
	LoginByUserCode(ctx context.Context, userCode string, now time.Time) (Login, error)
	// LoginByCIS2State returns the login with the CIS2 state.
	LoginByCIS2State(ctx context.Context, state string) (Login, error)
	// UpdateLogin writes l if the stored version is still l.Version, and
	// bumps it; ErrConflict otherwise. It returns the stored login.
	UpdateLogin(ctx context.Context, l Login) (Login, error)
	// DeleteExpiredLogins removes logins expired before now, returning how many.
	DeleteExpiredLogins(ctx context.Context, now time.Time) (int, error)

	// CreateSession inserts s (Version set to 1).
	CreateSession(ctx context.Context, s Session) error
	// Session returns a session by id.
	Session(ctx context.Context, id string) (Session, error)
	// SessionByTokenHash returns the session whose current token hash it is.
	SessionByTokenHash(ctx context.Context, tokenHash string) (Session, error)
	// UpdateSession is a compare-and-set on Version, like UpdateLogin.
	UpdateSession(ctx context.Context, s Session) (Session, error)
	// EndSessions sets every active or login_required session matching the
	// CIS2 sid (when non-empty) or else the subject to ended, wipes their
	// sealed tokens, and returns their ids.
	EndSessions(ctx context.Context, cis2SID, subject string) ([]string, error)
	// DeleteSessionsBefore removes ended or absolutely expired sessions
	// whose Absolute is before now.
	DeleteSessionsBefore(ctx context.Context, now time.Time) (int, error)

	// AppendAudit appends r and returns its id. Records are never changed
	// except by CompleteAudit, and never deleted.
	AppendAudit(ctx context.Context, r AuditRecord) (int64, error)
	// CompleteAudit sets the status, outcome, request id, latency and
	// completion time of an in-flight record.
	CompleteAudit(ctx context.Context, id int64, status int, outcome, requestID string, latency time.Duration, completed time.Time) error
	// Audit calls fn for each record with from <= Time < to, oldest first,
	// stopping at the first error fn returns.
	Audit(ctx context.Context, from, to time.Time, fn func(AuditRecord) error) error

	// RememberJTI records a token id (a DPoP proof's jti, a logout token's
	// jti) under scope (JTIScopeDPoP, JTIScopeLogout) until expires, in one
	// atomic insert-if-absent shared by every gateway on the database.
	// fresh is false when the id is already remembered and live at now: the
	// token is a replay. Only Hash(jti) is stored. On error the caller must
	// refuse the token (fail closed).
	RememberJTI(ctx context.Context, scope, jti string, now, expires time.Time) (fresh bool, err error)
	// DeleteExpiredJTIs removes remembered ids whose time ended at or
	// before now (housekeeping), returning how many.
	DeleteExpiredJTIs(ctx context.Context, now time.Time) (int, error)

	// Ping checks the database answers (for /readyz).
	Ping(ctx context.Context) error
	Close() error
}
