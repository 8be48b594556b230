package tui

import (
	"slices"

	"charm.land/bubbles/v2/key"
)

// KeyMap is every key the app answers to, grouped by where it applies. The
// help screen and the footer are generated from it, so they cannot lie.
// Reason and category letters come from the taxonomy; Menu.Category and
// Menu.Reason only say which keys can be such hotkeys.
//
// Commands that act on the whole contact use capital letters, because the
// taxonomy's reason hotkeys are lower-case letters and must never collide
// with them.
type KeyMap struct {
	Global  GlobalKeys
	Menu    MenuKeys
	Contact ContactKeys
	Reasons ReasonKeys
	Field   FieldKeys
	Search  SearchKeys
	Recent  RecentKeys
	Summary SummaryKeys
	Confirm ConfirmKeys
}

// GlobalKeys work everywhere (except ? while typing in a field).
type GlobalKeys struct {
	Help      key.Binding
	CloseHelp key.Binding
	Quit      key.Binding
}

// MenuKeys drive the category/reason menu.
type MenuKeys struct {
	Category key.Binding
	Reason   key.Binding
	Up       key.Binding
	Down     key.Binding
	PageUp   key.Binding
	PageDown key.Binding
	Pick     key.Binding
	Back     key.Binding
	Search   key.Binding
}

// ContactKeys act on the contact being captured, whenever no text field has
// focus.
type ContactKeys struct {
	Save       key.Binding
	New        key.Binding
	Resolved   key.Binding
	Unresolved key.Binding
	FollowUp   key.Binding
	Escalated  key.Binding
	Channel    key.Binding
	NextField  key.Binding
	PrevField  key.Binding
	Undo       key.Binding
	Discard    key.Binding
	Recent     key.Binding
	Summary    key.Binding
}

// ReasonKeys edit the contact's tagged reasons when that list has focus.
type ReasonKeys struct {
	Up      key.Binding
	Down    key.Binding
	Primary key.Binding
	Remove  key.Binding
}

// FieldKeys leave the customer reference and note fields.
type FieldKeys struct {
	Done  key.Binding
	Leave key.Binding
	Next  key.Binding
	Prev  key.Binding
}

// SearchKeys drive the reason search.
type SearchKeys struct {
	Up    key.Binding
	Down  key.Binding
	Pick  key.Binding
	Close key.Binding
}

// RecentKeys drive the list of today's contacts.
type RecentKeys struct {
	Up       key.Binding
	Down     key.Binding
	PageUp   key.Binding
	PageDown key.Binding
	Edit     key.Binding
	Delete   key.Binding
	Undo     key.Binding
	Close    key.Binding
}

// SummaryKeys drive the team lead's summary screen and a reason's details
// on it. The screen has no hotkeys to collide with, so plain letters work.
type SummaryKeys struct {
	PrevDay  key.Binding
	NextDay  key.Binding
	Up       key.Binding
	Down     key.Binding
	PageUp   key.Binding
	PageDown key.Binding
	Top      key.Binding
	Bottom   key.Binding
	Details  key.Binding
	Owner    key.Binding
	Team     key.Binding
	Refresh  key.Binding
	Close    key.Binding
}

// ConfirmKeys answer a yes/no question (delete, discard).
type ConfirmKeys struct {
	Yes key.Binding
	No  key.Binding
}

