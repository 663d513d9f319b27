package sandbox

import "github.com/ers-workstation/ers-workstation/ersclient"

// handlers maps every operation of the catalogue to its handler. New
// operations are one line here; New panics if one is missing, and a test
// proves each path reaches its own handler.
func (s *Server) handlers() map[ersclient.OperationID]handlerFunc {
	return map[ersclient.OperationID]handlerFunc{
		ersclient.OpRetrieveReferenceData:     s.retrieveReferenceData,
		ersclient.OpRetrieveReferral:          s.retrieveReferral,
		ersclient.OpRetrieveReferralVersion:   s.retrieveReferralVersion,
		ersclient.OpRetrieveAttachmentLegacy:  s.retrieveAttachmentLegacy,
		ersclient.OpRetrieveClinicalInfo:      s.retrieveClinicalInfo,
		ersclient.OpRetrieveWorklist:          s.retrieveWorklist,
		ersclient.OpPatientServiceSearch:      s.patientServiceSearch,
		ersclient.OpCreateReferral:            s.createReferral,
		ersclient.OpMaintainReferralLetter:    s.maintainReferralLetter,
		ersclient.OpAcceptReferral:            s.acceptReferral,
		ersclient.OpRejectReferral:            s.rejectReferral,
		ersclient.OpRetrieveSlots:             s.retrieveSlots,
		ersclient.OpBookOrDefer:               s.bookOrDefer,
		ersclient.OpGeneratePatientLetter:     s.generatePatientLetter,
		ersclient.OpUploadFile:                s.uploadFile,
		ersclient.OpCreateReferralAndTriage:   s.createReferralAndTriage,
		ersclient.OpCancelApptActionLater:     s.cancelApptActionLater,
		ersclient.OpAdviceWorklist:            s.adviceWorklist,
		ersclient.OpRetrieveAdviceRequest:     s.retrieveAdviceRequest,
		ersclient.OpRetrieveAdviceRequestVer:  s.retrieveAdviceRequestVersion,
		ersclient.OpRetrieveAdviceThread:      s.retrieveAdviceThread,
		ersclient.OpSendAdviceResponse:        s.sendAdviceResponse,
		ersclient.OpConvertAdviceToReferral:   s.convertAdviceToReferral,
		ersclient.OpRecordReviewOutcome:       s.recordReviewOutcome,
		ersclient.OpAvailableActions:          s.availableActions,
		ersclient.OpRetrieveBusinessFunctions: s.retrieveBusinessFunctions,
		ersclient.OpChangeShortlist:           s.changeShortlist,
		ersclient.OpChangeShortlistAndTriage:  s.changeShortlistAndTriage,
		ersclient.OpRetrieveService:           s.retrieveService,
		ersclient.OpCancelAppointment:         s.cancelAppointment,
		ersclient.OpSearchServices:            s.searchServices,
		ersclient.OpCancelReferral:            s.cancelReferral,
		ersclient.OpRetrieveServiceVersion:    s.retrieveServiceVersion,
		ersclient.OpRetrieveAppointment:       s.retrieveAppointment,
		ersclient.OpRetrieveAppointmentVer:    s.retrieveAppointmentVersion,
		ersclient.OpRetrieveOnBehalfOfUsers:   s.retrieveOnBehalfOfUsers,
		ersclient.OpSearchServiceRequest:      s.searchServiceRequest,
		ersclient.OpRetrieveAttachment:        s.retrieveAttachment,
		ersclient.OpRetrieveAdviceOverviewPDF: s.retrieveAdviceOverviewPDF,
		ersclient.OpCreateAdviceRequest:       s.createAdviceRequest,
	}
}
