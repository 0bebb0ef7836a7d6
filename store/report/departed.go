package report

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"rehabdesk/store"
	"rehabdesk/store/rules"
)

// A person transferred away leaves this device's files (store
// transfer_away.go), yet the months that ended before they left counted
// them, and a closed month's figures must not change because a person
// later left. So before their file is erased, KeepDeparted works out what
// they counted in each of those months, by village, and keeps it sealed on
// this device (store.SetSealedState, one value per person): figures only.
// Every later report of those months adds it back. A person transferred
// back is counted from their file again (not in the months they were
// away, moves.go) and what was kept is ignored; should they leave again,
// what is kept is worked out anew.
//
// The month of the transfer itself is not kept: on its last day the person
// is another township's, and their earlier events of that month count
// there (the file goes with them).

// keptPrefix keys what is kept of a departed person: keptPrefix + person ID.
const keptPrefix = "report.kept."

// keptMonths bounds how far back a departed person's months are kept.
const keptMonths = 240

// kept is a departed person's figures: month → village → counts.
type kept map[string]map[string]Counts

// keptFile is what is kept of one departed person: the day they left (the
// transfer's own day, which may precede the day it was typed in), every
// day they left the township (a person may leave, come back and leave
// again), their figures of the months before, and the transfer it was kept
// for (its clock reading, Unix ms): a later transfer away is kept anew.
type keptFile struct {
	Left   rules.Day   `json:"left"`
	Months kept        `json:"months"`
	Out    []rules.Day `json:"out,omitempty"`
	At     int64       `json:"at,omitempty"`
}

// KeepDeparted keeps the figures of the persons transferred away whose
// files are still here and were not kept yet. The sync client runs it
// before erasing their files; Generate runs it too, for a transfer made
// since the last sync.
func KeepDeparted(ctx context.Context, s *store.Store) error {
	if s.Session().Role == "volunteer" {
		return nil
	}
	todo, err := departedToKeep(ctx, s)
	if err != nil || len(todo) == 0 {
		return err
	}
	settings, err := s.List(ctx, store.KindSetting, store.ListFilter{})
	if err != nil {
		return err
	}
	th := rules.ThresholdsFrom(settings)
	h, err := loadChanges(ctx, s)
	if err != nil {
		return err
	}
	flagsAt := func(m Month) time.Time {
		revs, err := RevisionsIn(settings, m.String())
		if err != nil {
			return m.End() // an unreadable submission: the month's own moment
		}
		return flagsMoment(revs, m)
	}
	for _, t := range todo {
		if err := keepOne(ctx, s, h, th, flagsAt, t); err != nil {
			return fmt.Errorf("keep the months of a departed person: %w", err)
		}
	}
	return nil
}

// departedToKeep lists the transfers away whose files are here and whose
// figures were not kept yet.
func departedToKeep(ctx context.Context, s *store.Store) ([]store.Transfer, error) {
	away, err := s.Transfers(ctx)
	if err != nil {
		return nil, err
	}
	have, err := s.SealedStates(ctx, keptPrefix)
	if err != nil {
		return nil, err
	}
	var out []store.Transfer
	for _, t := range away {
		if !t.Purged && !keptFor(have[keptPrefix+t.PersonID], t) {
			out = append(out, t)
		}
	}
	return out, nil
}

// keptFor reports whether a kept value is of this transfer away. One kept
// before transfers were noted in it is taken as this one's.
func keptFor(value string, t store.Transfer) bool {
	if value == "" {
		return false
	}
	var k keptFile
	if json.Unmarshal([]byte(value), &k) != nil {
		return true // unreadable: loadKept says so
	}
	return k.At == 0 || k.At == t.At.UnixMilli()
}

