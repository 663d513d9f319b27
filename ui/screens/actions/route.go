package actions

import (
	"time"

	"github.com/ers-workstation/ers-workstation/ui/screen"
)

// RouteName is the route the referral screen opens with a Request.
const RouteName = "action"

// DefaultTimeout bounds each call when Common.Timeout is zero.
const DefaultTimeout = 30 * time.Second

// Route registers the action forms. It is not on the home screen: the
// referral screen opens it with a Request.
func Route() screen.Route {
	return screen.Route{
		Name:    RouteName,
		Title:   "Referral action",
		Summary: "Act on a referral (opened from the referral screen)",
		New:     New,
	}
}
