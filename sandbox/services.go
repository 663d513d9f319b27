package sandbox

// Stubs, replaced by the real handlers (H5).

func (s *Server) retrieveReferenceData(c *call) { c.fail(notImplemented()) }

func (s *Server) retrieveService(c *call) { c.fail(notImplemented()) }

func (s *Server) searchServices(c *call) { c.fail(notImplemented()) }

func (s *Server) retrieveServiceVersion(c *call) { c.fail(notImplemented()) }

func (s *Server) retrieveBusinessFunctions(c *call) { c.fail(notImplemented()) }

func (s *Server) retrieveOnBehalfOfUsers(c *call) { c.fail(notImplemented()) }
