package document

import (
	"os"
	"os/exec"
	"runtime"
)

// Viewer opens a saved file outside the terminal.
type Viewer struct {
	// Getenv reads the environment (DISPLAY, WAYLAND_DISPLAY).
	Getenv func(string) string
	// Open starts the viewer on path and returns without waiting for it.
	Open func(path string) error
}

// SystemViewer is the desktop's own opener, told about the display by the
// process environment.
func SystemViewer() Viewer { return Viewer{Getenv: os.Getenv, Open: openWithSystemViewer} }

// HasDisplay reports a graphical session a viewer can open on. Over SSH or
// on a console there is none, and the screen says where the file is.
func (v Viewer) HasDisplay() bool {
	switch runtime.GOOS {
	case "darwin", "windows":
		return true
	}
	if v.Getenv == nil {
		return false
	}
	return v.Getenv("DISPLAY") != "" || v.Getenv("WAYLAND_DISPLAY") != ""
}

// openWithSystemViewer hands a file to the desktop's opener, with its
// output discarded (the terminal belongs to the UI). It is not bound to a
// context: cancelling it would close the viewer it starts. The goroutine
// only reaps it and ends when it exits.
func openWithSystemViewer(path string) error {
	cmd := systemOpener(path)
	if err := cmd.Start(); err != nil {
		return err
	}
	go func() { _ = cmd.Wait() }()
	return nil
}

func systemOpener(path string) *exec.Cmd {
	switch runtime.GOOS {
	case "darwin":
		return exec.Command("open", path)
	case "windows":
		return exec.Command("rundll32", "url.dll,FileProtocolHandler", path)
	}
	return exec.Command("xdg-open", path)
}
