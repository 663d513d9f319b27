package sandbox

// Stubs, replaced by the real handlers (H3).

func (s *Server) retrieveWorklist(c *call) { c.fail(notImplemented()) }

func (s *Server) adviceWorklist(c *call) { c.fail(notImplemented()) }
