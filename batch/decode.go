package batch

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"whycall/store"
)

// The document as it is on the wire. Times stay strings here so that a bad
// one is reported with the field and contact it is in.
type wireBatch struct {
	Format     string
	ID         string
	Agent      string
	Site       string
	Created    []byte
	Taxonomies []wireTaxonomy
	Contacts   []wireContact
}

type wireTaxonomy struct {
	Version  string
	ID       string
	Revision int
	YAML     string
}

type wireContact struct {
	ID              string
	Rev             int64
	UpdatedAt       []byte
	Deleted         bool
	Agent           string
	Team            string
	Site            string
	Channel         string
	StartedAt       []byte
	EndedAt         []byte
	HasEnded        bool // ended_at is not null
	Reasons         []string
	Outcome         string
	CustomerRef     string
	Note            string
	TaxonomyVersion string
}

// maxProblems is how many problems one error lists before it summarises.
const maxProblems = 10

// Decode parses and validates a batch document. now is the reader's clock:
// times more than MaxClockSkew after it are refused. Every problem found
// (up to ten) is in the error, which wraps ErrInvalid, ErrUnknownFormat or
// ErrTooLarge.
func Decode(data []byte, now time.Time) (*Batch, error) {
	if len(data) > MaxDocumentBytes {
		return nil, fmt.Errorf("%w: %d bytes, at most %d", ErrTooLarge, len(data), MaxDocumentBytes)
	}
	var w wireBatch
	if err := parse(data, &w); err != nil {
		if f, ok := peekFormat(data); ok && f != Format {
			return nil, unknownFormat(f)
		}
		return nil, fmt.Errorf("%w: %v", ErrInvalid, err)
	}
	if w.Format != Format {
		return nil, unknownFormat(w.Format)
	}
	var p problems
	b := w.batch(&p, now)
	if err := p.err(); err != nil {
		return nil, err
	}
	return b, nil
}

func unknownFormat(f string) error {
	if f == "" {
		return fmt.Errorf(`%w: no "format" field; is this a whycall batch? (want %q)`, ErrUnknownFormat, Format)
	}
	return fmt.Errorf("%w %q: this program reads %q; upgrade it to read newer batches",
		ErrUnknownFormat, clip(f), Format)
}

// position turns a byte offset into "line L, column C" (both 1-based).
func position(data []byte, off int64) string {
	if off > int64(len(data)) {
		off = int64(len(data))
	}
	if off < 0 {
		off = 0
	}
	before := data[:off]
	line := bytes.Count(before, []byte{'\n'}) + 1
	col := int(off) - (bytes.LastIndexByte(before, '\n') + 1) + 1
	return fmt.Sprintf("line %d, column %d", line, col)
}

// peekFormat reads just the "format" field of a document that did not decode
// as v1, so that a newer format is reported as such rather than as a list of
// unknown fields.
func peekFormat(data []byte) (string, bool) {
	var head struct {
		Format *string `json:"format"`
	}
	if json.Unmarshal(data, &head) != nil {
		return "", false
	}
	if head.Format == nil {
		return "", true
	}
	return *head.Format, true
}

// problems collects what is wrong with a batch, up to maxProblems.
type problems struct {
	list []string
	more int
}

func (p *problems) add(format string, args ...any) {
	if len(p.list) == maxProblems {
		p.more++
		return
	}
	p.list = append(p.list, fmt.Sprintf(format, args...))
}

func (p *problems) err() error {
	if len(p.list) == 0 {
		return nil
	}
	msg := strings.Join(p.list, "; ")
	if p.more > 0 {
		msg += fmt.Sprintf("; and %d more", p.more)
	}
	return fmt.Errorf("%w: %s", ErrInvalid, msg)
}

// loc names a place in a batch for messages, e.g. "contacts[3] (id …)".
// It is formatted only when something is wrong there.
type loc struct {
	sect string // "", "taxonomies" or "contacts"
	i    int
	id   string
}

