package main

import (
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/ers-workstation/ers-workstation/config"
)

// logPath is the log file: $XDG_STATE_HOME/ers-workstation/ers-workstation.log,
// or ~/.local/state/... when XDG_STATE_HOME is unset or relative (the XDG
// rules say to ignore a relative one). The terminal belongs to the TUI, so
// the log never goes there.
func logPath(lookup config.LookupFunc, home string) (string, error) {
	if dir, ok := lookup("XDG_STATE_HOME"); ok && filepath.IsAbs(dir) {
		return filepath.Join(dir, "ers-workstation", "ers-workstation.log"), nil
	}
	if home == "" {
		return "", errors.New("cannot find a directory for the log: XDG_STATE_HOME is not set and there is no home directory")
	}
	return filepath.Join(home, ".local", "state", "ers-workstation", "ers-workstation.log"), nil
}

// documentsDir is where downloaded documents are saved:
// $XDG_STATE_HOME/ers-workstation/documents (or ~/.local/state/...), beside
// the log and, like it, the OS user's own. They are removed at sign-out
// unless kept.
func documentsDir(lookup config.LookupFunc, home string) (string, error) {
	return besideLog(lookup, home, "documents")
}

// draftsDir is where unsent drafts (A&G responses) are kept: beside the
// log, like the documents, but never removed at sign-out.
func draftsDir(lookup config.LookupFunc, home string) (string, error) {
	return besideLog(lookup, home, "drafts")
}

func besideLog(lookup config.LookupFunc, home, name string) (string, error) {
	p, err := logPath(lookup, home)
	if err != nil {
		return "", err
	}
	return filepath.Join(filepath.Dir(p), name), nil
}

// openLog opens the log file for appending, creating it (and its directory,
// 0700) owner-only. An existing file is narrowed to 0600 as well: it may
// hold user names and ODS codes.
func openLog(path string) (*os.File, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("log directory: %w", err)
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o600)
	if err != nil {
		return nil, fmt.Errorf("log file: %w", err)
	}
	if err := f.Chmod(0o600); err != nil {
		f.Close()
		return nil, fmt.Errorf("log file: %w", err)
	}
	return f, nil
}

// newLogger is the program's one logger, writing text to w with secrets
// redacted: whatever a package below logs by mistake does not reach the file.
func newLogger(w io.Writer) *slog.Logger {
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: slog.LevelInfo, ReplaceAttr: redact}))
}

// secretKey matches attribute names that carry secrets.
var secretKey = regexp.MustCompile(`(?i)token|secret|password|verifier|proof|dpop|authorization|cookie|csrf|^code$|_code$|^key$|private|assertion|seal`)

// redacted replaces a secret's value.
const redacted = "[redacted]"

// redact is the ReplaceAttr of the log: secret-named attributes lose their
// value, and URLs lose their query (where codes and states travel).
func redact(_ []string, a slog.Attr) slog.Attr {
	if a.Value.Kind() == slog.KindGroup {
		return a
	}
	if secretKey.MatchString(a.Key) {
		return slog.String(a.Key, redacted)
	}
	if a.Value.Kind() == slog.KindString {
		return slog.String(a.Key, redactText(a.Value.String()))
	}
	return a
}

// urlInText finds absolute URLs inside free text, such as an error message.
var urlInText = regexp.MustCompile(`https?://[^\s"'<>]+`)

// bearer finds credentials written after an authorization scheme.
var bearer = regexp.MustCompile(`(?i)\b(DPoP|Bearer)\s+[A-Za-z0-9._~+/=-]{8,}`)

// redactText strips queries and fragments from URLs in s, and credentials
// after an authorization scheme.
func redactText(s string) string {
	s = urlInText.ReplaceAllStringFunc(s, func(raw string) string {
		u, err := url.Parse(raw)
		if err != nil {
			return redacted
		}
		if u.RawQuery == "" && u.Fragment == "" && u.User == nil {
			return raw
		}
		u.RawQuery, u.Fragment, u.User = "", "", nil
		return strings.TrimSuffix(u.String(), "?") + "?" + redacted
	})
	return bearer.ReplaceAllString(s, "$1 "+redacted)
}
