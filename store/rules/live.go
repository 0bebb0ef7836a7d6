package rules

import (
	"context"
	"errors"
	"sync"

	"rehabdesk/store"
)

// Live keeps a township's data in memory for the GUI: reading every
// encrypted record takes seconds for a large township, so it is done once,
// and after each edit only the edited person is reread (a few records) and
// re-evaluated. Safe for concurrent use.
type Live struct {
	mu    sync.RWMutex
	data  *Data
	index map[string]int // person id → position in data.Persons
	th    Thresholds
}

// NewLive loads the township.
func NewLive(ctx context.Context, s *store.Store) (*Live, error) {
	d, th, err := Load(ctx, s)
	if err != nil {
		return nil, err
	}
	l := &Live{data: d, th: th}
	l.reindex()
	return l, nil
}

func (l *Live) reindex() {
	l.index = make(map[string]int, len(l.data.Persons))
	for i, p := range l.data.Persons {
		l.index[p.ID] = i
	}
}

// Refresh rereads one person after an edit of their file and returns their
// alerts on a day. A person archived or no longer visible is dropped.
func (l *Live) Refresh(ctx context.Context, s *store.Store, personID string, today Day) ([]Alert, error) {
	p, err := LoadPerson(ctx, s, personID)
	if errors.Is(err, store.ErrNotFound) {
		l.drop(personID)
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	l.mu.Lock()
	if i, ok := l.index[personID]; ok {
		l.data.Persons[i] = p
	} else {
		l.index[personID] = len(l.data.Persons)
		l.data.Persons = append(l.data.Persons, p)
	}
	th := l.th
	l.mu.Unlock()
	return ForPerson(p, today, &th), nil
}

func (l *Live) drop(personID string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	i, ok := l.index[personID]
	if !ok {
		return
	}
	ps := l.data.Persons
	l.data.Persons = append(ps[:i:i], ps[i+1:]...)
	l.reindex()
}

// Alerts evaluates the whole township on a day.
func (l *Live) Alerts(today Day) []Alert {
	l.mu.RLock()
	defer l.mu.RUnlock()
	return Evaluate(l.data, today, l.th)
}

// Person returns a person as last loaded, or nil.
func (l *Live) Person(id string) *Person {
	l.mu.RLock()
	defer l.mu.RUnlock()
	if i, ok := l.index[id]; ok {
		return l.data.Persons[i]
	}
	return nil
}
