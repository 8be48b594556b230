package taxonomy

import (
	"bytes"
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"

	"whycall/internal/typo"
)

// Limits of schema_version 1.
const (
	schemaVersion = 1
	// MaxLabelRunes is the longest label, in characters, that fits a terminal menu.
	MaxLabelRunes = 40
	maxIDLen      = 64
	// maxSourceBytes bounds the input: a 2,000-reason taxonomy is about 1.5 MB.
	maxSourceBytes = 16 << 20
)

var (
	idPattern     = regexp.MustCompile(`^[a-z][a-z0-9]*(_[a-z0-9]+)*$`)
	localePattern = regexp.MustCompile(`^[a-z]{2,3}$`)
	// yamlLine picks the line out of the yaml package's parse errors.
	yamlLine = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)

	fixedKinds      = []string{string(KindIrritant), string(KindValue)}
	fixedTreatments = []string{string(TreatEliminate), string(TreatSimplify), string(TreatAutomate), string(TreatLeverage)}

	topKeys      = []string{"schema_version", "taxonomy", "locales", "default_locale", "vocab", "categories"}
	headerKeys   = []string{"id", "version", "name"}
	vocabKeys    = []string{"owners", "stages", "kinds", "treatments"}
	categoryKeys = []string{"id", "hotkey", "labels", "reasons"}
	reasonKeys   = []string{"id", "hotkey", "labels", "description", "owner", "stage", "kind", "treatment", "catch_all", "deprecated"}
)

// contentVersion is the version of a taxonomy source: the first 16 hex digits
// of the SHA-256 of its exact bytes.
func contentVersion(data []byte) string {
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:8])
}

func load(name string, data []byte) (*Taxonomy, error) {
	if len(data) > maxSourceBytes {
		return nil, Problems{{File: name, Msg: fmt.Sprintf("file is %d bytes; a taxonomy may be at most %d", len(data), maxSourceBytes)}}
	}
	root, p := parseYAML(name, data)
	if p != nil {
		return nil, Problems{*p}
	}
	d := &decoder{file: name, ids: make(map[string]idUse)}
	t := d.taxonomy(root)
	if len(d.probs) > 0 {
		slices.SortStableFunc(d.probs, func(a, b Problem) int { return a.Line - b.Line })
		return nil, d.probs
	}
	t.Source = bytes.Clone(data)
	t.Version = contentVersion(data)
	t.build()
	return t, nil
}

// parseYAML parses exactly one YAML document whose root is a mapping.
func parseYAML(name string, data []byte) (*yaml.Node, *Problem) {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, &Problem{File: name, Msg: "file is empty; a taxonomy starts with schema_version: 1"}
		}
		return nil, yamlProblem(name, err)
	}
	var extra yaml.Node
	switch err := dec.Decode(&extra); {
	case err == nil:
		return nil, &Problem{File: name, Line: extra.Line, Msg: "a second YAML document (---) follows; a taxonomy file holds one"}
	case !errors.Is(err, io.EOF):
		return nil, yamlProblem(name, err)
	}
	root := &doc
	if root.Kind == yaml.DocumentNode && len(root.Content) == 1 {
		root = root.Content[0]
	}
	if root.Kind != yaml.MappingNode {
		return nil, &Problem{File: name, Line: root.Line, Msg: fmt.Sprintf("the file is %s; a taxonomy is a mapping that starts with schema_version: 1", describe(root))}
	}
	return root, nil
}

// parserProblems are the yaml package's parser errors (as opposed to its
// scanner errors), which it reports with 0-based line numbers. Those with a
// context give the line where the enclosing block starts, not the line of
// the problem.
var parserProblems = map[string]bool{
	"did not find expected <stream-start>":   false,
	"did not find expected <document start>": false,
	"found duplicate %YAML directive":        false,
	"found incompatible YAML document":       false,
	"found duplicate %TAG directive":         false,
	"found undefined tag handle":             true,
	"did not find expected node content":     true,
	"did not find expected '-' indicator":    true,
	"did not find expected key":              true,
	"did not find expected ',' or ']'":       true,
	"did not find expected ',' or '}'":       true,
}

func yamlProblem(name string, err error) *Problem {
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	line := 0
	if m := yamlLine.FindStringSubmatch(err.Error()); m != nil {
		line, _ = strconv.Atoi(m[1])
		msg = m[2]
	}
	if inContext, ok := parserProblems[msg]; ok {
		line++
		if inContext {
			msg += " (here or further down in this block)"
		}
	}
	return &Problem{File: name, Line: line, Msg: "malformed YAML: " + msg}
}

