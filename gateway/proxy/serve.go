package proxy

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/ers-workstation/ers-workstation/ersclient"
	"github.com/ers-workstation/ers-workstation/gateway/store"
)

// auditTimeout bounds an audit write, which runs even when the workstation
// has gone away.
const auditTimeout = 5 * time.Second

// exchange is one call being proxied.
type exchange struct {
	op            ersclient.Operation
	caller        Caller
	bf, ods, obo  string
	correlationID string
	start         time.Time
}

// serve runs the pipeline of one allow-listed call.
func (p *Proxy) serve(w http.ResponseWriter, r *http.Request, op ersclient.Operation) {
	start := p.opts.Now()
	caller, ok := p.opts.Authenticate(w, r)
	if !ok {
		return
	}
	x := &exchange{op: op, caller: caller, start: start, correlationID: r.Header.Get(headerCorrelationID)}
	if !validCorrelationID(x.correlationID) {
		x.correlationID = p.opts.NewID()
	}
	w.Header().Set(headerCorrelationID, x.correlationID)

	if allowed, wait := p.limiters.allow(caller.SessionID(), start); !allowed {
		w.Header().Set("Retry-After", retryAfterSeconds(wait.Seconds()))
		p.refuse(w, r, caller, x, start, http.StatusTooManyRequests, codeRateLimited, "too many e-RS calls from this session: wait and try again")
		return
	}
	if !op.NoContext {
		var chosen bool
		x.bf, x.ods, x.obo, chosen = caller.Context()
		if !chosen {
			p.refuse(w, r, caller, x, start, http.StatusConflict, codeNoRole, "choose a role first")
			return
		}
	}
	body, status := p.readBody(r, op)
	if status != 0 {
		if status == http.StatusRequestEntityTooLarge {
			p.refuse(w, r, caller, x, start, status, codeTooLarge, "the request body is larger than the gateway accepts for this operation")
		} else {
			p.refuse(w, r, caller, x, start, status, codeBadRequest, "the request body could not be read")
		}
		return
	}

	// The audit record is written before anything reaches e-RS; without it
	// the call does not happen.
	auditID, err := p.begin(r.Context(), x, resourceID(r))
	if err != nil {
		p.opts.Metrics.AuditFailure(string(op.ID))
		p.opts.Logger.LogAttrs(r.Context(), slog.LevelError, "audit write failed; call refused", slog.String("op", string(op.ID)),
			slog.String("correlation_id", x.correlationID), slog.String("error", err.Error()))
		p.finish(r, x, http.StatusServiceUnavailable, "")
		writeError(w, http.StatusServiceUnavailable, codeAuditFailed, "the audit trail cannot be written, so the call was not sent to e-RS")
		return
	}
	status, requestID, outcome := p.forward(w, r, x, body)
	p.complete(r.Context(), x, auditID, status, outcome, requestID)
	p.finish(r, x, status, requestID)
}

// readBody reads the request body within the operation's limit: whole, so
// that e-RS never sees a body the gateway would refuse and gets a
// Content-Length. It returns 413 or 400 on failure.
func (p *Proxy) readBody(r *http.Request, op ersclient.Operation) ([]byte, int) {
	if r.Body == nil || r.Body == http.NoBody {
		return nil, 0
	}
	limit := p.opts.MaxBody
	if op.ID == ersclient.OpUploadFile {
		limit = p.opts.MaxUploadBody
	}
	if r.ContentLength > limit {
		return nil, http.StatusRequestEntityTooLarge
	}
	b, err := io.ReadAll(io.LimitReader(r.Body, limit+1))
	if err != nil {
		return nil, http.StatusBadRequest
	}
	if int64(len(b)) > limit {
		return nil, http.StatusRequestEntityTooLarge
	}
	if len(b) == 0 {
		return nil, 0
	}
	return b, 0
}

// forward sends the call to e-RS and streams the answer back. It returns
// the status answered, e-RS's request id and the audit outcome.
func (p *Proxy) forward(w http.ResponseWriter, r *http.Request, x *exchange, body []byte) (int, string, string) {
	ctx, cancel := context.WithTimeout(r.Context(), p.opts.Timeout)
	defer cancel()
	token, err := x.caller.AccessToken(ctx)
	if err != nil {
		if errors.Is(err, ErrLoginRequired) {
			w.Header().Set("WWW-Authenticate", `DPoP error="login_required"`)
			writeError(w, http.StatusUnauthorized, codeLoginRequired, "the NHS session has ended: sign in again")
			return http.StatusUnauthorized, "", codeLoginRequired
		}
		writeError(w, http.StatusBadGateway, codeTokenFailed, "the gateway could not get an APIM access token")
		return http.StatusBadGateway, "", codeTokenFailed
	}
	target := p.opts.Upstream + strings.TrimPrefix(r.URL.EscapedPath(), Prefix)
	if r.URL.RawQuery != "" {
		target += "?" + r.URL.RawQuery
	}
	var rb io.Reader
	if body != nil {
		rb = bytes.NewReader(body)
	}
	out, err := http.NewRequestWithContext(ctx, r.Method, target, rb)
	if err != nil {
		writeError(w, http.StatusBadRequest, codeBadRequest, "the request cannot be forwarded")
		return http.StatusBadRequest, "", codeBadRequest
	}
	out.Header = outboundHeader(r.Header, x.op, token, x.correlationID, x.bf, x.ods, x.obo)
	resp, err := p.opts.Transport.RoundTrip(out)
	if err != nil {
		return p.upstreamFailed(w, ctx, err)
	}
	defer resp.Body.Close()
	requestID := resp.Header.Get(headerRequestID)
	responseHeader(w.Header(), resp.Header, resp.StatusCode)
	if w.Header().Get(headerCorrelationID) == "" {
		w.Header().Set(headerCorrelationID, x.correlationID)
	}
	w.WriteHeader(resp.StatusCode)
	if _, err := io.Copy(w, resp.Body); err != nil {
		// The status is sent; the workstation sees a cut body. The audit
		// says so.
		return resp.StatusCode, requestID, "interrupted"
	}
	return resp.StatusCode, requestID, outcomeFor(resp.StatusCode)
}

