package report

import (
	"cmp"
	"slices"
	"time"

	"whycall/store"
)

// scanContacts collects the figures that need single contacts: the taxonomy
// versions each reason was tagged with, handle times for medians, notes,
// hourly volume and per-agent figures.
func (c *computer) scanContacts() {
	p, s := c.p, c.s
	c.versions = map[string]map[string]bool{}
	c.handles = map[string][]int64{}
	c.notes = map[string][]rawNote{}
	maxMs := store.MaxHandleTime.Milliseconds()
	var all []int64
	dayStart := p.from.Start(c.loc).UnixMilli()
	var hours []int
	if p.days == 1 {
		dayEnd := p.to.End(c.loc).UnixMilli()
		hours = make([]int, (dayEnd-dayStart+hourMs-1)/hourMs)
	}
	type agentSum struct {
		n, catchAll, ref int
		handles          []int64
	}
	agents := map[string]*agentSum{}
	for i := range c.in.contacts {
		k := &c.in.contacts[i]
		id := k.Primary()
		vm := c.versions[id]
		if vm == nil {
			vm = map[string]bool{}
			c.versions[id] = vm
		}
		vm[k.TaxonomyVersion] = true
		h := k.EndedAt - k.StartedAt
		usable := h > 0 && h <= maxMs
		if usable {
			c.handles[id] = append(c.handles[id], h)
			all = append(all, h)
		}
		if k.Note != "" {
			c.notes[id] = append(c.notes[id], rawNote{ms: k.StartedAt, reason: id, text: k.Note})
		}
		if hours != nil {
			if b := (k.StartedAt - dayStart) / hourMs; b >= 0 && int(b) < len(hours) {
				hours[b]++
			}
		}
		if c.opt.PerAgent {
			a := agents[k.Agent]
			if a == nil {
				a = &agentSum{}
				agents[k.Agent] = a
			}
			a.n++
			if k.HasRef {
				a.ref++
			}
			if usable {
				a.handles = append(a.handles, h)
			}
			if id == "" || c.in.lab.info(id, c.in.lab.rankOf(k.TaxonomyVersion)).catchAll {
				a.catchAll++
			}
		}
	}
	for _, ns := range c.notes {
		sortNotes(ns)
	}
	if len(all) > 0 {
		s.Handle.MedianS = ptr(Median(all) / 1000)
	}
	for i, n := range hours {
		t := time.UnixMilli(dayStart + int64(i)*hourMs).In(c.loc)
		s.Hours = append(s.Hours, HourCount{Start: t, Hour: t.Hour(), Count: n})
	}
	for name, a := range agents {
		row := AgentRow{Agent: name, Count: a.n, Share: ratio(a.n, len(c.in.contacts)),
			CatchAllShare: ratio(a.catchAll, a.n), RefCoverage: ratio(a.ref, a.n)}
		if len(a.handles) > 0 {
			row.MedianS = ptr(Median(a.handles) / 1000)
		}
		s.Agents = append(s.Agents, row)
	}
	slices.SortFunc(s.Agents, func(a, b AgentRow) int {
		return cmp.Or(cmp.Compare(b.Count, a.Count), cmp.Compare(a.Agent, b.Agent))
	})
}

const hourMs = int64(time.Hour / time.Millisecond)

// category returns the category of reason id (from the newest taxonomy
// version that has it).
func (c *computer) category(id string) string {
	if ri, ok := c.info[id]; ok {
		return ri.category
	}
	return c.in.lab.info(id, -1).category
}

// repeatStats are repeat counts over a set of contacts.
type repeatStats struct {
	withRef, repeats, sameCategory, transfers int
	perReason                                 map[string][2]int // with ref, repeats
	chains                                    map[[2]string]int
}

// countRepeats counts the contacts with a reference that had an earlier
// contact from the same reference in the window (the store leaves
// transfers out of Before).
func (c *computer) countRepeats(contacts []store.SummaryContact) repeatStats {
	st := repeatStats{perReason: map[string][2]int{}, chains: map[[2]string]int{}}
	for i := range contacts {
		k := &contacts[i]
		if !k.HasRef {
			continue
		}
		st.withRef++
		if k.Transfer {
			st.transfers++
		}
		id := k.Primary()
		pr := st.perReason[id]
		pr[0]++
		if len(k.Before) > 0 {
			st.repeats++
			pr[1]++
			st.chains[[2]string{k.Before[0].Primary, id}]++
			cat := c.category(id)
			for _, nb := range k.Before {
				if c.category(nb.Primary) == cat {
					st.sameCategory++
					break
				}
			}
		}
		st.perReason[id] = pr
	}
	return st
}

