package demo

import "whycall/taxonomy"

// testTaxonomy is the built-in taxonomy, whose reasons the hand-set
// profiles describe.
func testTaxonomy() *taxonomy.Taxonomy { return taxonomy.Default() }