// decoder walks the YAML node tree, builds the taxonomy and collects every
// problem it finds on the way.
type decoder struct {
	file  string
	probs Problems

	// locales are the valid declared locales; localesKnown is false when the
	// locales key is missing or broken, and text completeness is not checked.
	locales      []Locale
	localesKnown bool

	ids map[string]idUse
}

// idUse records where an id was first declared.
type idUse struct {
	what string // e.g. "category 'delivery'"
	line int
}

func (d *decoder) add(line int, where, field, format string, args ...any) {
	d.probs = append(d.probs, Problem{File: d.file, Line: line, Where: where, Field: field, Msg: fmt.Sprintf(format, args...)})
}

// field is one key/value pair of a mapping.
type field struct {
	key, value *yaml.Node
}

// pairs returns the key/value pairs of mapping n in order, reporting a node
// that is not a mapping, keys that are not strings, and repeated keys.
func (d *decoder) pairs(n *yaml.Node, where, path string) ([]field, bool) {
	if n.Kind != yaml.MappingNode {
		what := path
		if what == "" {
			what = cmp.Or(where, "the file")
		}
		d.add(n.Line, where, path, "%s must be a mapping (key: value), not %s", what, describe(n))
		return nil, false
	}
	fs := make([]field, 0, len(n.Content)/2)
	seen := make(map[string]int, len(n.Content)/2)
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if k.Kind != yaml.ScalarNode || k.ShortTag() != "!!str" {
			d.add(k.Line, where, path, "key that is %s%s; keys must be plain words", describe(k), in(where, path))
			continue
		}
		if first, dup := seen[k.Value]; dup {
			d.add(k.Line, where, join(path, k.Value), "key '%s' appears twice%s (first at line %d)", k.Value, in(where, path), first)
			continue
		}
		seen[k.Value] = k.Line
		fs = append(fs, field{k, v})
	}
	return fs, true
}

// fields is pairs for a mapping with a fixed set of keys: unknown keys are
// reported and the known ones returned by name.
func (d *decoder) fields(n *yaml.Node, where, path string, known []string) (map[string]field, bool) {
	ps, ok := d.pairs(n, where, path)
	if !ok {
		return nil, false
	}
	fs := make(map[string]field, len(ps))
	for _, f := range ps {
		if !slices.Contains(known, f.key.Value) {
			msg := fmt.Sprintf("unknown key '%s'%s", f.key.Value, in(where, path))
			if s := typo.Closest(f.key.Value, known); s != "" {
				msg += fmt.Sprintf("; did you mean '%s'?", s)
			} else {
				msg += " (known: " + strings.Join(known, ", ") + ")"
			}
			d.add(f.key.Line, where, join(path, f.key.Value), "%s", msg)
			continue
		}
		fs[f.key.Value] = f
	}
	return fs, true
}

// require reports each key of keys that fs lacks, at line.
func (d *decoder) require(fs map[string]field, line int, where, path string, keys ...string) {
	for _, k := range keys {
		if _, ok := fs[k]; !ok {
			d.add(line, where, join(path, k), "missing required key '%s'", k)
		}
	}
}

func (d *decoder) str(f field, where, path string) (string, bool) {
	n := f.value
	if n.Kind != yaml.ScalarNode || n.ShortTag() != "!!str" {
		hint := ""
		if n.Kind == yaml.ScalarNode && n.ShortTag() != "!!null" {
			hint = `; put it in quotes ("…")`
		}
		d.add(n.Line, where, path, "%s must be a string, not %s%s", path, describe(n), hint)
		return "", false
	}
	return n.Value, true
}

func (d *decoder) integer(f field, where, path string) (int, bool) {
	n := f.value
	var i int
	if n.Kind != yaml.ScalarNode || n.ShortTag() != "!!int" || n.Decode(&i) != nil {
		d.add(n.Line, where, path, "%s must be a whole number, not %s", path, describe(n))
		return 0, false
	}
	return i, true
}

func (d *decoder) boolean(f field, where, path string) (bool, bool) {
	n := f.value
	var b bool
	if n.Kind != yaml.ScalarNode || n.ShortTag() != "!!bool" || n.Decode(&b) != nil {
		d.add(n.Line, where, path, "%s must be true or false, not %s", path, describe(n))
		return false, false
	}
	return b, true
}