// DefaultKeyMap returns the keys whycall ships with. Digits pick a category,
// letters a reason, / searches, enter saves, esc goes back, ? helps and
// ctrl+c quits keeping any unfinished contact: those are fixed so muscle
// memory carries across versions.
func DefaultKeyMap() KeyMap {
	b := func(help, desc string, keys ...string) key.Binding {
		return key.NewBinding(key.WithKeys(keys...), key.WithHelp(help, desc))
	}
	return KeyMap{
		Global: GlobalKeys{
			Help:      b("?", "help", "?"),
			CloseHelp: b("?/esc", "close help", "?", "esc"),
			Quit:      b("ctrl+c", "quit (keeps it)", "ctrl+c"),
		},
		Menu: MenuKeys{
			Category: b("1-9", "category", "0", "1", "2", "3", "4", "5", "6", "7", "8", "9"),
			Reason: b("a-z", "reason", "a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l", "m",
				"n", "o", "p", "q", "r", "s", "t", "u", "v", "w", "x", "y", "z"),
			Up:       b("↑", "up", "up"),
			Down:     b("↓", "down", "down"),
			PageUp:   b("pgup", "page up", "pgup"),
			PageDown: b("pgdn", "page down", "pgdown"),
			Pick:     b("space/→", "pick", "space", "right"),
			Back:     b("esc/←", "back", "esc", "left"),
			Search:   b("/", "search", "/"),
		},
		Contact: ContactKeys{
			Save:       b("enter", "save", "enter"),
			New:        b("N", "new contact", "N"),
			Resolved:   b("R", "resolved", "R"),
			Unresolved: b("U", "unresolved", "U"),
			FollowUp:   b("F", "follow-up", "F"),
			Escalated:  b("E", "escalated", "E"),
			Channel:    b("C", "channel", "C"),
			NextField:  b("tab", "next field", "tab"),
			PrevField:  b("shift+tab", "previous field", "shift+tab"),
			Undo:       b("ctrl+z", "undo", "ctrl+z"),
			Discard:    b("D", "discard", "D"),
			Recent:     b("L", "today's list", "L"),
			Summary:    b("S", "team summary", "S"),
		},
		Reasons: ReasonKeys{
			Up:      b("↑", "up", "up"),
			Down:    b("↓", "down", "down"),
			Primary: b("space", "make primary", "space"),
			Remove:  b("del", "remove", "delete", "backspace"),
		},
		Field: FieldKeys{
			Done:  b("enter", "done", "enter"),
			Leave: b("esc", "leave field", "esc"),
			Next:  b("tab", "next field", "tab"),
			Prev:  b("shift+tab", "previous field", "shift+tab"),
		},
		Search: SearchKeys{
			Up:    b("↑", "up", "up"),
			Down:  b("↓", "down", "down"),
			Pick:  b("enter", "pick", "enter"),
			Close: b("esc", "close", "esc"),
		},
		Recent: RecentKeys{
			Up:       b("↑", "up", "up"),
			Down:     b("↓", "down", "down"),
			PageUp:   b("pgup", "page up", "pgup"),
			PageDown: b("pgdn", "page down", "pgdown"),
			Edit:     b("enter", "edit", "enter"),
			Delete:   b("D", "delete", "D", "delete"),
			Undo:     b("ctrl+z", "undo delete", "ctrl+z"),
			Close:    b("esc/L", "back", "esc", "L"),
		},
		Summary: SummaryKeys{
			PrevDay:  b("←", "day before", "left"),
			NextDay:  b("→", "day after", "right"),
			Up:       b("↑", "reason above", "up"),
			Down:     b("↓", "reason below", "down"),
			PageUp:   b("pgup", "page up", "pgup"),
			PageDown: b("pgdn", "page down", "pgdown", "space"),
			Top:      b("home", "top", "home"),
			Bottom:   b("end", "bottom", "end"),
			Details:  b("enter", "details", "enter"),
			Owner:    b("o", "owner filter", "o"),
			Team:     b("t", "all teams/mine", "t"),
			Refresh:  b("r", "recompute", "r"),
			Close:    b("esc", "back", "esc"),
		},
		Confirm: ConfirmKeys{
			Yes: b("y", "yes", "y", "Y"),
			No:  b("n/esc", "no", "n", "N", "esc"),
		},
	}
}

// helpGroup is one titled block of the help screen.
type helpGroup struct {
	title    string
	bindings []key.Binding
}

// helpGroups lists the bindings of one screen for its help screen, by
// where they apply. Bindings that only differ in direction are shown as
// one line.
func (k KeyMap) helpGroups(s Screen) []helpGroup {
	everywhere := helpGroup{"Everywhere", []key.Binding{k.Global.Help, k.Global.Quit}}
	switch s {
	case ScreenRecent:
		return []helpGroup{
			{"Today's list (L)", []key.Binding{pair(k.Recent.Up, k.Recent.Down, "move"),
				pair(k.Recent.PageUp, k.Recent.PageDown, "page"), k.Recent.Edit, k.Recent.Delete, k.Recent.Undo, k.Recent.Close}},
			everywhere,
		}
	case ScreenSummary:
		return []helpGroup{
			{"Summary (S)", []key.Binding{pair(k.Summary.PrevDay, k.Summary.NextDay, "day"),
				pair(k.Summary.Up, k.Summary.Down, "reason"), pair(k.Summary.PageUp, k.Summary.PageDown, "page"),
				pair(k.Summary.Top, k.Summary.Bottom, "top, bottom"), k.Summary.Details, k.Summary.Owner,
				k.Summary.Team, k.Summary.Refresh, k.Summary.Close}},
			everywhere,
		}
	}
	return []helpGroup{
		{"Menu", []key.Binding{k.Menu.Category, k.Menu.Reason, k.Menu.Search, pair(k.Menu.Up, k.Menu.Down, "move"),
			pair(k.Menu.PageUp, k.Menu.PageDown, "page"), k.Menu.Pick, k.Menu.Back}},
		{"Contact", []key.Binding{k.Contact.Save, k.Contact.New, k.Contact.Resolved, k.Contact.Unresolved,
			k.Contact.FollowUp, k.Contact.Escalated, k.Contact.Channel, k.Contact.NextField, k.Contact.PrevField,
			k.Contact.Undo, k.Contact.Discard, k.Contact.Recent, k.Contact.Summary}},
		{"Tagged reasons (tab)", []key.Binding{pair(k.Reasons.Up, k.Reasons.Down, "move"), k.Reasons.Primary, k.Reasons.Remove}},
		{"Ref and note", []key.Binding{k.Field.Done, k.Field.Leave, k.Field.Next, k.Field.Prev}},
		{"Search (/)", []key.Binding{pair(k.Search.Up, k.Search.Down, "move"), k.Search.Pick, k.Search.Close}},
		everywhere,
	}
}

// helpScreens are the screens that have a help screen of their own.
var helpScreens = []Screen{ScreenCapture, ScreenRecent, ScreenSummary}

// pair shows two bindings as one help line ("↑/↓ move").
func pair(a, b key.Binding, desc string) key.Binding {
	return key.NewBinding(key.WithKeys(append(slices.Clone(a.Keys()), b.Keys()...)...),
		key.WithHelp(a.Help().Key+"/"+b.Help().Key, desc))
}