func (l loc) String() string {
	switch {
	case l.sect == "":
		return "batch"
	case l.id != "":
		return fmt.Sprintf("%s[%d] (id %s)", l.sect, l.i, clip(l.id))
	}
	return fmt.Sprintf("%s[%d]", l.sect, l.i)
}

// batch converts and validates the wire document.
func (w *wireBatch) batch(p *problems, now time.Time) *Batch {
	b := &Batch{ID: w.ID, Agent: w.Agent, Site: w.Site}
	top := loc{}
	if !validUUID(w.ID, true) {
		p.add("id %q is not a UUIDv7 in canonical form", clip(w.ID))
	}
	if w.Agent == "" {
		p.add("agent is missing")
	}
	checkField(p, top, "agent", w.Agent)
	checkField(p, top, "site", w.Site)
	b.Created = parseTime(p, top, "created", w.Created, now)

	switch n := len(w.Contacts); {
	case n == 0:
		p.add("the batch holds no contacts")
	case n > MaxContacts:
		p.add("the batch holds %d contacts, at most %d", n, MaxContacts)
		return b
	}
	if len(w.Taxonomies) > MaxTaxonomies {
		p.add("the batch holds %d taxonomy versions, at most %d", len(w.Taxonomies), MaxTaxonomies)
		return b
	}

	versions := make(map[string]bool, len(w.Taxonomies))
	b.Taxonomies = make([]Taxonomy, len(w.Taxonomies))
	for i := range w.Taxonomies {
		wt := &w.Taxonomies[i]
		at := loc{sect: "taxonomies", i: i}
		switch {
		case wt.Version == "":
			p.add("%v: version is missing", at)
		case versions[wt.Version]:
			p.add("%v: version %q is listed twice", at, clip(wt.Version))
		case len(wt.YAML) == 0:
			p.add("%v: yaml is missing", at)
		case len(wt.YAML) > MaxTaxonomyBytes:
			p.add("%v: yaml is %d bytes, at most %d", at, len(wt.YAML), MaxTaxonomyBytes)
		case TaxonomyVersion([]byte(wt.YAML)) != wt.Version:
			p.add("%v: version %q does not match its yaml, whose version is %q", at, clip(wt.Version), TaxonomyVersion([]byte(wt.YAML)))
		}
		checkField(p, at, "id", wt.ID)
		if wt.Revision < 0 {
			p.add("%v: revision %d is negative", at, wt.Revision)
		}
		versions[wt.Version] = true
		b.Taxonomies[i] = Taxonomy{Version: wt.Version, ID: wt.ID, Revision: wt.Revision, YAML: []byte(wt.YAML)}
	}

	seen := make(map[string]int, len(w.Contacts))
	b.Contacts = make([]store.Contact, len(w.Contacts))
	for i := range w.Contacts {
		wc := &w.Contacts[i]
		at := loc{sect: "contacts", i: i, id: wc.ID}
		if wc.ID != "" {
			if j, dup := seen[wc.ID]; dup {
				p.add("%v: the same contact as contacts[%d]; a batch holds one revision of each contact", at, j)
			}
			seen[wc.ID] = i
		}
		c := &b.Contacts[i]
		*c = store.Contact{
			ID: wc.ID, Agent: wc.Agent, Team: wc.Team, Site: wc.Site,
			Channel: store.Channel(wc.Channel), Reasons: wc.Reasons, Outcome: store.Outcome(wc.Outcome),
			CustomerRef: wc.CustomerRef, Note: wc.Note, TaxonomyVersion: wc.TaxonomyVersion,
			Rev: wc.Rev, Deleted: wc.Deleted,
		}
		c.UpdatedAt = parseTime(p, at, "updated_at", wc.UpdatedAt, now)
		c.StartedAt = parseTime(p, at, "started_at", wc.StartedAt, now)
		if wc.HasEnded {
			c.EndedAt = parseTime(p, at, "ended_at", wc.EndedAt, now)
		}
		if err := checkContact(c); err != nil {
			p.add("%v: %v", at, err)
		}
		if c.TaxonomyVersion != "" && !versions[c.TaxonomyVersion] {
			p.add("%v: taxonomy_version %q is not among the batch's taxonomies", at, clip(c.TaxonomyVersion))
		}
	}
	return b
}