func (d *decoder) id(f field, where, path string) (string, bool) {
	s, ok := d.str(f, where, path)
	if !ok {
		return "", false
	}
	if len(s) > maxIDLen || !idPattern.MatchString(s) {
		d.add(f.value.Line, where, path, "%s '%s' must be snake_case ASCII: a-z, 0-9 and single underscores, starting with a letter, at most %d characters", path, s, maxIDLen)
		return s, false
	}
	return s, true
}

// claimID reports id if it is already declared anywhere in the file.
func (d *decoder) claimID(id string, line int, where, path, what string) {
	if first, dup := d.ids[id]; dup {
		d.add(line, where, path, "id '%s' is already used by %s (line %d); ids are unique across categories and reasons", id, first.what, first.line)
		return
	}
	d.ids[id] = idUse{what, line}
}

// text decodes a {locale: string} mapping. Every declared locale must have a
// non-empty, one-line entry of at most maxRunes characters (0: no limit).
func (d *decoder) text(f field, where, path string, maxRunes int) Text {
	ps, ok := d.pairs(f.value, where, path)
	if !ok {
		return nil
	}
	t := make(Text, len(ps))
	for _, p := range ps {
		loc, lpath := p.key.Value, join(path, p.key.Value)
		if d.localesKnown && !slices.Contains(d.locales, loc) {
			d.add(p.key.Line, where, lpath, "locale '%s' in %s is not in locales (%s)", loc, path, strings.Join(d.locales, ", "))
			continue
		}
		s, ok := d.str(p, where, lpath)
		if !ok {
			continue
		}
		s = strings.TrimSpace(s)
		switch n := utf8.RuneCountInString(s); {
		case s == "":
			d.add(p.value.Line, where, lpath, "%s is empty", lpath)
			continue
		case strings.ContainsAny(s, "\r\n"):
			d.add(p.value.Line, where, lpath, "%s must be one line", lpath)
		case maxRunes > 0 && n > maxRunes:
			d.add(p.value.Line, where, lpath, "%s '%s' is %d characters; the limit is %d so it fits a terminal menu", lpath, s, n, maxRunes)
		}
		t[loc] = s
	}
	if d.localesKnown {
		for _, loc := range d.locales {
			if _, ok := t[loc]; !ok && !hasKey(ps, loc) {
				d.add(f.key.Line, where, join(path, loc), "%s has no '%s' entry; every locale (%s) needs one", path, loc, strings.Join(d.locales, ", "))
			}
		}
	}
	return t
}

func hasKey(ps []field, k string) bool {
	for _, p := range ps {
		if p.key.Value == k {
			return true
		}
	}
	return false
}

func (d *decoder) sequence(f field, where, path string) ([]*yaml.Node, bool) {
	n := f.value
	if n.Kind != yaml.SequenceNode {
		d.add(n.Line, where, path, "%s must be a list, not %s", path, describe(n))
		return nil, false
	}
	if len(n.Content) == 0 {
		d.add(n.Line, where, path, "%s is empty", path)
	}
	return n.Content, true
}

// taxonomy decodes the whole file.
func (d *decoder) taxonomy(root *yaml.Node) *Taxonomy {
	t := &Taxonomy{}
	fs, _ := d.fields(root, "", "", topKeys)
	d.require(fs, root.Line, "", "", topKeys...)

	if f, ok := fs["locales"]; ok {
		d.decodeLocales(f, t)
	}
	if f, ok := fs["default_locale"]; ok {
		if s, ok := d.str(f, "", "default_locale"); ok {
			t.DefaultLocale = s
			if d.localesKnown && !slices.Contains(d.locales, s) {
				d.add(f.value.Line, "", "default_locale", "default_locale '%s' is not in locales (%s)", s, strings.Join(d.locales, ", "))
			}
		}
	}
	if f, ok := fs["schema_version"]; ok {
		if v, ok := d.integer(f, "", "schema_version"); ok {
			t.SchemaVersion = v
			if v != schemaVersion {
				d.add(f.value.Line, "", "schema_version", "schema_version is %d; this version of whycall reads schema_version %d", v, schemaVersion)
			}
		}
	}
	if f, ok := fs["taxonomy"]; ok {
		d.decodeHeader(f, t)
	}
	var vocabs vocabSet
	if f, ok := fs["vocab"]; ok {
		vocabs = d.decodeVocab(f, t)
	}
	if f, ok := fs["categories"]; ok {
		d.decodeCategories(f, t, vocabs)
	}
	return t
}

