// Package advice is an Advice & Guidance request and its conversation
// (A024, A025) for both sides, the provider's response (A026) with a draft
// kept until sent, conversion to a referral (A027) and the overview PDF
// (A043).
package advice

import "github.com/ers-workstation/ers-workstation/ui/screen"

// RouteName is the A&G screen's route. Its Open arg is the request's UBRN
// (a string): the worklist's A&G tab and the UBRN look-up open it so.
const RouteName = screen.RouteAdvice
