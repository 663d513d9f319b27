package broker

import "github.com/ers-workstation/ers-workstation/gatewayapi"

// The bodies of the broker's endpoints are the wire protocol shared with the
// workstation (package gatewayapi); these names keep the broker's code and
// tests reading as before.
type (
	LoginRequest    = gatewayapi.LoginRequest
	LoginResponse   = gatewayapi.LoginResponse
	ErrorBody       = gatewayapi.ErrorBody
	TokenRequest    = gatewayapi.TokenRequest
	TokenResponse   = gatewayapi.TokenResponse
	User            = gatewayapi.User
	SessionInfo     = gatewayapi.SessionInfo
	ContextBody     = gatewayapi.ContextBody
	ContextResponse = gatewayapi.ContextResponse
	RolesResponse   = gatewayapi.RolesResponse
	RoleChoice      = gatewayapi.RoleChoice
	Clinician       = gatewayapi.Clinician
)
