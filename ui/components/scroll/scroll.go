// Package scroll keeps the highlighted row of a list in view when the list
// is taller than the space it is drawn in.
package scroll

// Window is the first row to draw of a list of rows shown height at a
// time, so that row cursor is visible. It moves the previous first row top
// no more than needed, so the list does not jump as the cursor moves, and
// never leaves blank space under the last row.
func Window(top, cursor, rows, height int) int {
	if height <= 0 || rows <= height {
		return 0
	}
	if cursor < top {
		top = cursor
	}
	if cursor >= top+height {
		top = cursor - height + 1
	}
	return min(max(top, 0), rows-height)
}
