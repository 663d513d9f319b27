package main

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/ers-workstation/ers-workstation/config"
	"github.com/ers-workstation/ers-workstation/gateway/store"
)

// auditFormats are the export formats of "ers-gateway audit".
func auditFormats() []string { return []string{"jsonl", "csv"} }

// auditLine is one exported record. The field names are the export's
// contract with whoever reads it: add fields, never rename them.
type auditLine struct {
	ID            int64   `json:"id"`
	Time          string  `json:"time"`
	Kind          string  `json:"kind"`
	SessionID     string  `json:"session_id,omitempty"`
	User          string  `json:"user,omitempty"`
	Role          string  `json:"role,omitempty"`
	ODS           string  `json:"ods,omitempty"`
	OBO           string  `json:"obo,omitempty"`
	Operation     string  `json:"operation,omitempty"`
	Resource      string  `json:"resource,omitempty"`
	Status        int     `json:"status"`
	Outcome       string  `json:"outcome,omitempty"`
	RequestID     string  `json:"request_id,omitempty"`
	CorrelationID string  `json:"correlation_id,omitempty"`
	LatencyMS     float64 `json:"latency_ms"`
	Completed     string  `json:"completed,omitempty"`
}

// auditHeader is the CSV header, in the order of auditLine's fields.
func auditHeader() []string {
	return []string{"id", "time", "kind", "session_id", "user", "role", "ods", "obo", "operation", "resource",
		"status", "outcome", "request_id", "correlation_id", "latency_ms", "completed"}
}

func newAuditLine(r store.AuditRecord) auditLine {
	l := auditLine{
		ID: r.ID, Time: r.Time.UTC().Format(time.RFC3339Nano), Kind: string(r.Kind), SessionID: r.SessionID,
		User: r.User, Role: r.Role, ODS: r.ODS, OBO: r.OBO, Operation: r.Operation, Resource: r.Resource,
		Status: r.Status, Outcome: r.Outcome, RequestID: r.RequestID, CorrelationID: r.CorrelationID,
		LatencyMS: float64(r.Latency.Microseconds()) / 1000,
	}
	if !r.Completed.IsZero() {
		l.Completed = r.Completed.UTC().Format(time.RFC3339Nano)
	}
	return l
}

func (l auditLine) csv() []string {
	return []string{strconv.FormatInt(l.ID, 10), l.Time, l.Kind, l.SessionID, l.User, l.Role, l.ODS, l.OBO, l.Operation, l.Resource,
		strconv.Itoa(l.Status), l.Outcome, l.RequestID, l.CorrelationID, strconv.FormatFloat(l.LatencyMS, 'f', -1, 64), l.Completed}
}

// auditArgs is the command line of "ers-gateway audit".
type auditArgs struct {
	configPath string
	from, to   time.Time
	format     string
}

func parseAuditArgs(args []string) (auditArgs, error) {
	fs := flag.NewFlagSet("ers-gateway audit", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	a := auditArgs{format: "jsonl"}
	var from, to string
	fs.StringVar(&a.configPath, "config", "", "")
	fs.StringVar(&from, "from", "", "")
	fs.StringVar(&to, "to", "", "")
	fs.StringVar(&a.format, "format", a.format, "")
	if err := fs.Parse(args); err != nil {
		return a, err
	}
	if fs.NArg() > 0 {
		return a, fmt.Errorf("audit: unexpected argument %q", fs.Arg(0))
	}
	var err error
	if a.from, err = parseAuditTime("--from", from); err != nil {
		return a, err
	}
	if a.to, err = parseAuditTime("--to", to); err != nil {
		return a, err
	}
	if !a.from.Before(a.to) {
		return a, fmt.Errorf("audit: --from %s is not before --to %s", from, to)
	}
	if !slices.Contains(auditFormats(), a.format) {
		return a, fmt.Errorf("audit: --format %q is not allowed; use one of %s", a.format, strings.Join(auditFormats(), ", "))
	}
	return a, nil
}

func parseAuditTime(name, v string) (time.Time, error) {
	if v == "" {
		return time.Time{}, fmt.Errorf("audit: %s is required, in RFC 3339 such as 2026-11-21T07:30:00Z", name)
	}
	t, err := time.Parse(time.RFC3339, v)
	if err != nil {
		return time.Time{}, fmt.Errorf("audit: %s %q is not an RFC 3339 time such as 2026-11-21T07:30:00Z", name, v)
	}
	return t, nil
}

// audit is "ers-gateway audit": it writes the records of a time range to
// stdout, oldest first.
func (p program) audit(ctx context.Context, args []string) int {
	a, err := parseAuditArgs(args)
	if errors.Is(err, flag.ErrHelp) {
		writeUsage(p.stdout)
		return exitOK
	}
	if err != nil {
		return p.usageError(err)
	}
	cfg, _, err := p.loadSettings(a.configPath, nil)
	if err != nil {
		return p.usageError(err)
	}
	if cfg.Store.DSN == "" {
		return p.usageError(errors.New("audit: store.dsn is empty: an in-memory store lives inside the running gateway and has nothing to export here"))
	}
	return p.export(ctx, cfg.Store, a)
}

// export writes the records to stdout in the format asked.
func (p program) export(ctx context.Context, c config.Store, a auditArgs) int {
	openCtx, cancel := context.WithTimeout(ctx, startTimeout)
	defer cancel()
	st, err := openStore(openCtx, c)
	if err != nil {
		fmt.Fprintf(p.stderr, "ers-gateway: audit: %v\n", err)
		return exitError
	}
	defer st.Close()

	var write func(auditLine) error
	var flush func() error
	switch a.format {
	case "csv":
		cw := csv.NewWriter(p.stdout)
		if err := cw.Write(auditHeader()); err != nil {
			fmt.Fprintf(p.stderr, "ers-gateway: audit: %v\n", err)
			return exitError
		}
		write = func(l auditLine) error { return cw.Write(l.csv()) }
		flush = func() error { cw.Flush(); return cw.Error() }
	default:
		enc := json.NewEncoder(p.stdout)
		write = func(l auditLine) error { return enc.Encode(l) }
		flush = func() error { return nil }
	}
	n := 0
	err = st.Audit(ctx, a.from, a.to, func(r store.AuditRecord) error {
		n++
		return write(newAuditLine(r))
	})
	if err == nil {
		err = flush()
	}
	if err != nil {
		fmt.Fprintf(p.stderr, "ers-gateway: audit: after %d records: %v\n", n, err)
		return exitError
	}
	return exitOK
}
