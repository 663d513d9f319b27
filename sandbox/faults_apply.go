package sandbox

// Stub, replaced by H7.

// injectFault applies the fault plan to a call: latency, an error status,
// a dropped connection or a slow body. It reports whether it answered.
func (s *Server) injectFault(c *call) bool { return false }
