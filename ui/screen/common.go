package screen

import "time"

// WithDefaults fills what a screen needs but the caller left out: the real
// clock, and timeout as the bound of each call when Timeout is unset.
func (c Common) WithDefaults(timeout time.Duration) Common {
	if c.Now == nil {
		c.Now = time.Now
	}
	if c.Timeout <= 0 {
		c.Timeout = timeout
	}
	return c
}
