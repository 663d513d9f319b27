package sandbox

// Stubs, replaced by the real handlers (H4).

func (s *Server) retrieveAdviceRequest(c *call) { c.fail(notImplemented()) }

func (s *Server) retrieveAdviceRequestVersion(c *call) { c.fail(notImplemented()) }

func (s *Server) retrieveAdviceThread(c *call) { c.fail(notImplemented()) }

func (s *Server) sendAdviceResponse(c *call) { c.fail(notImplemented()) }

func (s *Server) convertAdviceToReferral(c *call) { c.fail(notImplemented()) }

func (s *Server) retrieveAdviceOverviewPDF(c *call) { c.fail(notImplemented()) }

func (s *Server) createAdviceRequest(c *call) { c.fail(notImplemented()) }
