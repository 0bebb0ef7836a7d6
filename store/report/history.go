package report

import (
	"context"
	"time"

	"rehabdesk/store"
	"rehabdesk/store/rules"
)

// History is what a person's file keeps only the current value of, read
// back from the change log with dates: every 失联 (lost contact) and every
// 中止 (suspension), not only the latest, the days persons were
// transferred in and out (moves.go), and their flags (flags.go). Without it an old month would count a person found again
// since as never lost, and a measure resumed since as never suspended.
//
// A record has a date for the start of each (lost_contact, suspended_date)
// and for the end of the last (found_date, resumed_date: the day the
// officer gives when the person is found or the measure resumed); without
// one (recorded before they were kept) a 失联 ends, and a 中止 is lifted,
// on the China day the change clearing it was made.
type History struct {
	lost      map[string][]episode   // person ID → lost-contact episodes
	suspended map[string][]episode   // measure ID → suspensions
	moves     map[string][]move      // person → their transfers into and out of the township (moves.go)
	departed  map[string][]rules.Day // person still away → every day they left (the tombstone's, or the transfers' own)
	foreign   map[string]bool        // persons whose file began in another township
	flags     map[string]*flagLog    // person → the dated values of their flags (flags.go)
	kept      kept                   // figures of persons since transferred away
}

// episode is a span of days from one day to the day before to (0: open).
type episode struct{ from, to rules.Day }

func (e episode) covers(d rules.Day) bool {
	return e.from != 0 && e.from <= d && (e.to == 0 || e.to > d)
}

// LoadHistory reads the township's history from the change log, with what
// was kept of the persons transferred away (KeepDeparted).
func LoadHistory(ctx context.Context, s *store.Store) (*History, error) {
	h, err := loadChanges(ctx, s)
	if err != nil {
		return nil, err
	}
	var left map[string][]rules.Day
	if h.kept, left, err = loadKept(ctx, s); err != nil {
		return nil, err
	}
	for id, days := range left {
		if _, away := h.departed[id]; away {
			h.departed[id] = days
		}
	}
	return h, nil
}

// loadChanges reads the history of the change log and the transfers away.
func loadChanges(ctx context.Context, s *store.Store) (*History, error) {
	r := newHistoryReader(s.Township())
	if err := s.EachChange(ctx, []store.Kind{store.KindPerson, store.KindMeasure}, r.add); err != nil {
		return nil, err
	}
	away, err := s.Transfers(ctx)
	if err != nil {
		return nil, err
	}
	for _, t := range away {
		r.h.departed[t.PersonID] = []rules.Day{rules.DayOfChina(t.At)}
	}
	return r.h, nil
}

// historyReader replays changes in clock order.
type historyReader struct {
	own      string
	h        *History
	town     map[string]string // record → township of its last change
	lostAt   map[string]bool   // person → an episode is open
	status   map[string]string // measure → status
	suspDate map[string]string // measure → suspended_date
}

func newHistoryReader(own string) *historyReader {
	return &historyReader{own: own, h: &History{lost: map[string][]episode{}, suspended: map[string][]episode{},
		moves: map[string][]move{}, foreign: map[string]bool{}, departed: map[string][]rules.Day{},
		flags: map[string]*flagLog{}}, town: map[string]string{}, lostAt: map[string]bool{},
		status: map[string]string{}, suspDate: map[string]string{}}
}

func (r *historyReader) add(c *store.Change) {
	day := rules.DayOfChina(time.UnixMilli(c.HLC.Wall))
	if c.Kind == store.KindPerson {
		r.person(c, day)
	} else {
		r.measure(c, day)
	}
}

// person follows lost_contact (a date starts an episode, another date
// corrects its start, empty ends it), the township (an arrival) and the
// flags.
func (r *historyReader) person(c *store.Change, day rules.Day) {
	id := c.EntityID
	if _, seen := r.town[id]; !seen {
		if c.Township != r.own {
			r.h.foreign[id] = true
		}
		r.h.flags[id] = &flagLog{first: c.HLC.Wall}
	}
	r.h.flags[id].record(c.HLC.Wall, c.Fields)
	if t, ok := c.Fields[store.FieldTownship]; ok && r.town[id] != "" && (t == r.own) != (r.town[id] == r.own) {
		r.h.moves[id] = append(r.h.moves[id], move{day: day, in: t == r.own})
	}
	r.town[id] = c.Township
	if t, ok := c.Fields[store.FieldTownship]; ok {
		r.town[id] = t
	}
	v, ok := c.Fields["lost_contact"]
	if !ok {
		r.h.lost[id] = redate(r.h.lost[id], r.lostAt[id], c.Fields["found_date"], day)
		return
	}
	end := endOn(c.Fields["found_date"], day)
	r.h.lost[id] = track(r.h.lost[id], r.lostAt[id], v != "", rules.ParseDay(v), end)
	r.lostAt[id] = v != ""
}