// checkContact checks what a reader needs of a contact besides its times,
// which the decoder has checked already. A desk runs the same check before it
// sends, so it never sends a contact the collector would refuse.
func checkContact(c *store.Contact) error {
	switch {
	case c.ID == "":
		return errors.New("id is missing")
	case !validUUID(c.ID, false):
		return fmt.Errorf("id %q is not a UUID in canonical form (lower-case, with hyphens)", clip(c.ID))
	case c.Rev < 1:
		return fmt.Errorf("rev %d: revisions start at 1", c.Rev)
	case c.Agent == "":
		return errors.New("agent is missing")
	case !c.Channel.Valid():
		return fmt.Errorf("channel %q is not one of phone, chat, email, other", clip(string(c.Channel)))
	case !c.Outcome.Valid():
		return fmt.Errorf("outcome %q is not one of unknown, resolved, unresolved, follow_up, escalated", clip(string(c.Outcome)))
	case c.TaxonomyVersion == "":
		return errors.New("taxonomy_version is missing")
	case c.Draft() && !c.Deleted:
		return errors.New("ended_at is null but the contact is not deleted: drafts are not synced")
	case len(c.Note) > MaxNoteBytes:
		return fmt.Errorf("note is %d bytes, at most %d", len(c.Note), MaxNoteBytes)
	case len(c.Reasons) > store.MaxReasons:
		return fmt.Errorf("%d reasons, at most %d", len(c.Reasons), store.MaxReasons)
	case !c.EndedAt.IsZero() && c.EndedAt.Before(c.StartedAt):
		return fmt.Errorf("ended_at %s is before started_at %s", c.EndedAt.UTC().Format(timeLayout), c.StartedAt.UTC().Format(timeLayout))
	}
	for _, f := range [...]struct{ name, v string }{{"agent", c.Agent}, {"team", c.Team}, {"site", c.Site},
		{"customer_ref", c.CustomerRef}, {"taxonomy_version", c.TaxonomyVersion}} {
		if len(f.v) > MaxFieldBytes {
			return fmt.Errorf("%s is %d bytes, at most %d", f.name, len(f.v), MaxFieldBytes)
		}
	}
	for i, r := range c.Reasons {
		switch {
		case r == "":
			return fmt.Errorf("reasons[%d] is empty", i)
		case len(r) > MaxFieldBytes:
			return fmt.Errorf("reasons[%d] is %d bytes, at most %d", i, len(r), MaxFieldBytes)
		case strings.ContainsAny(r, "|\x00"):
			return fmt.Errorf("reasons[%d] %q contains '|'", i, clip(r))
		}
		for _, q := range c.Reasons[:i] {
			if q == r {
				return fmt.Errorf("reason %q is listed twice", clip(r))
			}
		}
	}
	return nil
}

// checkTimes checks that the contact's times are plausible for a reader
// whose clock says now.
func checkTimes(c *store.Contact, now time.Time) error {
	var p problems
	checkTime(&p, loc{}, "updated_at", c.UpdatedAt, now)
	checkTime(&p, loc{}, "started_at", c.StartedAt, now)
	if !c.EndedAt.IsZero() {
		checkTime(&p, loc{}, "ended_at", c.EndedAt, now)
	}
	if len(p.list) > 0 {
		return errors.New(strings.TrimPrefix(p.list[0], "batch: "))
	}
	return nil
}

func checkField(p *problems, at loc, name, v string) {
	if len(v) > MaxFieldBytes {
		p.add("%v: %s is %d bytes, at most %d", at, name, len(v), MaxFieldBytes)
	}
}

