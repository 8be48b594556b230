package report

import (
	"whycall/taxonomy"
)

// Labels names reasons in one language, each by the taxonomy version the
// contact was tagged with, so old contacts keep the labels they were given
// after a reason is renamed or retired. A version that is not stored (or
// does not load) and a reason it does not know fall back to the current
// taxonomy, and then to the reason id. Each version is loaded once, on
// first use, and each reason worked out once per version.
type Labels struct {
	lang     string
	current  *taxonomy.Taxonomy
	yaml     map[string][]byte
	versions map[string]*versionLabels
	// The last version looked up: consecutive contacts nearly always share it.
	lastName []byte
	last     *versionLabels
}

type versionLabels struct {
	tax     *taxonomy.Taxonomy // nil when the version is unknown
	reasons map[string]*reasonInfo
}

// reasonInfo is what a row shows about a reason.
type reasonInfo struct {
	label, category, owner, kind []byte
}

var noInfo reasonInfo

// NewLabels returns labels in language lang. current is the taxonomy in use
// now (nil if none); versions holds the YAML of stored taxonomy versions by
// version (see store.ExportReader.TaxonomyYAMLs).
func NewLabels(lang string, current *taxonomy.Taxonomy, versions map[string][]byte) *Labels {
	return &Labels{lang: lang, current: current, yaml: versions, versions: map[string]*versionLabels{}}
}

// reason returns what to show for reason id of a contact tagged with the
// taxonomy version.
func (l *Labels) reason(version, id []byte) *reasonInfo {
	v := l.last
	if v == nil || string(version) != string(l.lastName) {
		v = l.version(version)
		l.last, l.lastName = v, append(l.lastName[:0], version...)
	}
	if info, ok := v.reasons[string(id)]; ok {
		return info
	}
	info := l.describe(v.tax, string(id))
	v.reasons[string(id)] = info
	return info
}

func (l *Labels) version(name []byte) *versionLabels {
	if v, ok := l.versions[string(name)]; ok {
		return v
	}
	v := &versionLabels{reasons: map[string]*reasonInfo{}}
	if l.current != nil && l.current.Version == string(name) {
		v.tax = l.current
	} else if y, ok := l.yaml[string(name)]; ok {
		if t, err := taxonomy.Load("taxonomy "+string(name), y); err == nil {
			v.tax = t
		}
	}
	l.versions[string(name)] = v
	return v
}

func (l *Labels) describe(t *taxonomy.Taxonomy, id string) *reasonInfo {
	if id == "" {
		return &noInfo
	}
	r, ok := lookup(t, id)
	if !ok {
		t = l.current
		r, ok = lookup(t, id)
	}
	if !ok {
		return &reasonInfo{label: []byte(id)}
	}
	info := &reasonInfo{
		label: []byte(r.Label(l.lang)),
		owner: []byte(t.Owners.Label(r.Owner, l.lang, t.DefaultLocale)),
		kind:  []byte(t.Kinds.Label(string(r.Kind), l.lang, t.DefaultLocale)),
	}
	info.category = []byte(r.Category)
	for _, c := range t.Categories {
		if c.ID == r.Category {
			info.category = []byte(c.Label(l.lang))
			break
		}
	}
	return info
}

func lookup(t *taxonomy.Taxonomy, id string) (*taxonomy.Reason, bool) {
	if t == nil {
		return nil, false
	}
	return t.Reason(id)
}
