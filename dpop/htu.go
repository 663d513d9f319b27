package dpop

import (
	"errors"
	"net/url"
	"strings"
)

// normaliseHTU reduces an htu, or the URL a request arrived on, to the form both are compared
// in (RFC 9449 section 4.3 point 9, RFC 3986 sections 6.2.2 and 6.2.3): scheme and host lower
// case, default port removed, empty path "/", percent-encoding with upper-case hex and
// unreserved characters decoded, no query or fragment. Dot segments are not removed: a URL
// that needs that is refused rather than guessed at, which only ever fails closed.
func normaliseHTU(raw string) (string, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return "", errors.New("dpop: unparsable URL")
	}
	scheme := strings.ToLower(u.Scheme)
	if (scheme != "http" && scheme != "https") || u.Opaque != "" || u.User != nil {
		return "", errors.New("dpop: not an absolute http(s) URL")
	}
	host := strings.ToLower(u.Hostname())
	if host == "" {
		return "", errors.New("dpop: URL has no host")
	}
	if strings.Contains(host, ":") { // IPv6 literal
		host = "[" + host + "]"
	}
	port := u.Port()
	if (scheme == "https" && port == "443") || (scheme == "http" && port == "80") {
		port = ""
	}
	if port != "" {
		host += ":" + port
	}
	path := normalisePercent(u.EscapedPath())
	if path == "" {
		path = "/"
	}
	return scheme + "://" + host + path, nil
}

// normalisePercent upper-cases percent-encoding and decodes the unreserved characters.
func normalisePercent(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '%' && i+2 < len(s) && isHex(s[i+1]) && isHex(s[i+2]) {
			c := unhex(s[i+1])<<4 | unhex(s[i+2])
			if isUnreserved(c) {
				b.WriteByte(c)
			} else {
				b.WriteByte('%')
				b.WriteString(strings.ToUpper(s[i+1 : i+3]))
			}
			i += 2
			continue
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

func isHex(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
}

func unhex(c byte) byte {
	switch {
	case c >= '0' && c <= '9':
		return c - '0'
	case c >= 'a' && c <= 'f':
		return c - 'a' + 10
	default:
		return c - 'A' + 10
	}
}

func isUnreserved(c byte) bool {
	return c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' ||
		c == '-' || c == '.' || c == '_' || c == '~'
}
