package sandbox

// Stubs, replaced by the real handlers (H3).

func (s *Server) acceptReferral(c *call) { c.fail(notImplemented()) }

func (s *Server) rejectReferral(c *call) { c.fail(notImplemented()) }

func (s *Server) cancelApptActionLater(c *call) { c.fail(notImplemented()) }

func (s *Server) recordReviewOutcome(c *call) { c.fail(notImplemented()) }

func (s *Server) cancelReferral(c *call) { c.fail(notImplemented()) }
