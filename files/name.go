package files

import (
	"path"
	"strings"
	"unicode"
	"unicode/utf8"
)

// MaxNameBytes caps a saved name well under every file system's limit,
// leaving room for a " (n)" suffix.
const MaxNameBytes = 120

// DefaultName is used when nothing of a name is left once made safe.
const DefaultName = "download"

// SafeName makes a name from e-RS (a Content-Disposition, an attachment's
// title) safe to create in the download directory: only its last path
// element, control and reserved characters replaced by "_", no leading dot
// (hidden files, "..") or trailing dot or space, no device name, at most
// MaxNameBytes bytes with the extension kept.
func SafeName(name string) string {
	// Either separator counts: a name from a Windows client may use "\".
	name = strings.TrimPrefix(path.Base("/"+strings.ReplaceAll(name, `\`, "/")), "/")
	var b strings.Builder
	for _, r := range name {
		switch {
		case r == utf8.RuneError, unicode.IsControl(r), strings.ContainsRune(`<>:"|?*`, r),
			unicode.Is(unicode.Cf, r): // bidi overrides can disguise an extension
			b.WriteByte('_')
		default:
			b.WriteRune(r)
		}
	}
	name = strings.TrimLeft(strings.TrimSpace(b.String()), ".")
	name = strings.TrimRight(name, ". ")
	if name == "" {
		return DefaultName
	}
	if reservedDevice(name) {
		name = "_" + name
	}
	if len(name) > MaxNameBytes {
		ext := extension(name)
		if len(ext) > 16 {
			ext = ""
		}
		name = strings.TrimRight(truncate(strings.TrimSuffix(name, ext), MaxNameBytes-len(ext)), ". ") + ext
	}
	return name
}

// extension is the name's extension with its dot, or "".
func extension(name string) string {
	ext := path.Ext(name)
	if ext == name {
		return ""
	}
	return ext
}

// truncate cuts s to at most n bytes without splitting a rune.
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

// reservedDevice reports a Windows device name (CON, NUL, COM1...), which
// cannot be a file there whatever its extension.
func reservedDevice(name string) bool {
	stem := strings.ToUpper(strings.TrimSuffix(name, path.Ext(name)))
	switch stem {
	case "CON", "PRN", "AUX", "NUL":
		return true
	}
	if len(stem) == 4 && (strings.HasPrefix(stem, "COM") || strings.HasPrefix(stem, "LPT")) && stem[3] >= '1' && stem[3] <= '9' {
		return true
	}
	return false
}
