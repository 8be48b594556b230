package tui

import (
	"os"
	"regexp"
	"strings"
	"testing"
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
	for _, g := range DefaultKeyMap().helpGroups() {
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
