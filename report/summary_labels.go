package report

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"

	"whycall/store"
	"whycall/taxonomy"
)

// errUnloadable marks a stored taxonomy whose YAML does not load.
var errUnloadable = errors.New("stored taxonomy does not load")

// loaded holds every taxonomy version loaded so far, by content hash. A
// version's YAML never changes, so the cache never goes stale.
var loaded sync.Map // version → *taxonomy.Taxonomy

// loadVersion returns the taxonomy stored as version, loading it once.
func loadVersion(ctx context.Context, src Source, version string) (*taxonomy.Taxonomy, error) {
	if t, ok := loaded.Load(version); ok {
		return t.(*taxonomy.Taxonomy), nil
	}
	y, err := src.TaxonomyYAML(ctx, version)
	if err != nil {
		return nil, err
	}
	t, err := taxonomy.Load("taxonomy "+version, y)
	if err != nil {
		return nil, fmt.Errorf("load stored taxonomy %s: %w: %w", version, errUnloadable, err)
	}
	loaded.Store(version, t)
	return t, nil
}

// reasonMeta is what the summary shows of a reason: taken from the taxonomy
// version its contacts used, so retired and renamed reasons keep their
// labels.
type reasonMeta struct {
	id, label                 string
	category, categoryLabel   string
	owner, ownerLabel         string
	kind, treatment           string
	catchAll, deprecated      bool
	preventable, known        bool
	praise, suggestion        bool
	taxonomyRank, taxonomyRev int
}

// labeler resolves reason ids to reasonMeta through the stored taxonomies.
type labeler struct {
	lang     string
	opt      Options
	versions []store.TaxonomyVersion // oldest first
	rank     map[string]int          // version → index in versions
	tax      []*taxonomy.Taxonomy    // by rank; nil where unloadable
	cache    map[string]reasonMeta   // "rank/id" → info
	// unreadable lists stored versions whose YAML no longer loads; their
	// reasons fall back to other versions or show their ids.
	unreadable []string
}

func newLabeler(ctx context.Context, src Source, opt Options) (*labeler, error) {
	vs, err := src.TaxonomyVersions(ctx)
	if err != nil {
		return nil, err
	}
	// Oldest first; versions saved in the same millisecond by revision.
	slices.SortStableFunc(vs, func(a, b store.TaxonomyVersion) int {
		return cmp.Or(a.AddedAt.Compare(b.AddedAt), cmp.Compare(a.Revision, b.Revision))
	})
	l := &labeler{lang: opt.Lang, opt: opt, versions: vs, rank: make(map[string]int, len(vs)),
		tax: make([]*taxonomy.Taxonomy, len(vs)), cache: map[string]reasonMeta{}}
	for i, v := range vs {
		l.rank[v.Version] = i
		t, err := loadVersion(ctx, src, v.Version)
		if errors.Is(err, errUnloadable) {
			l.unreadable = append(l.unreadable, v.Version)
			continue
		}
		if err != nil {
			return nil, err
		}
		l.tax[i] = t
	}
	return l, nil
}

// newest returns the newest stored taxonomy, or nil if none is stored.
func (l *labeler) newest() *taxonomy.Taxonomy {
	if len(l.tax) == 0 {
		return nil
	}
	return l.tax[len(l.tax)-1]
}

// rankOf returns the rank of a stored version, or -1.
func (l *labeler) rankOf(version string) int {
	if r, ok := l.rank[version]; ok {
		return r
	}
	return -1
}

// newestOf returns whichever of the versions is the newest stored one, or
// -1 if none is stored.
func (l *labeler) newestOf(versions map[string]bool) int {
	best := -1
	for v := range versions {
		if r, ok := l.rank[v]; ok && r > best {
			best = r
		}
	}
	return best
}

// info describes reason id as taxonomy version rank has it (rank < 0: the
// newest stored version that has the reason).
func (l *labeler) info(id string, rank int) reasonMeta {
	key := fmt.Sprint(rank, "/", id)
	if ri, ok := l.cache[key]; ok {
		return ri
	}
	ri := reasonMeta{id: id, label: id, taxonomyRank: -1}
	if id == "" {
		ri.label = msg(l.lang, "no_reason")
	}
	try := func(r int) bool {
		if r < 0 || r >= len(l.tax) || l.tax[r] == nil {
			return false
		}
		t := l.tax[r]
		reason, ok := t.Reason(id)
		if !ok {
			return false
		}
		ri = l.describe(t, reason)
		ri.taxonomyRank, ri.taxonomyRev = r, t.Revision
		return true
	}
	if !try(rank) {
		for r := len(l.tax) - 1; r >= 0; r-- {
			if try(r) {
				break
			}
		}
	}
	l.cache[key] = ri
	return ri
}

func (l *labeler) describe(t *taxonomy.Taxonomy, r *taxonomy.Reason) reasonMeta {
	ri := reasonMeta{
		id:          r.ID,
		label:       r.Label(l.lang),
		category:    r.Category,
		owner:       r.Owner,
		ownerLabel:  t.Owners.Label(r.Owner, l.lang, "en"),
		kind:        string(r.Kind),
		treatment:   string(r.Treatment),
		catchAll:    r.CatchAll,
		deprecated:  r.Deprecated,
		preventable: r.Preventable(),
		known:       true,
	}
	ri.categoryLabel = r.Category
	for _, c := range t.Categories {
		if c.ID == r.Category {
			ri.categoryLabel = c.Label(l.lang)
			break
		}
	}
	for _, s := range l.opt.Suggestions {
		ri.suggestion = ri.suggestion || r.ID == s
	}
	ri.praise = ri.suggestion || (l.opt.PraisePrefix != "" && len(r.ID) > len(l.opt.PraisePrefix) &&
		r.ID[:len(l.opt.PraisePrefix)] == l.opt.PraisePrefix)
	return ri
}

// ownerLabel labels an owner id from the newest taxonomy that knows it.
func (l *labeler) ownerLabel(owner string) string {
	for r := len(l.tax) - 1; r >= 0; r-- {
		if t := l.tax[r]; t != nil && t.Owners.Has(owner) {
			return t.Owners.Label(owner, l.lang, "en")
		}
	}
	if owner == "" {
		return msg(l.lang, "no_owner")
	}
	return owner
}
