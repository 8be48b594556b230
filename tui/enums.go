package tui

import "fmt"

// Screen is what fills the body of the window.
type Screen int

// Screens of the app.
const (
	// ScreenCapture is the capture screen: the reason menu and the contact.
	ScreenCapture Screen = iota
	// ScreenRecent lists today's contacts to edit or delete one.
	ScreenRecent
	// ScreenHelp lists every key, generated from the KeyMap.
	ScreenHelp
	// ScreenSummary is the team lead's summary of a day (report.Summary).
	ScreenSummary
)

func (s Screen) String() string {
	switch s {
	case ScreenCapture:
		return "capture"
	case ScreenRecent:
		return "recent"
	case ScreenHelp:
		return "help"
	case ScreenSummary:
		return "summary"
	}
	return fmt.Sprintf("Screen(%d)", int(s))
}

// Focus is the part of the capture screen that receives keys.
type Focus int

// Focus targets on the capture screen.
const (
	// FocusMenu is the category/reason menu; hotkeys pick.
	FocusMenu Focus = iota
	// FocusSearch is the reason search field.
	FocusSearch
	// FocusReasons is the contact's list of tagged reasons (make primary,
	// remove).
	FocusReasons
	// FocusRef is the customer reference field.
	FocusRef
	// FocusNote is the note field.
	FocusNote
)

func (f Focus) String() string {
	switch f {
	case FocusMenu:
		return "menu"
	case FocusSearch:
		return "search"
	case FocusReasons:
		return "reasons"
	case FocusRef:
		return "ref"
	case FocusNote:
		return "note"
	}
	return fmt.Sprintf("Focus(%d)", int(f))
}

// typing reports whether the focus is a text field, where hotkeys type text.
func (f Focus) typing() bool { return f == FocusSearch || f == FocusRef || f == FocusNote }