func keepOne(ctx context.Context, s *store.Store, h *History, th rules.Thresholds, flagsAt func(Month) time.Time, t store.Transfer) error {
	recs, err := s.DepartedFile(ctx, t.PersonID)
	if err != nil || len(recs) == 0 {
		return err
	}
	byKind := map[store.Kind][]*store.Record{}
	town := ""
	for _, r := range recs {
		byKind[r.Kind] = append(byKind[r.Kind], r)
		if r.Kind == store.KindPerson {
			town = r.Township // the new one: Build reads a township's persons
		}
	}
	d := rules.Build(town, byKind)
	left := rules.DayOfChina(t.At)
	var out []rules.Day
	for _, p := range d.Persons {
		if out = h.outDays(p); len(out) > 0 {
			left = out[len(out)-1]
		} else {
			left = transferDay(p, left)
		}
	}
	b, err := json.Marshal(keptFile{Left: left, Out: out, At: t.At.UnixMilli(), Months: keptOf(d, h, th, flagsAt, left)})
	if err != nil {
		return err
	}
	return s.SetSealedState(ctx, keptPrefix+t.PersonID, string(b))
}

// keptOf counts a departed file in every month that ended before the day
// they left, the flags of each taken when Generate takes them.
func keptOf(d *rules.Data, h *History, th rules.Thresholds, flagsAt func(Month) time.Time, left rules.Day) kept {
	k := kept{}
	for _, p := range d.Persons {
		first := since(p)
		if first == 0 {
			continue
		}
		one := &rules.Data{Township: d.Township, Persons: []*rules.Person{p}}
		for m, n := MonthOf(first), 0; m.Last() < left && n < keptMonths; m, n = m.Next(), n+1 {
			for _, r := range computeAt(one, h, m, th, flagsAt(m)).Rows {
				if len(r.Counts) == 0 {
					continue
				}
				if k[m.String()] == nil {
					k[m.String()] = map[string]Counts{}
				}
				k[m.String()][r.Code] = r.Counts
			}
		}
	}
	return k
}

// transferDay is the day a transfer recorded on a day took effect: the end
// of the measure it handed over (store.StartTransfer ends it "transferred"
// on the transfer's day), the latest one not after recorded; else recorded.
func transferDay(p *rules.Person, recorded rules.Day) rules.Day {
	return transferDayAfter(p, 0, recorded)
}

// transferDayAfter is transferDay for a transfer that followed one which
// took effect on a day: a measure handed over before then was the earlier
// transfer's.
func transferDayAfter(p *rules.Person, after, recorded rules.Day) rules.Day {
	day := rules.Day(0)
	for _, m := range p.Measures {
		if m.Status == "transferred" && m.End != 0 && m.End <= recorded && m.End > day && m.End >= after {
			day = m.End
		}
	}
	return max(firstDay(day, recorded), after)
}

// loadKept reads what was kept of the persons still away, summed by
// month and village, and the days they left by person.
func loadKept(ctx context.Context, s *store.Store) (kept, map[string][]rules.Day, error) {
	away, err := s.Transfers(ctx)
	if err != nil {
		return nil, nil, err
	}
	values, err := s.SealedStates(ctx, keptPrefix)
	if err != nil {
		return nil, nil, err
	}
	still := map[string]bool{}
	for _, t := range away {
		still[t.PersonID] = true
	}
	sum, left := kept{}, map[string][]rules.Day{}
	for key, v := range values {
		id := strings.TrimPrefix(key, keptPrefix)
		if !still[id] {
			continue // transferred back: counted from the file again
		}
		var k keptFile
		if err := json.Unmarshal([]byte(v), &k); err != nil {
			return nil, nil, fmt.Errorf("kept figures %s: %w", key, err)
		}
		if k.Months == nil { // kept before the day was: the figures alone
			if err := json.Unmarshal([]byte(v), &k.Months); err != nil {
				return nil, nil, fmt.Errorf("kept figures %s: %w", key, err)
			}
		}
		sum.add(k.Months)
		if len(k.Out) > 0 {
			left[id] = k.Out
		} else if k.Left != 0 {
			left[id] = []rules.Day{k.Left}
		}
	}
	return sum, left, nil
}

func (k kept) add(o kept) {
	for month, villages := range o {
		if k[month] == nil {
			k[month] = map[string]Counts{}
		}
		for v, c := range villages {
			if k[month][v] == nil {
				k[month][v] = Counts{}
			}
			k[month][v].Add(c)
		}
	}
}
