package store

import (
	"database/sql"
	"fmt"
	"strings"
	"time"
)

// Times are stored as Unix nanoseconds (UTC) in a 64-bit integer in both
// dialects: exact round trips, the same SQL for both, and 0 for "unset".

func encTime(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixNano()
}

func decTime(n int64) time.Time {
	if n == 0 {
		return time.Time{}
	}
	return time.Unix(0, n).UTC()
}

// nullString stores "" as NULL, for unique columns where "none" must not
// collide with another "none".
func nullString(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// nullBytes stores an empty ciphertext as NULL, so a wiped token reads
// back as nil in both dialects.
func nullBytes(b []byte) any {
	if len(b) == 0 {
		return nil
	}
	return b
}

func fromNull(s sql.NullString) string {
	if !s.Valid {
		return ""
	}
	return s.String
}

// placeholders returns "$from, $from+1, ..." for n parameters; both
// modernc.org/sqlite and pgx accept $N.
func placeholders(from, n int) string {
	p := make([]string, n)
	for i := range p {
		p[i] = fmt.Sprintf("$%d", from+i)
	}
	return strings.Join(p, ", ")
}

// assignments returns "a = $from, b = $from+1, ..." for cols.
func assignments(cols []string, from int) string {
	p := make([]string, len(cols))
	for i, c := range cols {
		p[i] = fmt.Sprintf("%s = $%d", c, from+i)
	}
	return strings.Join(p, ", ")
}
