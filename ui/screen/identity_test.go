package screen_test

import (
	"testing"

	"github.com/ers-workstation/ers-workstation/session"
	"github.com/ers-workstation/ers-workstation/ui/screen"
)

func TestIdentityArgReadsEveryFormTheRootSends(t *testing.T) {
	ada := session.Identity{UserID: "u-1", Name: "Ada"}
	var none *session.Identity
	tests := []struct {
		arg  any
		want string
	}{
		{ada, "u-1"},
		{&ada, "u-1"},
		{screen.SignedIn{Identity: ada}, "u-1"},
		{screen.RoleChosen{Identity: ada}, "u-1"},
		{none, ""},
		{nil, ""},
		{"not an identity", ""},
	}
	for _, tt := range tests {
		if got := screen.IdentityArg(tt.arg).UserID; got != tt.want {
			t.Errorf("IdentityArg(%#v).UserID = %q, want %q", tt.arg, got, tt.want)
		}
	}
}