// upstreamFailed answers a failed exchange: 504 for a timeout, 502 for
// anything else. Nothing is retried: the workstation decides.
func (p *Proxy) upstreamFailed(w http.ResponseWriter, ctx context.Context, err error) (int, string, string) {
	var ne net.Error
	if errors.Is(err, context.DeadlineExceeded) || ctx.Err() == context.DeadlineExceeded || (errors.As(err, &ne) && ne.Timeout()) {
		writeError(w, http.StatusGatewayTimeout, codeUpstreamTimeout, "e-RS did not answer in time; the call may or may not have taken effect")
		return http.StatusGatewayTimeout, "", codeUpstreamTimeout
	}
	writeError(w, http.StatusBadGateway, codeUpstreamFailed, "e-RS could not be reached or closed the connection")
	return http.StatusBadGateway, "", codeUpstreamFailed
}

// resourceID is the UBRN or id the path names, for the audit.
func resourceID(r *http.Request) string {
	if v := r.PathValue("ubrn"); v != "" {
		return v
	}
	return r.PathValue("id")
}

// record is the audit record of x, before the call is answered.
func (x *exchange) record(kind store.AuditKind, at time.Time) store.AuditRecord {
	return store.AuditRecord{Time: at, Kind: kind, SessionID: x.caller.SessionID(), User: x.caller.User(),
		Role: x.bf, ODS: x.ods, OBO: x.obo, Operation: string(x.op.ID), CorrelationID: x.correlationID, Outcome: outcomePending}
}

func (p *Proxy) begin(ctx context.Context, x *exchange, resource string) (int64, error) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), auditTimeout)
	defer cancel()
	rec := x.record(store.AuditCall, x.start)
	rec.Resource = resource
	return p.opts.Auditor.AppendAudit(ctx, rec)
}

func (p *Proxy) complete(ctx context.Context, x *exchange, id int64, status int, outcome, requestID string) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), auditTimeout)
	defer cancel()
	now := p.opts.Now()
	if err := p.opts.Auditor.CompleteAudit(ctx, id, status, outcome, requestID, now.Sub(x.start), now); err != nil {
		p.opts.Metrics.AuditFailure(string(x.op.ID))
		p.opts.Logger.LogAttrs(ctx, slog.LevelError, "audit completion failed", slog.String("op", string(x.op.ID)),
			slog.String("correlation_id", x.correlationID), slog.String("error", err.Error()))
	}
}

// refuse answers a call the proxy itself refuses and appends a complete
// refusal record. x is nil when no operation matched.
func (p *Proxy) refuse(w http.ResponseWriter, r *http.Request, caller Caller, x *exchange, start time.Time, status int, code, description string) {
	if x == nil {
		x = &exchange{op: ersclient.Operation{ID: "none"}, caller: caller, start: start, correlationID: r.Header.Get(headerCorrelationID)}
		x.bf, x.ods, x.obo, _ = caller.Context()
		if !validCorrelationID(x.correlationID) {
			x.correlationID = p.opts.NewID()
		}
		w.Header().Set(headerCorrelationID, x.correlationID)
	}
	now := p.opts.Now()
	rec := x.record(store.AuditRefusal, start)
	rec.Resource = resourceID(r)
	rec.Status, rec.Outcome, rec.Latency, rec.Completed = status, code, now.Sub(start), now
	ctx, cancel := context.WithTimeout(context.WithoutCancel(r.Context()), auditTimeout)
	defer cancel()
	if _, err := p.opts.Auditor.AppendAudit(ctx, rec); err != nil {
		p.opts.Metrics.AuditFailure(string(x.op.ID))
	}
	writeError(w, status, code, description)
	p.finish(r, x, status, "")
}

// finish logs and measures an answered call.
func (p *Proxy) finish(r *http.Request, x *exchange, status int, requestID string) {
	latency := p.opts.Now().Sub(x.start)
	p.opts.Metrics.ObserveCall(string(x.op.ID), status, latency)
	p.opts.Logger.LogAttrs(r.Context(), slog.LevelInfo, "e-RS call", slog.String("op", string(x.op.ID)), slog.Int("status", status),
		slog.String("correlation_id", x.correlationID), slog.String("request_id", requestID),
		slog.Float64("latency_ms", float64(latency.Microseconds())/1000))
}
