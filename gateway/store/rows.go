package store

import (
	"database/sql"
	"strings"
	"time"
)

// Column lists and their Go mapping, in one place so that insert, update
// and scan cannot disagree. The first column is the key, the last the
// version (neither is in the update assignments).

func loginCols() []string {
	return []string{
		"id", "user_code", "mode", "redirect_uri", "client_state", "code_challenge",
		"key_thumbprint", "requesting_host", "status", "deny_reason",
		"cis2_state", "cis2_nonce", "cis2_verifier", "browser_hash",
		"handoff_hash", "handoff_expires", "session_id",
		"created", "expires", "last_poll", "version",
	}
}

func loginArgs(l Login) []any {
	return []any{
		l.ID, nullString(l.UserCode), string(l.Mode), l.RedirectURI, l.ClientState, l.CodeChallenge,
		l.KeyThumbprint, l.RequestingHost, string(l.Status), l.DenyReason,
		l.CIS2State, l.CIS2Nonce, l.CIS2Verifier, l.BrowserHash,
		l.HandoffHash, encTime(l.HandoffExpires), l.SessionID,
		encTime(l.Created), encTime(l.Expires), encTime(l.LastPoll), l.Version,
	}
}

type scanner interface{ Scan(dest ...any) error }

func scanLogin(r scanner) (Login, error) {
	var (
		l                                          Login
		userCode                                   sql.NullString
		mode, status                               string
		handoffExpires, created, expires, lastPoll int64
	)
	err := r.Scan(&l.ID, &userCode, &mode, &l.RedirectURI, &l.ClientState, &l.CodeChallenge,
		&l.KeyThumbprint, &l.RequestingHost, &status, &l.DenyReason,
		&l.CIS2State, &l.CIS2Nonce, &l.CIS2Verifier, &l.BrowserHash,
		&l.HandoffHash, &handoffExpires, &l.SessionID,
		&created, &expires, &lastPoll, &l.Version)
	if err != nil {
		return Login{}, err
	}
	l.UserCode = fromNull(userCode)
	l.Mode, l.Status = LoginMode(mode), LoginStatus(status)
	l.HandoffExpires, l.Created, l.Expires, l.LastPoll = decTime(handoffExpires), decTime(created), decTime(expires), decTime(lastPoll)
	return l, nil
}

func sessionCols() []string {
	return []string{
		"id", "token_hash", "key_thumbprint", "state",
		"subject", "name", "cis2_sid", "ial", "aal",
		"business_function", "ods", "obo",
		"sealed_access", "sealed_refresh", "sealed_id",
		"access_expires", "refresh_expires", "refresh_count",
		"created", "last_seen", "absolute", "version",
	}
}

func sessionArgs(s Session) []any {
	return []any{
		s.ID, s.TokenHash, s.KeyThumbprint, string(s.State),
		s.Subject, s.Name, s.CIS2SID, s.IAL, s.AAL,
		s.Context.BusinessFunction, s.Context.ODS, s.Context.OnBehalfOf,
		nullBytes(s.Sealed.AccessToken), nullBytes(s.Sealed.RefreshToken), nullBytes(s.Sealed.IDToken),
		encTime(s.APIMToken.AccessExpires), encTime(s.APIMToken.RefreshExpires), s.APIMToken.RefreshCount,
		encTime(s.Created), encTime(s.LastSeen), encTime(s.Absolute), s.Version,
	}
}

func scanSession(r scanner) (Session, error) {
	var (
		s                                                  Session
		state                                              string
		accessExp, refreshExp, created, lastSeen, absolute int64
	)
	err := r.Scan(&s.ID, &s.TokenHash, &s.KeyThumbprint, &state,
		&s.Subject, &s.Name, &s.CIS2SID, &s.IAL, &s.AAL,
		&s.Context.BusinessFunction, &s.Context.ODS, &s.Context.OnBehalfOf,
		&s.Sealed.AccessToken, &s.Sealed.RefreshToken, &s.Sealed.IDToken,
		&accessExp, &refreshExp, &s.APIMToken.RefreshCount,
		&created, &lastSeen, &absolute, &s.Version)
	if err != nil {
		return Session{}, err
	}
	s.State = SessionState(state)
	s.APIMToken.AccessExpires, s.APIMToken.RefreshExpires = decTime(accessExp), decTime(refreshExp)
	s.Created, s.LastSeen, s.Absolute = decTime(created), decTime(lastSeen), decTime(absolute)
	return s, nil
}

func auditCols() []string {
	return []string{
		"id", "time", "kind", "session_id", "user_id", "role", "ods", "obo",
		"operation", "resource", "status", "outcome", "request_id", "correlation_id",
		"latency", "completed",
	}
}

// auditInsertArgs leaves out the id, which the database assigns.
func auditInsertArgs(r AuditRecord) []any {
	return []any{
		encTime(r.Time), string(r.Kind), r.SessionID, r.User, r.Role, r.ODS, r.OBO,
		r.Operation, r.Resource, r.Status, r.Outcome, r.RequestID, r.CorrelationID,
		int64(r.Latency), encTime(r.Completed),
	}
}

func scanAudit(rs scanner) (AuditRecord, error) {
	var (
		r                      AuditRecord
		kind                   string
		tm, latency, completed int64
	)
	err := rs.Scan(&r.ID, &tm, &kind, &r.SessionID, &r.User, &r.Role, &r.ODS, &r.OBO,
		&r.Operation, &r.Resource, &r.Status, &r.Outcome, &r.RequestID, &r.CorrelationID,
		&latency, &completed)
	if err != nil {
		return AuditRecord{}, err
	}
	r.Kind = AuditKind(kind)
	r.Time, r.Latency, r.Completed = decTime(tm), time.Duration(latency), decTime(completed)
	return r, nil
}

func cols(c []string) string { return strings.Join(c, ", ") }
