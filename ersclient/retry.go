package ersclient

import (
	"math/rand/v2"
	"net/http"
	"time"
)

// RetryPolicy governs the automatic retries of reads. Writes are never
// retried: a write whose outcome is unknown is reconciled by reading back.
type RetryPolicy struct {
	// MaxAttempts counts the first try. 1 disables retries.
	MaxAttempts int
	// BaseDelay is the first back-off; it doubles each attempt (1 s, 2 s,
	// 4 s... as e-RS asks on 429), with full jitter, up to MaxDelay.
	BaseDelay time.Duration
	MaxDelay  time.Duration
}

// DefaultRetryPolicy is four attempts from one second, at most eight
// seconds apart. A Retry-After longer than MaxDelay is still honoured when
// the context's deadline allows it.
func DefaultRetryPolicy() RetryPolicy {
	return RetryPolicy{MaxAttempts: 4, BaseDelay: time.Second, MaxDelay: 8 * time.Second}
}

// next says whether attempt n (1-based) of op, which failed with err, may be
// retried, and after how long.
func (p RetryPolicy) next(op Operation, attempt int, err error) (time.Duration, bool) {
	if !op.Retryable() || attempt >= p.MaxAttempts {
		return 0, false
	}
	e, ok := AsError(err)
	if !ok {
		return 0, false
	}
	switch e.Kind {
	case KindNotSent, KindOutcomeUnknown:
		if e.Err != nil && isCanceled(e.Err) {
			return 0, false
		}
	case KindAPI:
		switch e.Status {
		case http.StatusTooManyRequests, http.StatusServiceUnavailable, http.StatusBadGateway, http.StatusGatewayTimeout:
		default:
			return 0, false
		}
		if e.RetryAfter > 0 {
			return e.RetryAfter, true
		}
	default:
		return 0, false
	}
	return p.backoff(attempt), true
}

// backoff is full jitter over an exponential ceiling.
func (p RetryPolicy) backoff(attempt int) time.Duration {
	ceiling := p.BaseDelay << (attempt - 1)
	if ceiling > p.MaxDelay || ceiling <= 0 {
		ceiling = p.MaxDelay
	}
	if ceiling <= 0 {
		return 0
	}
	return time.Duration(rand.Int64N(int64(ceiling))) + ceiling/10
}
