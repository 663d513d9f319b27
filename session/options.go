package session

import (
	"errors"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"strings"
	"time"
)

// Defaults of Options.
const (
	DefaultKeyringTimeout = 2 * time.Second
	// DefaultCallTimeout bounds each of the Manager's own gateway calls.
	DefaultCallTimeout = 15 * time.Second
	// browserWait is how long StartSignIn waits for the system browser to
	// start: xdg-open may not return until the browser exits.
	browserWait = 2 * time.Second
)

// KeyringService is the keyring service the session is kept under; the
// user is the gateway URL, so two gateways keep two entries.
const KeyringService = "ers-workstation"

// Options configure a Manager. GatewayURL is required.
type Options struct {
	// GatewayURL is the gateway's origin, such as https://gw.example.
	GatewayURL string
	// HTTPClient makes the Manager's own calls and its Transport is the base
	// of Transport(); nil gives a client with a 30 s timeout.
	HTTPClient *http.Client
	// Mode chooses loopback or remote; ModeAuto decides from Getenv.
	Mode Mode
	// OpenBrowser opens a URL in the system browser (loopback mode only);
	// nil uses github.com/pkg/browser with its output discarded.
	OpenBrowser func(url string) error
	// Keyring keeps the session between runs; nil uses the OS keyring
	// (none over SSH without a D-Bus session, see defaultKeyring).
	Keyring Keyring
	// KeyringTimeout bounds every keyring call; zero means
	// DefaultKeyringTimeout.
	KeyringTimeout time.Duration
	// CallTimeout bounds each of the Manager's own gateway calls; zero means
	// DefaultCallTimeout.
	CallTimeout time.Duration
	// Now is the clock (proofs, deadlines); nil means time.Now.
	Now func() time.Time
	// After waits between remote-mode polls and for a login's expiry; nil
	// means time.After. Tests use it to poll without waiting.
	After func(d time.Duration) <-chan time.Time
	// Getenv reads the environment for ModeAuto and the keyring choice;
	// nil means os.Getenv.
	Getenv func(key string) string
	// Logger receives events without any secret; nil discards them.
	Logger *slog.Logger
}

// withDefaults checks o and fills in its defaults; it does no I/O.
func (o Options) withDefaults() (Options, *url.URL, error) {
	raw := strings.TrimSuffix(o.GatewayURL, "/")
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.Path != "" || u.User != nil || u.RawQuery != "" {
		return o, nil, errors.New("session: GatewayURL must be an http(s) origin such as https://gw.example")
	}
	o.GatewayURL = raw
	if o.Mode != ModeAuto && o.Mode != ModeLoopback && o.Mode != ModeRemote {
		return o, nil, errors.New(`session: Mode must be "", "loopback" or "remote"`)
	}
	if o.HTTPClient == nil {
		o.HTTPClient = &http.Client{Timeout: 30 * time.Second}
	}
	if o.Getenv == nil {
		o.Getenv = os.Getenv
	}
	if o.OpenBrowser == nil {
		o.OpenBrowser = openSystemBrowser
	}
	if o.Keyring == nil {
		o.Keyring = defaultKeyring(o.Getenv)
	}
	if o.KeyringTimeout <= 0 {
		o.KeyringTimeout = DefaultKeyringTimeout
	}
	if o.CallTimeout <= 0 {
		o.CallTimeout = DefaultCallTimeout
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.After == nil {
		o.After = time.After
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	return o, u, nil
}

// resolveMode turns ModeAuto into remote over SSH with no display (the
// browser would open, if at all, on the jump host, not where the smartcard
// is), and loopback otherwise.
func resolveMode(m Mode, getenv func(string) string) Mode {
	if m != ModeAuto {
		return m
	}
	ssh := getenv("SSH_CONNECTION") != "" || getenv("SSH_TTY") != ""
	display := getenv("DISPLAY") != "" || getenv("WAYLAND_DISPLAY") != ""
	if ssh && !display {
		return ModeRemote
	}
	return ModeLoopback
}