// measure follows status and suspended_date: a suspension starts on its
// date (else the day it was recorded) and ends when the status moves on.
func (r *historyReader) measure(c *store.Change, day rules.Day) {
	id := c.EntityID
	if v, ok := c.Fields["status"]; ok {
		r.status[id] = v
	}
	if v, ok := c.Fields["suspended_date"]; ok {
		r.suspDate[id] = v
	}
	_, st := c.Fields["status"]
	_, sd := c.Fields["suspended_date"]
	was := len(r.h.suspended[id]) > 0 && r.h.suspended[id][len(r.h.suspended[id])-1].to == 0
	if !st && !sd {
		r.h.suspended[id] = redate(r.h.suspended[id], was, c.Fields["resumed_date"], day)
		return
	}
	on := r.status[id] == "suspended"
	end := endOn(c.Fields["resumed_date"], day)
	r.h.suspended[id] = track(r.h.suspended[id], was, on, firstDay(rules.ParseDay(r.suspDate[id]), day), end)
}

// endOn is the day an episode ended by a change made on a day: the day
// the officer gave (found_date, resumed_date), never after the change.
func endOn(given string, day rules.Day) rules.Day {
	if d := rules.ParseDay(given); d != 0 && d < day {
		return d
	}
	return day
}

// redate corrects the end of the last episode, closed, when a change
// gives its day again (found_date or resumed_date edited on the form).
func redate(eps []episode, open bool, given string, day rules.Day) []episode {
	if given == "" || open || len(eps) == 0 {
		return eps
	}
	last := &eps[len(eps)-1]
	last.to = max(endOn(given, day), last.from)
	return eps
}

// track moves a list of episodes on by one change: open says an episode
// is open before it, on whether one is after it, from its start.
func track(eps []episode, open, on bool, from, day rules.Day) []episode {
	switch {
	case on && open:
		eps[len(eps)-1].from = from // the start corrected
	case on:
		eps = append(eps, episode{from: from})
	case open:
		eps[len(eps)-1].to = max(day, eps[len(eps)-1].from)
	}
	return eps
}

// lostOn reports whether a person was out of contact at the end of a day.
func (a *at) lostOn(d rules.Day) bool {
	if eps, ok := a.h.lostOf(a.p); ok {
		for _, e := range eps {
			if e.covers(d) {
				return true
			}
		}
		return false
	}
	l := a.p.Report.LostContact
	return l != 0 && l <= d
}

// lostIn counts the person's episodes of lost contact that began in the month.
func (a *at) lostIn() int {
	if eps, ok := a.h.lostOf(a.p); ok {
		n := 0
		for _, e := range eps {
			n += b(a.m.Contains(e.from))
		}
		return n
	}
	return b(a.m.Contains(a.p.Report.LostContact))
}

func (h *History) lostOf(p *rules.Person) ([]episode, bool) {
	if h == nil {
		return nil, false
	}
	eps, ok := h.lost[p.ID]
	return eps, ok
}

// suspensionsOf are a measure's suspensions; ok is false when the log has
// none of its status (a report computed without history).
func (h *History) suspensionsOf(m *rules.Measure) ([]episode, bool) {
	if h == nil {
		return nil, false
	}
	eps, ok := h.suspended[m.ID]
	return eps, ok
}

// suspendedOn reports whether a measure was suspended at the end of a day.
func (h *History) suspendedOn(m *rules.Measure, d rules.Day) bool {
	if eps, ok := h.suspensionsOf(m); ok {
		for _, e := range eps {
			if e.covers(d) {
				return true
			}
		}
		return false
	}
	return m.Status == "suspended" && (m.Suspended == 0 || m.Suspended <= d)
}

// suspensionsIn counts a measure's suspensions that began in a month.
func (h *History) suspensionsIn(m *rules.Measure, mo Month) int {
	if eps, ok := h.suspensionsOf(m); ok {
		n := 0
		for _, e := range eps {
			n += b(mo.Contains(e.from))
		}
		return n
	}
	return b(m.Status == "suspended" && mo.Contains(m.Suspended))
}

// keptIn are the figures of persons since transferred away in a month, by
// village.
func (h *History) keptIn(m Month) map[string]Counts {
	if h == nil {
		return nil
	}
	return h.kept[m.String()]
}