func (d *decoder) decodeLocales(f field, t *Taxonomy) {
	items, ok := d.sequence(f, "", "locales")
	if !ok {
		return
	}
	for _, n := range items {
		s, ok := d.str(field{f.key, n}, "", "locales")
		switch {
		case !ok:
		case !localePattern.MatchString(s):
			d.add(n.Line, "", "locales", "locale '%s' must be a lower-case language code such as nb, sv or en", s)
		case slices.Contains(d.locales, s):
			d.add(n.Line, "", "locales", "locale '%s' is listed twice", s)
		default:
			d.locales = append(d.locales, s)
		}
	}
	t.Locales = slices.Clone(d.locales)
	// Texts are checked against the locales only if some are valid; else
	// the one problem with locales is enough.
	d.localesKnown = len(d.locales) > 0
}

func (d *decoder) decodeHeader(f field, t *Taxonomy) {
	fs, ok := d.fields(f.value, "", "taxonomy", headerKeys)
	if !ok {
		return
	}
	d.require(fs, f.value.Line, "", "taxonomy", "id", "version")
	if f, ok := fs["id"]; ok {
		t.ID, _ = d.id(f, "", "taxonomy.id")
	}
	if f, ok := fs["version"]; ok {
		if v, ok := d.integer(f, "", "taxonomy.version"); ok {
			t.Revision = v
			if v < 1 {
				d.add(f.value.Line, "", "taxonomy.version", "taxonomy.version is %d; it starts at 1 and goes up on every edit", v)
			}
		}
	}
	if f, ok := fs["name"]; ok {
		t.Name = d.text(f, "", "taxonomy.name", 0)
	}
}

// vocabSet holds the vocabularies that decoded well enough to check reasons
// against; a nil entry means "unknown, do not check".
type vocabSet struct {
	owners, stages, kinds, treatments *Vocab
}

func (d *decoder) decodeVocab(f field, t *Taxonomy) vocabSet {
	var vs vocabSet
	fs, ok := d.fields(f.value, "", "vocab", vocabKeys)
	if !ok {
		return vs
	}
	d.require(fs, f.value.Line, "", "vocab", vocabKeys...)
	decode := func(key string, dst *Vocab, fixed []string) *Vocab {
		f, ok := fs[key]
		if !ok {
			return nil
		}
		path := "vocab." + key
		ps, ok := d.pairs(f.value, "", path)
		if !ok {
			return nil
		}
		if len(ps) == 0 {
			d.add(f.value.Line, "", path, "%s is empty", path)
		}
		dst.Labels = make(map[string]Text, len(ps))
		for _, p := range ps {
			k, kpath := p.key.Value, join(path, p.key.Value)
			switch {
			case fixed != nil && !slices.Contains(fixed, k):
				d.add(p.key.Line, "", kpath, "'%s' is not one of the fixed %s (%s); only their labels may change", k, path, strings.Join(fixed, ", "))
			case len(k) > maxIDLen || !idPattern.MatchString(k):
				d.add(p.key.Line, "", kpath, "%s key '%s' must be snake_case ASCII: a-z, 0-9 and single underscores, starting with a letter", path, k)
			}
			dst.Keys = append(dst.Keys, k)
			dst.Labels[k] = d.text(p, "", kpath, MaxLabelRunes)
		}
		for _, k := range fixed {
			if !hasKey(ps, k) {
				d.add(f.key.Line, "", join(path, k), "%s is missing '%s'; it must list exactly %s", path, k, strings.Join(fixed, ", "))
			}
		}
		return dst
	}
	vs.owners = decode("owners", &t.Owners, nil)
	vs.stages = decode("stages", &t.Stages, nil)
	vs.kinds = decode("kinds", &t.Kinds, fixedKinds)
	vs.treatments = decode("treatments", &t.Treatments, fixedTreatments)
	return vs
}

func (d *decoder) decodeCategories(f field, t *Taxonomy, vs vocabSet) {
	items, ok := d.sequence(f, "", "categories")
	if !ok {
		return
	}
	hotkeys := make(map[string]*Category, len(items))
	for i, n := range items {
		c := d.decodeCategory(n, i, t, vs)
		if c == nil {
			continue
		}
		t.Categories = append(t.Categories, c)
		if c.Hotkey == "" {
			continue
		}
		if first, dup := hotkeys[c.Hotkey]; dup {
			d.add(c.hotkeyLine, categoryWhere(c.ID, i), "hotkey", "hotkey '%s' already used by category '%s'", c.Hotkey, first.ID)
			continue
		}
		hotkeys[c.Hotkey] = c
	}
}

