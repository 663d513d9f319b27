package sandbox

import (
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/ers-workstation/ers-workstation/ersclient"
	"github.com/ers-workstation/ers-workstation/sandbox/store"
)

// Every operation's path, with its wildcards filled, must reach that
// operation's own route: the catalogue's patterns must not shadow each other.
func TestEveryOperationRoutesToItself(t *testing.T) {
	s := New(Options{Store: store.New(baseWorld, nil)})
	for _, op := range ersclient.Catalogue() {
		t.Run(string(op.ID), func(t *testing.T) {
			path := op.Path
			for strings.Contains(path, "{") {
				i, j := strings.IndexByte(path, '{'), strings.IndexByte(path, '}')
				path = path[:i] + "000000070000" + path[j+1:]
			}
			req := httptest.NewRequest(op.Method, BasePath+path, nil)
			_, pattern := s.mux.Handler(req)
			if want := op.Method + " " + BasePath + op.Path; pattern != want {
				t.Errorf("%s %s routes to %q, want %q", op.Method, path, pattern, want)
			}
		})
	}
}