// repeats computes the repeat-contact rate of the range.
func (c *computer) repeats() {
	s, opt := c.s, c.opt
	st := c.countRepeats(c.in.contacts)
	r := &Repeats{WindowDays: opt.RepeatWindowDays, WithRef: st.withRef, Coverage: ratio(st.withRef, len(c.in.contacts)),
		Repeats: st.repeats, SameCategory: st.sameCategory, Transfers: st.transfers, Chains: []Chain{}}
	r.CoverageLow = len(c.in.contacts) > 0 && r.Coverage < opt.RefCoverageWarn
	if st.withRef > 0 {
		r.Rate = ptr(ratio(st.repeats, st.withRef))
		r.SameCategoryRate = ptr(ratio(st.sameCategory, st.withRef))
	}
	for pair, n := range st.chains {
		r.Chains = append(r.Chains, Chain{From: pair[0], To: pair[1], Count: n,
			FromLabel: c.in.lab.info(pair[0], -1).label, ToLabel: c.labelOf(pair[1])})
	}
	slices.SortFunc(r.Chains, func(a, b Chain) int {
		return cmp.Or(cmp.Compare(b.Count, a.Count), cmp.Compare(a.From, b.From), cmp.Compare(a.To, b.To))
	})
	r.Chains = r.Chains[:min(len(r.Chains), opt.TopChains)]
	for id, pr := range st.perReason {
		if row := c.rows[id]; row != nil {
			row.WithRef, row.Repeats = pr[0], pr[1]
			if pr[0] > 0 {
				row.RepeatRate = ptr(ratio(pr[1], pr[0]))
			}
		}
	}
	if opt.RollingDays > 0 {
		rs := c.countRepeats(c.in.rollRepeats)
		r.RollingDays = opt.RollingDays
		if rs.withRef > 0 {
			r.Rolling = ptr(ratio(rs.repeats, rs.withRef))
		}
	}
	s.Repeats = r
	s.RepeatRate = r.Rate
}

// labelOf labels id as the range's reason rows do.
func (c *computer) labelOf(id string) string {
	if ri, ok := c.info[id]; ok {
		return ri.label
	}
	return c.in.lab.info(id, -1).label
}

// sameCategoryCohorts counts the cohort per reason when only a later
// contact in the same category means "not resolved".
func (c *computer) sameCategoryCohorts(contacts []store.SummaryContact) []store.ReasonCohort {
	per := map[string]*store.ReasonCohort{}
	var out []store.ReasonCohort
	for i := range contacts {
		k := &contacts[i]
		id := k.Primary()
		r := per[id]
		if r == nil {
			out = append(out, store.ReasonCohort{Reason: id})
			r = &out[len(out)-1]
			per[id] = r
		}
		r.Contacts++
		came := false
		for _, nb := range k.After {
			came = came || c.category(nb.Primary) == c.category(id)
		}
		if !came {
			r.Resolved++
		}
	}
	return out
}

// mergeCohorts sums the counts of each reason, in reason order.
func mergeCohorts(cs []store.ReasonCohort) []store.ReasonCohort {
	slices.SortFunc(cs, func(a, b store.ReasonCohort) int { return cmp.Compare(a.Reason, b.Reason) })
	var out []store.ReasonCohort
	for _, c := range cs {
		if n := len(out); n > 0 && out[n-1].Reason == c.Reason {
			out[n-1].Contacts += c.Contacts
			out[n-1].Resolved += c.Resolved
			continue
		}
		out = append(out, c)
	}
	return out
}

// measuredFCR computes the measured FCR on the matured cohort.
func (c *computer) measuredFCR() {
	s, opt := c.s, c.opt
	f := &s.FCR
	f.CohortFrom, f.CohortTo = c.p.cohortFrom.String(), c.p.cohortTo.String()
	cohort := c.in.cohort
	if opt.FCRSameCategory {
		cohort = c.sameCategoryCohorts(c.in.cohortContacts)
	}
	cohort = mergeCohorts(cohort) // the cohort was read in pieces
	f.Lowest = []ReasonFCR{}
	for _, r := range cohort {
		f.CohortSize += r.Contacts
		f.CohortResolved += r.Resolved
		if r.Contacts >= opt.FCRMinContacts {
			f.Lowest = append(f.Lowest, ReasonFCR{ID: r.Reason, Label: c.labelOf(r.Reason), Contacts: r.Contacts,
				FCR: ratio(r.Resolved, r.Contacts)})
		}
	}
	if f.CohortSize > 0 {
		f.Measured = ptr(ratio(f.CohortResolved, f.CohortSize))
	}
	s.FCRMeasured = f.Measured
	slices.SortFunc(f.Lowest, func(a, b ReasonFCR) int { return cmp.Or(cmp.Compare(a.FCR, b.FCR), cmp.Compare(a.ID, b.ID)) })
	f.Lowest = f.Lowest[:min(len(f.Lowest), 5)]
	if opt.RollingDays > 0 {
		f.RollingDays = opt.RollingDays
		n, resolved := 0, 0
		for _, r := range c.in.rollCohort {
			n += r.Contacts
			resolved += r.Resolved
		}
		if n > 0 {
			f.Rolling = ptr(ratio(resolved, n))
		}
	}
}