func categoryWhere(id string, i int) string {
	if id == "" {
		return fmt.Sprintf("category #%d", i+1)
	}
	return fmt.Sprintf("category '%s'", id)
}

func (d *decoder) decodeCategory(n *yaml.Node, i int, t *Taxonomy, vs vocabSet) *Category {
	where := categoryWhere(peekID(n), i)
	fs, ok := d.fields(n, where, "", categoryKeys)
	if !ok {
		return nil
	}
	c := &Category{Line: n.Line}
	if f, ok := fs["id"]; ok {
		if s, valid := d.id(f, where, "id"); valid {
			c.ID = s
			d.claimID(s, f.value.Line, where, "id", where)
		}
	}
	d.require(fs, n.Line, where, "", categoryKeys...)
	if f, ok := fs["hotkey"]; ok {
		c.Hotkey, _ = d.hotkey(f, where)
		c.hotkeyLine = f.value.Line
	}
	if f, ok := fs["labels"]; ok {
		c.Labels = d.text(f, where, "labels", MaxLabelRunes)
	}
	f, ok := fs["reasons"]
	if !ok {
		return c
	}
	items, ok := d.sequence(f, where, "reasons")
	if !ok {
		return c
	}
	hotkeys := make(map[string]*Reason, len(items))
	offered := 0
	for j, rn := range items {
		r := d.decodeReason(rn, j, c, vs)
		if r == nil {
			continue
		}
		c.Reasons = append(c.Reasons, r)
		if r.Deprecated {
			continue // resolvable, not offered: its hotkey and catch-all role are free
		}
		offered++
		rwhere := reasonWhere(r.ID, j, c.ID)
		if r.CatchAll {
			if c.catchAll != nil {
				d.add(r.catchAllLine, rwhere, "catch_all", "category '%s' already has a catch-all, '%s' (line %d); one per category", c.ID, c.catchAll.ID, c.catchAll.Line)
				continue // its hotkey x clashes too; one message says it
			}
			c.catchAll = r
		}
		if r.Hotkey == "" {
			continue
		}
		if first, dup := hotkeys[r.Hotkey]; dup {
			d.add(r.hotkeyLine, rwhere, "hotkey", "hotkey '%s' already used by '%s' in category '%s'", r.Hotkey, first.ID, c.ID)
			continue
		}
		hotkeys[r.Hotkey] = r
	}
	if len(items) > 0 && offered == 0 && len(c.Reasons) == len(items) {
		d.add(f.key.Line, where, "reasons", "every reason in category '%s' is deprecated; it needs at least one reason to offer", c.ID)
	}
	return c
}

// peekID returns the id of an entry before it is decoded, so that every
// problem in the entry can name it; "" if it has no string id.
func peekID(n *yaml.Node) string {
	if n.Kind != yaml.MappingNode {
		return ""
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if k, v := n.Content[i], n.Content[i+1]; k.Value == "id" && v.Kind == yaml.ScalarNode && v.ShortTag() == "!!str" && v.Value != "" {
			if len(v.Value) > maxIDLen {
				return v.Value[:maxIDLen] + "…"
			}
			return v.Value
		}
	}
	return ""
}

func reasonWhere(id string, j int, category string) string {
	switch {
	case id != "":
		return fmt.Sprintf("reason '%s'", id)
	case category != "":
		return fmt.Sprintf("reason #%d in category '%s'", j+1, category)
	}
	return fmt.Sprintf("reason #%d", j+1)
}

// hotkey decodes a one-character hotkey.
func (d *decoder) hotkey(f field, where string) (string, bool) {
	s, ok := d.str(f, where, "hotkey")
	if !ok {
		return "", false
	}
	if len(s) != 1 || !(s[0] >= '0' && s[0] <= '9' || s[0] >= 'a' && s[0] <= 'z') {
		d.add(f.value.Line, where, "hotkey", "hotkey '%s' must be one character, 0-9 or a-z (no capitals or æ ø å ä ö)", s)
		return "", false
	}
	return s, true
}