// parseTime parses a time as the schema writes it, RFC 3339 in UTC
// (YYYY-MM-DDTHH:MM:SS[.fraction]Z), keeps milliseconds, and checks that
// it is plausible.
func parseTime(p *problems, at loc, name string, s []byte, now time.Time) time.Time {
	if len(s) == 0 {
		p.add("%v: %s is missing", at, name)
		return time.Time{}
	}
	t, ok := parseUTC(s)
	if !ok {
		p.add("%v: %s %q is not an RFC 3339 time in UTC (like 2026-03-02T08:15:30.123Z)", at, name, clip(string(s)))
		return time.Time{}
	}
	checkTime(p, at, name, t, now)
	return t
}

// parseUTC parses YYYY-MM-DDTHH:MM:SS[.fraction]Z, truncated to
// milliseconds.
func parseUTC(s []byte) (time.Time, bool) {
	n := len(s)
	if n < 20 || n == 21 || n > 30 || s[4] != '-' || s[7] != '-' || s[10] != 'T' || s[13] != ':' || s[16] != ':' || s[n-1] != 'Z' {
		return time.Time{}, false
	}
	num := func(b []byte) int {
		v := 0
		for _, c := range b {
			if c < '0' || c > '9' {
				return -1
			}
			v = v*10 + int(c-'0')
		}
		return v
	}
	year, month, day := num(s[0:4]), num(s[5:7]), num(s[8:10])
	hour, minute, sec := num(s[11:13]), num(s[14:16]), num(s[17:19])
	ms := 0
	if n > 20 {
		if s[19] != '.' {
			return time.Time{}, false
		}
		frac := s[20 : n-1]
		if num(frac) < 0 {
			return time.Time{}, false
		}
		for i := 0; i < 3; i++ {
			ms *= 10
			if i < len(frac) {
				ms += int(frac[i] - '0')
			}
		}
	} else if n != 20 {
		return time.Time{}, false
	}
	if year < 0 || month < 1 || month > 12 || day < 1 || hour < 0 || hour > 23 || minute < 0 || minute > 59 || sec < 0 || sec > 59 {
		return time.Time{}, false
	}
	t := time.Date(year, time.Month(month), day, hour, minute, sec, ms*int(time.Millisecond), time.UTC)
	if t.Day() != day { // 31 April, 29 February in a common year
		return time.Time{}, false
	}
	return t, true
}

func checkTime(p *problems, at loc, name string, t, now time.Time) {
	switch {
	case t.Before(MinTime):
		p.add("%v: %s %s is before %s: is a clock wrong?", at, name, t.UTC().Format(timeLayout), MinTime.Format("2006-01-02"))
	case t.After(now.Add(MaxClockSkew)):
		p.add("%v: %s %s is more than %v after this machine's clock (%s): is a clock wrong?",
			at, name, t.UTC().Format(timeLayout), MaxClockSkew, now.UTC().Format(timeLayout))
	}
}

// validUUID reports whether s is a UUID in canonical lower-case form, and
// when v7 is set, a version 7 (time-ordered) one.
func validUUID(s string, v7 bool) bool {
	if len(s) != 36 {
		return false
	}
	for i := 0; i < 36; i++ {
		c := s[i]
		switch i {
		case 8, 13, 18, 23:
			if c != '-' {
				return false
			}
		default:
			if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
				return false
			}
		}
	}
	if v7 {
		return s[14] == '7' && strings.IndexByte("89ab", s[19]) >= 0
	}
	return true
}

// TaxonomyVersion is the version of a taxonomy source, as taxonomy.Load
// computes it: the first 16 hex digits of the SHA-256 of its exact bytes.
// A reader checks it so that no batch can store YAML under another
// version's name.
func TaxonomyVersion(yaml []byte) string {
	sum := sha256.Sum256(yaml)
	return hex.EncodeToString(sum[:8])
}

// clip shortens a value quoted in an error message.
func clip(s string) string {
	const n = 64
	if len(s) <= n {
		return s
	}
	cut := n
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "…"
}
