package referral

import (
	"os/exec"
	"runtime"
)

// systemOpener is the command that opens a file with the user's default
// viewer on this system.
func systemOpener(path string) *exec.Cmd {
	switch runtime.GOOS {
	case "darwin":
		return exec.Command("open", path)
	case "windows":
		return exec.Command("rundll32", "url.dll,FileProtocolHandler", path)
	}
	return exec.Command("xdg-open", path)
}

// hasDisplay reports a graphical session a viewer can open on. Over SSH or
// on a console there is none, and the screen says where the file is.
func hasDisplay(getenv func(string) string) bool {
	switch runtime.GOOS {
	case "darwin", "windows":
		return true
	}
	return getenv("DISPLAY") != "" || getenv("WAYLAND_DISPLAY") != ""
}
