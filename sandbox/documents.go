package sandbox

// Stubs, replaced by the real handlers (H1).

func (s *Server) retrieveAttachmentLegacy(c *call) { c.fail(notImplemented()) }

func (s *Server) retrieveClinicalInfo(c *call) { c.fail(notImplemented()) }

func (s *Server) generatePatientLetter(c *call) { c.fail(notImplemented()) }

func (s *Server) uploadFile(c *call) { c.fail(notImplemented()) }

func (s *Server) retrieveAttachment(c *call) { c.fail(notImplemented()) }
