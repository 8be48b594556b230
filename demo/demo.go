// Package demo makes realistic synthetic contacts, so that a newcomer sees a
// meaningful summary without real data and benchmarks have a known database
// to run on.
//
// The contacts are drawn from a taxonomy: a skewed reason mix in which
// irritants dominate, Monday peaks and a lunch dip within opening hours in
// the local time zone, log-normal handle times and resolution rates that
// differ by reason, customer references with repeat contacts that follow
// realistic chains (where is my order → late delivery, defect → claim
// follow-up), praise and catch-all notes in Norwegian and Swedish, and a few
// agents named demo-<name> in two or three teams. One spike of one reason is
// planted in the last two days, strong enough that the summary's spike test
// flags it; reason counts otherwise stay within about two standard
// deviations of their share of each day, so nothing else is flagged.
//
// The same options and seed give the same contacts, ids included: every
// random choice comes from one seeded generator, and ids are UUIDv7 made
// from the contact's start time and that generator.
package demo

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"whycall/store"
	"whycall/taxonomy"
)

// Version identifies the generator's output: the same options and seed give
// the same contacts within one Version. Bump it on every change to what is
// generated, so that cached demo databases are made anew.
const Version = "1"

// AgentPrefix starts the name of every demo agent. A contact whose agent
// does not start with it is real.
const AgentPrefix = "demo-"

// Defaults for zero Options fields.
const (
	DefaultContacts = 100_000
	DefaultDays     = 90
	DefaultAgents   = 12
	DefaultSeed     = 1
	DefaultSite     = "demo"
)

// Limits on Options, so a typo cannot fill the disk.
const (
	MaxContacts = 50_000_000
	MaxDays     = 3660
	MaxAgents   = 1000
)

// Options say what to generate. The zero value of a field means its default.
type Options struct {
	Contacts int    // total number of contacts (DefaultContacts)
	Days     int    // number of days, ending on End (DefaultDays)
	Agents   int    // number of agents, spread over 2 or 3 teams (DefaultAgents)
	Seed     uint64 // seed of the random generator (DefaultSeed)
	// End is any time on the last day; only its calendar date in Location
	// counts. Zero means today.
	End time.Time
	// Location is the time zone whose calendar days and opening hours are
	// used; nil means Europe/Oslo.
	Location *time.Location
	// Taxonomy is the reason tree to draw reasons from (required).
	Taxonomy *taxonomy.Taxonomy
	// Ref turns a raw customer reference into what the store keeps: the
	// store's RefHasher.Ref when references are hashed. nil means
	// store.NormalizeRef.
	Ref func(raw string) string
	// Site is the site of every contact (DefaultSite).
	Site string
}

// withDefaults fills zero fields and checks the rest.
func (o Options) withDefaults() (Options, error) {
	if o.Contacts == 0 {
		o.Contacts = DefaultContacts
	}
	if o.Days == 0 {
		o.Days = DefaultDays
	}
	if o.Agents == 0 {
		o.Agents = DefaultAgents
	}
	if o.Seed == 0 {
		o.Seed = DefaultSeed
	}
	if o.Site == "" {
		o.Site = DefaultSite
	}
	if o.Location == nil {
		loc, err := time.LoadLocation(store.DefaultZone)
		if err != nil {
			return o, fmt.Errorf("load time zone %s: %w", store.DefaultZone, err)
		}
		o.Location = loc
	}
	if o.End.IsZero() {
		o.End = time.Now()
	}
	if o.Ref == nil {
		o.Ref = store.NormalizeRef
	}
	var errs []string
	if o.Contacts < 1 || o.Contacts > MaxContacts {
		errs = append(errs, fmt.Sprintf("contacts: %d is not between 1 and %d", o.Contacts, MaxContacts))
	}
	if o.Days < 1 || o.Days > MaxDays {
		errs = append(errs, fmt.Sprintf("days: %d is not between 1 and %d", o.Days, MaxDays))
	}
	if o.Agents < 1 || o.Agents > MaxAgents {
		errs = append(errs, fmt.Sprintf("agents: %d is not between 1 and %d", o.Agents, MaxAgents))
	}
	if o.Taxonomy == nil {
		errs = append(errs, "no taxonomy given")
	}
	if len(errs) > 0 {
		return o, errors.New(strings.Join(errs, "; "))
	}
	return o, nil
}

// Spike is the planted spike: one reason at Factor times its usual count on
// the last (at most two) days.
type Spike struct {
	Reason string
	Days   []string  // local dates, YYYY-MM-DD
	Factor float64   // planted count ÷ usual count
	Counts []int     // contacts of Reason planted on each day
	Usual  []float64 // what Reason's count would have been without the spike
}

// String says where the spike is, e.g.
// "delivery_late on 2026-11-23 and 2026-11-24, ×3".
func (s Spike) String() string {
	return fmt.Sprintf("%s on %s, ×%s", s.Reason, strings.Join(s.Days, " and "), trimFloat(s.Factor))
}

// trimFloat formats f with at most one decimal and no trailing ".0".
func trimFloat(f float64) string {
	return strings.TrimSuffix(fmt.Sprintf("%.1f", f), ".0")
}
