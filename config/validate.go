package config

import (
	"fmt"
	"net"
	"net/url"
	"slices"
	"strconv"
	"strings"
)

// Problem is one thing wrong with a configuration.
type Problem struct {
	// Key is the dotted TOML key ("session.idle_timeout") or the environment
	// variable ("ERS_LISTEN") the problem is about. Empty when Message names it.
	Key string
	// Message says what is wrong and what to write instead.
	Message string
	// Env is the environment variable or the flag (an Override) that set
	// the value, if one did.
	Env string
}

func (p Problem) String() string {
	s := p.Message
	if p.Key != "" {
		s = p.Key + ": " + s
	}
	if p.Env != "" {
		s += " (set by " + p.Env + ")"
	}
	return s
}

// Problems is everything wrong with one configuration, in the order found, so
// that a user can fix every mistake in one go. Validate and Load return it as
// their error; use errors.As to list the problems one by one.
type Problems []Problem

func (ps Problems) Error() string {
	if len(ps) == 1 {
		return ps[0].String()
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%d problems:", len(ps))
	for _, p := range ps {
		b.WriteString("\n  ")
		b.WriteString(p.String())
	}
	return b.String()
}

// err returns nil when there is nothing wrong (a nil Problems in an error is not nil).
func (ps Problems) err() error {
	if len(ps) == 0 {
		return nil
	}
	return ps
}

func (ps *Problems) add(key, format string, args ...any) {
	*ps = append(*ps, Problem{Key: key, Message: fmt.Sprintf(format, args...)})
}

// oneOf checks that value is one of allowed.
func (ps *Problems) oneOf(key, value string, allowed ...string) bool {
	if slices.Contains(allowed, value) {
		return true
	}
	ps.add(key, "%q is not allowed; use one of %s", value, strings.Join(allowed, ", "))
	return false
}

// required checks that value is set, saying why it is needed.
func (ps *Problems) required(key, value, why string) {
	if value == "" {
		ps.add(key, "required %s", why)
	}
}

// listen checks a host:port listen address; ok reports it is valid and loopback
// whether its host is a loopback one. An empty host (":8443") means every
// interface, which is not loopback. Port 0 means any free port.
func (ps *Problems) listen(key, addr string) (loopback, ok bool) {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		ps.add(key, "%q is not a host:port address, for example 127.0.0.1:8443", addr)
		return false, false
	}
	if n, err := strconv.Atoi(port); err != nil || n < 0 || n > 65535 {
		ps.add(key, "%q has port %q; use a number from 0 to 65535", addr, port)
		return false, false
	}
	return isLoopbackHost(host), true
}

// url checks an absolute http or https URL; plain http is only for loopback hosts,
// because anything else would carry sessions in clear text.
func (ps *Problems) url(key, raw string) (*url.URL, bool) {
	u, err := url.Parse(raw)
	if err != nil || !u.IsAbs() || u.Host == "" {
		ps.add(key, "%q is not an absolute URL, for example https://ers-gateway.example.nhs.uk", raw)
		return nil, false
	}
	if u.User != nil {
		ps.add(key, "%q contains a user name or password; remove it, credentials do not belong in URLs", raw)
		return nil, false
	}
	switch u.Scheme {
	case "https":
		return u, true
	case "http":
		if isLoopbackHost(u.Hostname()) {
			return u, true
		}
		ps.add(key, "%q uses http to a host that is not loopback; use https", raw)
		return nil, false
	default:
		ps.add(key, "%q has scheme %q; use https (or http for 127.0.0.1, ::1 or localhost)", raw, u.Scheme)
		return nil, false
	}
}

// httpsURL checks a URL that must be https whatever its host.
func (ps *Problems) httpsURL(key, raw, why string) {
	if u, ok := ps.url(key, raw); ok && u.Scheme != "https" {
		ps.add(key, "%q must use https %s", raw, why)
	}
}

func isLoopbackHost(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// hasPortZero reports whether addr asks for any free port, so two such addresses do not clash.
func hasPortZero(addr string) bool {
	_, port, err := net.SplitHostPort(addr)
	return err == nil && port == "0"
}
