package taxonomy

import (
	_ "embed"
	"fmt"
	"sync"
)

//go:embed default.yaml
var defaultYAML []byte

// DefaultFile is the name the embedded default taxonomy reports in problems
// and shows as its source.
const DefaultFile = "default.yaml"

var loadDefault = sync.OnceValue(func() *Taxonomy {
	t, err := Load(DefaultFile, defaultYAML)
	if err != nil {
		// The file is compiled in and a test loads it: this is a build defect.
		panic(fmt.Sprintf("embedded default taxonomy does not load: %v", err))
	}
	return t
})

// Default returns the embedded default taxonomy, loaded once. It is shared
// and must not be modified.
func Default() *Taxonomy { return loadDefault() }

// DefaultYAML returns a copy of the embedded default taxonomy's YAML, e.g. for
// a team to start its own from.
func DefaultYAML() []byte { return append([]byte(nil), defaultYAML...) }
