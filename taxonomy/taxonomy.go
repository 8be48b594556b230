// Package taxonomy holds the reason tree that agents tag contacts with and that
// every report groups by: categories (digit hotkeys) with reasons (letter
// hotkeys), each reason owned by the department that must remove its cause.
//
// A Taxonomy is loaded from YAML (schema_version 1, documented at the top of
// default.yaml), validated with file:line positions, and identified by a
// content hash (Version) so that stored contacts keep the labels of the
// version they were tagged with.
//
// Load reports every problem at once, each with its line and field: unknown
// or repeated keys, wrong YAML types, malformed YAML, ids that are not
// snake_case or are used twice (categories and reasons share one id space),
// hotkeys that are not one character 0-9/a-z or are used twice among
// siblings, texts missing a declared locale or (labels) longer than
// MaxLabelRunes, owners, stages, kinds and treatments outside the
// vocabularies, categories without reasons, more than one catch-all in a
// category, and kind value without treatment leverage (or the reverse).
// Beyond the file's header, schema_version 1 as implemented here means:
//
//   - A category must have a hotkey; a reason may leave it out (large
//     taxonomies) and is then found by search only.
//   - Hotkey "x" belongs to the category's catch-all, and a catch-all must
//     use it. A catch-all has no treatment.
//   - A deprecated reason still resolves by id (old contacts keep their
//     label) but is not offered: it is left out of Offered, ByHotkeys and
//     Search, and its hotkey and catch-all role are free for a sibling.
//   - vocab.kinds and vocab.treatments are fixed lists (reports depend on
//     them); only their labels may change. Owners and stages are free.
//   - Anchors and aliases are not supported.
package taxonomy

// Locale is a language code used for labels: "nb", "sv" or "en".
type Locale = string

// Text is a human-readable string in several locales, keyed by Locale.
type Text map[Locale]string

// Get returns the text in locale l, falling back to fallback and then to any
// non-empty locale in a stable order, so a label is never blank.
func (t Text) Get(l, fallback Locale) string {
	if s := t[l]; s != "" {
		return s
	}
	if s := t[fallback]; s != "" {
		return s
	}
	for _, k := range []Locale{"en", "nb", "sv"} {
		if s := t[k]; s != "" {
			return s
		}
	}
	return ""
}

// Kind says whether a contact reason is worth having (value) or should not
// need a human contact at all (irritant), after Price & Jaffe.
type Kind string

// Kinds of reasons.
const (
	KindIrritant Kind = "irritant"
	KindValue    Kind = "value"
)

// Treatment is the default fix strategy for a reason.
type Treatment string

// Treatments of reasons; eliminate, simplify and automate together make up the
// preventable share.
const (
	TreatEliminate Treatment = "eliminate"
	TreatSimplify  Treatment = "simplify"
	TreatAutomate  Treatment = "automate"
	TreatLeverage  Treatment = "leverage"
)

// Vocab is the closed list of values for one enum (owners, stages, kinds,
// treatments) with their display labels, in file order.
type Vocab struct {
	Keys   []string
	Labels map[string]Text
}

// Label returns the display label of key in locale l, or key itself if unknown.
func (v Vocab) Label(key string, l, fallback Locale) string {
	if t, ok := v.Labels[key]; ok {
		if s := t.Get(l, fallback); s != "" {
			return s
		}
	}
	return key
}

// Has reports whether key is one of the vocabulary's values.
func (v Vocab) Has(key string) bool {
	_, ok := v.Labels[key]
	return ok
}

// Reason is a leaf of the tree: what a contact is tagged with.
type Reason struct {
	ID          string
	Hotkey      string
	Labels      Text
	Description Text
	Owner       string
	Stage       string
	Kind        Kind
	Treatment   Treatment // empty on catch-alls
	CatchAll    bool
	Deprecated  bool
	// Category is the id of the category the reason belongs to.
	Category string
	// Line is the line of the reason's entry in its source file (0 if unknown).
	Line int

	hotkeyLine, catchAllLine int
}

// Label returns the reason's label in locale l.
func (r *Reason) Label(l Locale) string { return r.Labels.Get(l, "en") }

// Preventable reports whether the reason's treatment removes the contact
// (eliminate, simplify or automate).
func (r *Reason) Preventable() bool {
	switch r.Treatment {
	case TreatEliminate, TreatSimplify, TreatAutomate:
		return true
	}
	return false
}

// Category is level 1 of the tree: a menu that groups reasons.
type Category struct {
	ID      string
	Hotkey  string
	Labels  Text
	Reasons []*Reason
	Line    int

	offered    []*Reason
	byHotkey   map[string]*Reason // offered reasons only
	catchAll   *Reason            // offered catch-all, if any
	hotkeyLine int
}

// Label returns the category's label in locale l.
func (c *Category) Label(l Locale) string { return c.Labels.Get(l, "en") }

// Taxonomy is a validated reason tree. It is immutable once loaded and safe
// for concurrent use.
type Taxonomy struct {
	SchemaVersion int
	// ID and Revision are the taxonomy.id and taxonomy.version of the file.
	ID            string
	Revision      int
	Name          Text
	Locales       []Locale
	DefaultLocale Locale
	Owners        Vocab
	Stages        Vocab
	Kinds         Vocab
	Treatments    Vocab
	Categories    []*Category

	// Source is the YAML the taxonomy was loaded from, byte for byte.
	Source []byte
	// Version is the content hash of Source: what contacts store as
	// taxonomy_version.
	Version string

	byID       map[string]*Reason
	categories map[string]*Category
	reasons    []*Reason // every reason, in file order
	offered    []*Reason // reasons agents may pick, in file order
	index      searchIndex
}
