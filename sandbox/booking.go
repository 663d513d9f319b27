package sandbox

// Stubs, replaced by the real handlers (H2).

func (s *Server) retrieveSlots(c *call) { c.fail(notImplemented()) }

func (s *Server) bookOrDefer(c *call) { c.fail(notImplemented()) }

func (s *Server) cancelAppointment(c *call) { c.fail(notImplemented()) }

func (s *Server) retrieveAppointment(c *call) { c.fail(notImplemented()) }

func (s *Server) retrieveAppointmentVersion(c *call) { c.fail(notImplemented()) }
