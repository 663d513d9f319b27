package ersclient

import (
	"mime"
	"path"
	"strings"
	"unicode"
)

// FileNameFromDisposition returns a safe local file name from a
// Content-Disposition header, or fallback when there is none. It reads both
// forms e-RS uses: filename="..." (plain or RFC 2047 encoded-word) and
// filename*=UTF-8”... (RFC 5987), preferring the latter.
func FileNameFromDisposition(header, fallback string) string {
	name := ""
	if _, params, err := mime.ParseMediaType(header); err == nil {
		// mime.ParseMediaType decodes filename* into "filename".
		name = params["filename"]
	} else {
		name = looseFilename(header)
	}
	if strings.HasPrefix(name, "=?") {
		dec := new(mime.WordDecoder)
		if d, err := dec.DecodeHeader(name); err == nil {
			name = d
		}
	}
	if safe := SanitizeFileName(name); safe != "" {
		return safe
	}
	return SanitizeFileName(fallback)
}

// looseFilename finds filename= in a header mime cannot parse.
func looseFilename(h string) string {
	// Lower-case ASCII only, so that byte offsets stay those of h even
	// when h is not valid UTF-8.
	i := strings.Index(asciiLower(h), "filename=")
	if i < 0 {
		return ""
	}
	v := h[i+len("filename="):]
	if j := strings.IndexByte(v, ';'); j >= 0 {
		v = v[:j]
	}
	return strings.Trim(strings.TrimSpace(v), `"`)
}

// maxFileName keeps names well under every file system's limit.
const maxFileName = 120

// SanitizeFileName makes a name safe to create in a download directory: no
// directory parts, no traversal, no control or reserved characters, no
// leading dots, and a bounded length that keeps the extension.
func SanitizeFileName(name string) string {
	name = strings.ReplaceAll(name, "\\", "/")
	name = path.Base("/" + name)
	var b strings.Builder
	for _, r := range name {
		switch {
		case r == '/' || r == 0 || unicode.IsControl(r):
			continue
		case strings.ContainsRune(`<>:"|?*`, r):
			b.WriteRune('_')
		default:
			b.WriteRune(r)
		}
	}
	name = strings.TrimLeft(strings.TrimSpace(b.String()), ".")
	name = strings.TrimRight(name, ". ")
	if name == "" || name == "/" {
		return ""
	}
	if len(name) > maxFileName {
		ext := path.Ext(name)
		if len(ext) > 16 {
			ext = ""
		}
		name = truncateUTF8(name[:len(name)-len(ext)], maxFileName-len(ext)) + ext
	}
	return name
}

func truncateUTF8(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

func utf8RuneStart(b byte) bool { return b&0xC0 != 0x80 }

func asciiLower(s string) string {
	b := []byte(s)
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}
