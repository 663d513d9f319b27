package proxy

import (
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/ers-workstation/ers-workstation/gatewayapi"
	"github.com/google/uuid"
	"golang.org/x/time/rate"
)

// Prefix is where the proxy is mounted on the gateway: requests for
// Prefix + "/STU3/..." are forwarded to Upstream + "/STU3/...".
const Prefix = gatewayapi.ERSPrefix

// Defaults of Options.
const (
	// DefaultMaxBody is the limit of a write's body other than an upload.
	DefaultMaxBody = 1 << 20
	// DefaultMaxUploadBody is A020's limit: e-RS's 5 MB file limit plus a
	// margin, so that e-RS, not the gateway, answers a file slightly too big
	// with its own FILE_SIZE_ERROR.
	DefaultMaxUploadBody = 5<<20 + 256<<10
	// DefaultTimeout bounds a whole exchange with e-RS, body included.
	DefaultTimeout = 60 * time.Second
	// DefaultRate and DefaultBurst are the per-session limit: e-RS calls a
	// second a session may make on average, and in a burst. The gateway
	// should set them so that sessions together stay under the APIM quota.
	DefaultRate  = 5
	DefaultBurst = 20
	// DefaultLimiterIdle is how long an idle session's limiter is kept (the
	// session idle timeout).
	DefaultLimiterIdle = 15 * time.Minute
)

// Options configure a Proxy. Upstream, Authenticate and Auditor are
// required; the rest have safe defaults.
type Options struct {
	// Upstream is the e-RS FHIR base URL, without the version:
	// "https://int.api.service.nhs.uk/referrals/FHIR", or the simulator's
	// "http://127.0.0.1:9000/referrals/FHIR".
	Upstream string
	// Authenticate turns a request into the session's Caller.
	Authenticate Authenticate
	// Auditor receives an audit record of every forwarded or refused call.
	Auditor Auditor
	// Transport sends the calls to e-RS; default: a clone of
	// http.DefaultTransport with a response header timeout. It is used
	// directly, never through an http.Client, so no redirect is followed.
	Transport http.RoundTripper
	// Timeout bounds one exchange with e-RS, streaming the body included.
	Timeout time.Duration
	// Rate (calls per second) and Burst are the per-session limit.
	Rate  rate.Limit
	Burst int
	// LimiterIdle is how long the limiter of an idle session is kept.
	LimiterIdle time.Duration
	// MaxBody and MaxUploadBody limit request bodies (A020 uses the second).
	MaxBody, MaxUploadBody int64
	// Metrics receives an observation per request; default none.
	Metrics Metrics
	// Logger receives one line per call (no bodies, no tokens); default none.
	Logger *slog.Logger
	// Now is the clock; default time.Now.
	Now func() time.Time
	// NewID makes correlation ids when the workstation sends none; default
	// a random UUID.
	NewID func() string
}

// withDefaults checks o and fills in the defaults.
func (o Options) withDefaults() (Options, error) {
	if o.Authenticate == nil {
		return o, errors.New("proxy: Authenticate is required")
	}
	if o.Auditor == nil {
		return o, errors.New("proxy: Auditor is required")
	}
	u, err := url.Parse(o.Upstream)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || u.RawQuery != "" || u.Fragment != "" {
		return o, fmt.Errorf("proxy: Upstream %q is not an http(s) base URL", o.Upstream)
	}
	o.Upstream = strings.TrimRight(o.Upstream, "/")
	if o.Transport == nil {
		t := http.DefaultTransport.(*http.Transport).Clone()
		t.ResponseHeaderTimeout = DefaultTimeout
		t.MaxIdleConnsPerHost = 64
		o.Transport = t
	}
	if o.Timeout <= 0 {
		o.Timeout = DefaultTimeout
	}
	if o.Rate <= 0 {
		o.Rate = DefaultRate
	}
	if o.Burst <= 0 {
		o.Burst = DefaultBurst
	}
	if o.LimiterIdle <= 0 {
		o.LimiterIdle = DefaultLimiterIdle
	}
	if o.MaxBody <= 0 {
		o.MaxBody = DefaultMaxBody
	}
	if o.MaxUploadBody <= 0 {
		o.MaxUploadBody = DefaultMaxUploadBody
	}
	if o.Metrics == nil {
		o.Metrics = noMetrics{}
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.NewID == nil {
		o.NewID = uuid.NewString
	}
	return o, nil
}
