package sandbox

// Stubs, replaced by the real handlers (H2).

func (s *Server) patientServiceSearch(c *call) { c.fail(notImplemented()) }

func (s *Server) createReferral(c *call) { c.fail(notImplemented()) }

func (s *Server) maintainReferralLetter(c *call) { c.fail(notImplemented()) }

func (s *Server) createReferralAndTriage(c *call) { c.fail(notImplemented()) }

func (s *Server) changeShortlist(c *call) { c.fail(notImplemented()) }

func (s *Server) changeShortlistAndTriage(c *call) { c.fail(notImplemented()) }
