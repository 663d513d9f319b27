package plain

import (
	"errors"

	"github.com/ers-workstation/ers-workstation/session"
)

// gatewayCode reports the gateway's error code and description in err.
func gatewayCode(err error) (code, desc string, ok bool) {
	var ge *session.GatewayError
	if errors.As(err, &ge) {
		return ge.Code, ge.Description, true
	}
	return "", "", false
}
