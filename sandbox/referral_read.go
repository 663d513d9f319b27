package sandbox

// Stubs, replaced by the real handlers (H1).

func (s *Server) retrieveReferral(c *call) { c.fail(notImplemented()) }

func (s *Server) retrieveReferralVersion(c *call) { c.fail(notImplemented()) }

func (s *Server) availableActions(c *call) { c.fail(notImplemented()) }

func (s *Server) searchServiceRequest(c *call) { c.fail(notImplemented()) }