func (d *decoder) decodeReason(n *yaml.Node, j int, c *Category, vs vocabSet) *Reason {
	where := reasonWhere(peekID(n), j, c.ID)
	fs, ok := d.fields(n, where, "", reasonKeys)
	if !ok {
		return nil
	}
	r := &Reason{Category: c.ID, Line: n.Line}
	if f, ok := fs["id"]; ok {
		if s, valid := d.id(f, where, "id"); valid {
			r.ID = s
			d.claimID(s, f.value.Line, where, "id", fmt.Sprintf("%s in category '%s'", where, c.ID))
		}
	}
	d.require(fs, n.Line, where, "", "id", "labels", "description", "owner", "stage", "kind")
	if f, ok := fs["labels"]; ok {
		r.Labels = d.text(f, where, "labels", MaxLabelRunes)
	}
	if f, ok := fs["description"]; ok {
		r.Description = d.text(f, where, "description", 0)
	}
	if f, ok := fs["catch_all"]; ok {
		r.CatchAll, _ = d.boolean(f, where, "catch_all")
		r.catchAllLine = f.value.Line
	}
	if f, ok := fs["deprecated"]; ok {
		r.Deprecated, _ = d.boolean(f, where, "deprecated")
	}
	if f, ok := fs["hotkey"]; ok {
		r.Hotkey, _ = d.hotkey(f, where)
		r.hotkeyLine = f.value.Line
	}
	switch {
	case r.CatchAll && r.Hotkey != "x" && fs["hotkey"].value == nil:
		d.add(n.Line, where, "hotkey", "a catch-all must have hotkey 'x'")
	case r.CatchAll && r.Hotkey != "x" && r.Hotkey != "":
		d.add(r.hotkeyLine, where, "hotkey", "hotkey '%s' on a catch-all; a catch-all must have hotkey 'x'", r.Hotkey)
	case !r.CatchAll && r.Hotkey == "x":
		d.add(r.hotkeyLine, where, "hotkey", "hotkey 'x' is reserved for the category's catch-all (catch_all: true)")
	}

	member := func(key string, v *Vocab, vocab string) (string, int, bool) {
		f, ok := fs[key]
		if !ok {
			return "", 0, false
		}
		s, ok := d.str(f, where, key)
		if !ok {
			return "", f.value.Line, false
		}
		if v != nil && !v.Has(s) {
			d.add(f.value.Line, where, key, "%s '%s' is not in vocab.%s (%s)", key, s, vocab, listKeys(v.Keys))
			return s, f.value.Line, false
		}
		return s, f.value.Line, v != nil
	}
	r.Owner, _, _ = member("owner", vs.owners, "owners")
	r.Stage, _, _ = member("stage", vs.stages, "stages")
	kind, kindLine, kindOK := member("kind", vs.kinds, "kinds")
	treat, treatLine, treatOK := member("treatment", vs.treatments, "treatments")
	r.Kind, r.Treatment = Kind(kind), Treatment(treat)

	_, hasTreatment := fs["treatment"]
	switch {
	case r.CatchAll && hasTreatment:
		d.add(treatLine, where, "treatment", "a catch-all has no treatment; remove it")
	case r.CatchAll:
	case kindOK && r.Kind == KindValue && !hasTreatment:
		d.add(kindLine, where, "treatment", "kind 'value' needs treatment 'leverage'")
	case kindOK && treatOK && r.Kind == KindValue && r.Treatment != TreatLeverage:
		d.add(treatLine, where, "treatment", "treatment '%s' with kind 'value'; value contacts take treatment 'leverage'", r.Treatment)
	case kindOK && treatOK && r.Kind != KindValue && r.Treatment == TreatLeverage:
		d.add(treatLine, where, "treatment", "treatment 'leverage' is only for kind 'value', not '%s'", r.Kind)
	}
	return r
}

// listKeys lists vocabulary keys for a message, eliding a long list.
func listKeys(keys []string) string {
	const show = 8
	if len(keys) > show {
		return strings.Join(keys[:show], ", ") + ", …"
	}
	return strings.Join(keys, ", ")
}

// describe names the YAML type of n for messages.
func describe(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.AliasNode:
		return "an alias (*" + n.Value + "); anchors and aliases are not supported"
	case yaml.DocumentNode:
		return "a document"
	case yaml.ScalarNode:
		switch n.ShortTag() {
		case "!!null":
			return "empty"
		case "!!str":
			return "a string"
		case "!!int", "!!float":
			return "a number (" + n.Value + ")"
		case "!!bool":
			return "a boolean (" + n.Value + ")"
		case "!!timestamp":
			return "a date (" + n.Value + ")"
		}
		return "a value tagged " + n.ShortTag()
	}
	return "nothing"
}

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

// in says where a key is for a message, unless where already says so.
func in(where, path string) string {
	switch {
	case path != "":
		return " in " + path
	case where == "":
		return " at the top level"
	}
	return ""
}
