package session

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"

	"github.com/ers-workstation/ers-workstation/dpop"
	"github.com/ers-workstation/ers-workstation/gatewayapi"
)

// maxAnswer bounds what is read of a gateway answer.
const maxAnswer = 1 << 20

// call makes one of the Manager's own gateway calls: the JSON body in, a
// proof by key (and the session token when given), the JSON answer into
// out. Refusals come back as *GatewayError, no answer as *NetworkError.
func (m *Manager) call(ctx context.Context, method, path string, key *dpop.Key, token string, in, out any) error {
	ctx, cancel := context.WithTimeout(ctx, m.o.CallTimeout)
	defer cancel()
	target := m.o.GatewayURL + path
	var body io.Reader
	if in != nil {
		b, err := json.Marshal(in)
		if err != nil {
			return err
		}
		body = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, target, body)
	if err != nil {
		return err
	}
	req.Header.Set("Accept", "application/json")
	if in != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if key != nil {
		proof, err := key.Proof(method, target, token, m.o.Now())
		if err != nil {
			return err
		}
		req.Header.Set("DPoP", proof)
	}
	if token != "" {
		req.Header.Set("Authorization", "DPoP "+token)
	}
	resp, err := m.o.HTTPClient.Do(req)
	if err != nil {
		if ctxErr := context.Cause(ctx); ctxErr != nil && errors.Is(err, ctxErr) && !errors.Is(ctxErr, context.DeadlineExceeded) {
			return ctxErr // the caller gave up: not the gateway's fault
		}
		return &NetworkError{GatewayURL: m.o.GatewayURL, Err: err}
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, maxAnswer))
	if err != nil {
		return &NetworkError{GatewayURL: m.o.GatewayURL, Err: err}
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return gatewayError(resp.StatusCode, raw)
	}
	if out == nil || resp.StatusCode == http.StatusNoContent {
		return nil
	}
	if err := json.Unmarshal(raw, out); err != nil {
		return &GatewayError{Status: resp.StatusCode, Code: "invalid_response", Description: "the gateway's answer is not the expected JSON"}
	}
	return nil
}

// gatewayError decodes a refusal; a body that is not the gateway's JSON
// error still gives the status in words.
func gatewayError(status int, raw []byte) *GatewayError {
	var eb gatewayapi.ErrorBody
	if json.Unmarshal(raw, &eb) == nil && eb.Error != "" {
		return &GatewayError{Status: status, Code: eb.Error, Description: eb.Description}
	}
	return &GatewayError{Status: status, Description: http.StatusText(status)}
}
