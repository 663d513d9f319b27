package cli

import (
	"bytes"
	"strings"
	"testing"
)

func TestWrapKeepsLinesWithinTheWidthAndIndents(t *testing.T) {
	got := Wrap("one two three four five six seven", "  ", 12)
	for line := range strings.Lines(got) {
		if len(strings.TrimRight(line, "\n")) > 12 || !strings.HasPrefix(line, "  ") {
			t.Errorf("line %q is wider than 12 or not indented", line)
		}
	}
	if strings.Join(strings.Fields(got), " ") != "one two three four five six seven" {
		t.Errorf("words lost or reordered: %q", got)
	}
}

func TestNewLoggerHonoursFormatAndLevel(t *testing.T) {
	var b bytes.Buffer
	log := NewLogger("json", "warn", &b)
	log.Info("hidden")
	log.Warn("shown")
	if strings.Contains(b.String(), "hidden") || !strings.HasPrefix(b.String(), "{") {
		t.Errorf("json at warn wrote %q", b.String())
	}
	b.Reset()
	NewLogger("text", "debug", &b).Debug("detail")
	if !strings.Contains(b.String(), "level=DEBUG") {
		t.Errorf("text at debug wrote %q", b.String())
	}
}
