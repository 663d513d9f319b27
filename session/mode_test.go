package session

import "testing"

func TestAutoModeIsRemoteOnlyOverSSHWithNoDisplay(t *testing.T) {
	cases := []struct {
		name string
		vars map[string]string
		want Mode
	}{
		{"a local desktop signs in through the local browser", map[string]string{"DISPLAY": ":0"}, ModeLoopback},
		{"a local console with no display still uses loopback", map[string]string{}, ModeLoopback},
		{"SSH with no display polls", map[string]string{"SSH_CONNECTION": "10.0.0.1 5000 10.0.0.2 22"}, ModeRemote},
		{"an SSH tty with no display polls", map[string]string{"SSH_TTY": "/dev/pts/1"}, ModeRemote},
		{"SSH with X forwarding uses the forwarded browser", map[string]string{"SSH_TTY": "/dev/pts/1", "DISPLAY": "localhost:10.0"}, ModeLoopback},
		{"SSH with Wayland uses loopback", map[string]string{"SSH_CONNECTION": "x", "WAYLAND_DISPLAY": "wayland-0"}, ModeLoopback},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			m, err := New(Options{GatewayURL: "http://127.0.0.1:1", Getenv: env(c.vars), Keyring: newMemKeyring()})
			if err != nil {
				t.Fatal(err)
			}
			if m.Mode() != c.want {
				t.Errorf("mode %q, want %q", m.Mode(), c.want)
			}
		})
	}
	m, _ := New(Options{GatewayURL: "http://127.0.0.1:1", Mode: ModeRemote, Getenv: env(map[string]string{"DISPLAY": ":0"})})
	if m.Mode() != ModeRemote {
		t.Errorf("an explicit remote mode became %q", m.Mode())
	}
}

func TestNewRefusesAGatewayURLThatIsNotAnOrigin(t *testing.T) {
	for _, u := range []string{"", "gw.example", "ftp://gw.example", "https://gw.example/path", "https://user@gw.example", "https://gw.example?x=1"} {
		if _, err := New(Options{GatewayURL: u}); err == nil {
			t.Errorf("GatewayURL %q accepted", u)
		}
	}
	m, err := New(Options{GatewayURL: "https://gw.example/"})
	if err != nil || m.GatewayURL() != "https://gw.example" {
		t.Errorf("a trailing slash: %v %q", err, m.GatewayURL())
	}
}

func TestOverSSHWithoutDBusTheOSKeyringIsNotAsked(t *testing.T) {
	if _, ok := defaultKeyring(env(map[string]string{"SSH_CONNECTION": "x"})).(noKeyring); !ok {
		t.Error("over SSH with no D-Bus session the OS keyring would be asked")
	}
	if _, ok := defaultKeyring(env(map[string]string{"SSH_CONNECTION": "x", "DBUS_SESSION_BUS_ADDRESS": "unix:path=/run/user/1/bus"})).(osKeyring); !ok {
		t.Error("with a D-Bus session the OS keyring is not used")
	}
}

func TestWithNoKeyringOnTheHostTheSessionIsInMemoryFromTheStart(t *testing.T) {
	m, err := New(Options{GatewayURL: "http://127.0.0.1:1", Getenv: env(map[string]string{"SSH_CONNECTION": "x"})})
	if err != nil {
		t.Fatal(err)
	}
	if m.Storage() != StorageMemory {
		t.Errorf("storage %q, want memory", m.Storage())
	}
}
