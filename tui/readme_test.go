package tui

import (
	"os"
	"reflect"
	"regexp"
	"strings"
	"testing"

	"charm.land/bubbles/v2/key"
)

// TestReadmeListsEveryKey keeps the README's "## Keys" section in step with
// the key map: every key the help screen shows appears there in backticks.
func TestReadmeListsEveryKey(t *testing.T) {
	data, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	s := string(data)
	i := strings.Index(s, "\n## Keys\n")
	if i < 0 {
		t.Fatal(`README.md has no "## Keys" section`)
	}
	section := s[i+1:]
	if j := strings.Index(section[3:], "\n## "); j >= 0 {
		section = section[:j+3]
	}
	listed := map[string]bool{}
	for _, m := range regexp.MustCompile("`([^`]+)`").FindAllStringSubmatch(section, -1) {
		listed[m[1]] = true
		for _, part := range strings.Split(m[1], "/") {
			listed[part] = true
		}
	}
	for _, g := range allHelpGroups(DefaultKeyMap()) {
		for _, b := range g.bindings {
			k := b.Help().Key
			if listed[k] {
				continue
			}
			for _, part := range strings.Split(k, "/") {
				if !listed[part] {
					t.Errorf("README Keys section does not list %q (%s: %s)", k, g.title, b.Help().Desc)
				}
			}
		}
	}
}

// allHelpGroups are the help groups of every screen.
func allHelpGroups(k KeyMap) []helpGroup {
	var gs []helpGroup
	for _, s := range helpScreens {
		gs = append(gs, k.helpGroups(s)...)
	}
	return gs
}

// TestHelpCoversTheKeyMap: every binding of the key map is on some help
// screen, so help and README cannot leave a key out. The help screen's own
// close key and the y/n of a question are shown where they apply instead.
func TestHelpCoversTheKeyMap(t *testing.T) {
	k := DefaultKeyMap()
	shown := map[string]bool{}
	for _, g := range allHelpGroups(k) {
		for _, b := range g.bindings {
			for _, key := range b.Keys() {
				shown[g.title+"\x00"+key] = true
				shown[key] = true
			}
		}
	}
	elsewhere := map[string]bool{"CloseHelp": true, "Yes": true, "No": true}
	groups := reflect.ValueOf(k)
	for i := range groups.NumField() {
		group := groups.Field(i)
		for j := range group.NumField() {
			name := group.Type().Field(j).Name
			b, ok := group.Field(j).Interface().(key.Binding)
			if !ok || elsewhere[name] {
				continue
			}
			for _, key := range b.Keys() {
				if !shown[key] {
					t.Errorf("%s.%s: key %q is on no help screen", groups.Type().Field(i).Name, name, key)
				}
			}
		}
	}
}
