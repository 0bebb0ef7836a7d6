package rules

import (
	"context"
	"errors"
	"fmt"
	"strconv"

	"rehabdesk/store"
)

// Load reads a township's data and thresholds from the store in one pass,
// streaming: only the compact Data stays in memory, not the records.
func Load(ctx context.Context, s *store.Store) (*Data, Thresholds, error) {
	b := NewBuilder(s.Township())
	var settings []*store.Record
	err := s.EachRecord(ctx, append([]store.Kind{store.KindSetting}, Kinds...), func(r *store.Record) error {
		if r.Kind == store.KindSetting {
			settings = append(settings, r)
		} else {
			b.Add(r)
		}
		return nil
	})
	if err != nil {
		return nil, Thresholds{}, err
	}
	return b.Data(), ThresholdsFrom(settings), nil
}

// LoadPerson reads one person's file, for ForPerson after an edit. An
// archived person is store.ErrNotFound, as for lists.
func LoadPerson(ctx context.Context, s *store.Store, personID string) (*Person, error) {
	recs := map[store.Kind][]*store.Record{}
	p, err := s.Get(ctx, personID)
	if err == nil && (p.Archived || p.Kind != store.KindPerson) {
		err = store.ErrNotFound
	}
	if err != nil {
		return nil, err
	}
	recs[store.KindPerson] = []*store.Record{p}
	for _, k := range Kinds {
		if spec := store.SpecOf(k); spec == nil || !spec.PersonScoped {
			continue
		}
		if recs[k], err = s.List(ctx, k, store.ListFilter{PersonID: personID}); err != nil {
			return nil, err
		}
	}
	return Build(s.Township(), recs).Persons[0], nil
}

// Today is the store's current date in China as a Day.
func Today(s *store.Store) Day { return DayOf(s.Today()) }

// SetThreshold stores a threshold, or a yearly police figure such as
// "police_found_2016" (see PoliceFigures), as the setting record
// "rules.<name>", creating or updating it, so that every device of the
// township uses it after the next sync.
func SetThreshold(ctx context.Context, s *store.Store, name string, value int) error {
	t := DefaultThresholds()
	if _, ok := t.Get(name); (!ok && !IsPoliceFigure(name)) || value < 0 {
		return fmt.Errorf("%w: %s=%d", ErrUnknownThreshold, name, value)
	}
	settings, err := s.List(ctx, store.KindSetting, store.ListFilter{})
	if err != nil {
		return err
	}
	id := ""
	for _, r := range settings {
		if r.Get("key") == SettingPrefix+name {
			id = r.ID
		}
	}
	_, err = s.Put(ctx, store.KindSetting, id, map[string]string{"key": SettingPrefix + name, "value": strconv.Itoa(value)})
	return err
}

// ErrUnknownThreshold means no threshold or police figure has that name, or
// the value is negative.
var ErrUnknownThreshold = errors.New("unknown threshold or negative value")

// SetBaseline stores the township's adoption baseline (开始使用日期, a date
// "2006-01-02") as a setting record, so every device of the township uses it
// after the next sync.
func SetBaseline(ctx context.Context, s *store.Store, date string) error {
	d := ParseDay(date)
	if d == 0 {
		return fmt.Errorf("%w: %q", ErrBadBaseline, date)
	}
	id, _, err := baselineRecord(ctx, s)
	if err != nil {
		return err
	}
	_, err = s.Put(ctx, store.KindSetting, id, map[string]string{"key": BaselineKey, "value": d.String()})
	return err
}

// Baseline returns the adoption baseline, 0 when none is set.
func Baseline(ctx context.Context, s *store.Store) (Day, error) {
	_, d, err := baselineRecord(ctx, s)
	return d, err
}

func baselineRecord(ctx context.Context, s *store.Store) (id string, d Day, err error) {
	settings, err := s.List(ctx, store.KindSetting, store.ListFilter{})
	for _, r := range settings {
		if r.Get("key") == BaselineKey {
			id, d = r.ID, ParseDay(r.Get("value"))
		}
	}
	return id, d, err
}

// ErrBadBaseline means the baseline given is not a date.
var ErrBadBaseline = errors.New("the start-of-use date is not a date")
