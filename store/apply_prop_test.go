package store

import (
	"context"
	"errors"
	goflag "flag"
	"fmt"
	"math/rand"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strconv"
	"testing"
	"time"

	"pgregory.net/rapid"

	"rehabdesk/store/valid"
)

// TestPropMergeConverges runs 2–5 replicas through random creates, edits,
// archives, duplicate registrations, conflict resolutions, person merges,
// transfers and clock jumps, with partial exchanges that drop, duplicate and
// reorder changes; then a full exchange. All replicas must then hold the
// same records field for field and show the same conflicts, and the merge
// state must match what the change log alone implies.
//
// The default run is short; a long one:
//
//	go test -run Prop -rapid.checks=10000 ./store/
func TestPropMergeConverges(t *testing.T) {
	setDefaultChecks(t, 30, 8, 20)
	dir := t.TempDir()
	n := 0
	rapid.Check(t, func(rt *rapid.T) {
		n++
		w := newPropWorld(rt, filepath.Join(dir, strconv.Itoa(n)))
		steps := rapid.IntRange(1, 40).Draw(rt, "steps")
		for i := 0; i < steps; i++ {
			w.step(rt)
		}
		w.must(rt, "full exchange", syncAllErr(w.ss...))
		w.must(rt, "records", sameRecords(w.ss...))
		_, err := sameConflicts(w.ss...)
		w.must(rt, "conflicts", err)
		for i, s := range w.ss {
			w.must(rt, fmt.Sprintf("replica %d against the log", i), checkAgainstLog(s))
			w.must(rt, fmt.Sprintf("replica %d search index", i), sameIndexAsReload(s))
		}
	})
}

// setDefaultChecks sets rapid's number of checks unless -rapid.checks was
// given: each check creates several real databases. Race runs (make test)
// do race checks. Under -short rapid runs a fifth of -rapid.checks, so it
// is given five times short.
func setDefaultChecks(t *testing.T, normal, race, short int) {
	set := false
	goflag.Visit(func(f *goflag.Flag) { set = set || f.Name == "rapid.checks" })
	if set {
		return
	}
	n := normal
	switch {
	case testing.Short():
		n = 5 * short
	case raceOn:
		n = race
	}
	old := goflag.Lookup("rapid.checks").Value.String()
	goflag.Set("rapid.checks", strconv.Itoa(n))
	t.Cleanup(func() { goflag.Set("rapid.checks", old) })
}

// propWorld is one run: replicas with their own (wrong) clocks.
type propWorld struct {
	ss     []*Store
	clocks []*skewed
}

func newPropWorld(rt *rapid.T, dir string) *propWorld {
	n := rapid.IntRange(2, 5).Draw(rt, "replicas")
	w := &propWorld{}
	for i := 0; i < n; i++ {
		skew := time.Duration(rapid.IntRange(-72, 72).Draw(rt, "skew hours")) * time.Hour
		c := &skewed{d: skew}
		path := filepath.Join(dir, fmt.Sprintf("r%d.db", i))
		// Clocks days apart still converge; the bound on clocks ahead
		// (clock_skew_test.go) is lifted here so that every change travels.
		s, err := Create(context.Background(), path, testTownship, "officer", "secret-pass", Options{KDF: fastKDF, Now: c.now, MaxClockAhead: 1000 * time.Hour})
		w.must(rt, "create", err)
		rt.Cleanup(func() { s.Close(); os.RemoveAll(dir) })
		w.ss, w.clocks = append(w.ss, s), append(w.clocks, c)
	}
	return w
}

func (w *propWorld) must(rt *rapid.T, what string, err error) {
	if err != nil {
		rt.Fatalf("%s: %v", what, err)
	}
}

// step does one random thing on one replica, or an exchange.
func (w *propWorld) step(rt *rapid.T) {
	r := rapid.IntRange(0, len(w.ss)-1).Draw(rt, "replica")
	s := w.ss[r]
	switch rapid.IntRange(0, 9).Draw(rt, "action") {
	case 0:
		w.createPerson(rt, s)
	case 1, 2:
		w.editRecord(rt, s, KindPerson)
	case 3:
		w.createVisit(rt, s)
	case 4:
		w.editRecord(rt, s, KindVisit)
	case 5:
		w.toggleArchive(rt, s)
	case 6, 7:
		w.exchange(rt, s)
	case 8:
		w.resolveOrMerge(rt, s)
	case 9:
		w.clockOrTransfer(rt, r)
	}
}

// Small pools make concurrent edits of one field, equal values and
// duplicate registrations common.
var (
	propNames  = []string{"张三", "李四", "王五"}
	propValues = map[string][]string{
		"phone": {"13800000001", "13900000002", ""}, "risk": {"high", "low", ""},
		"notes": {"甲", "乙", "丙", ""}, "village": {"520102016001", "520102016002"}, "name": propNames,
		"mode": {"home", "phone"}, "date": {"2026-11-01", "2026-11-02"},
	}
	propFields = map[Kind][]string{
		KindPerson: {"phone", "risk", "notes", "village", "name"},
		KindVisit:  {"notes", "mode", "date"},
	}
)

func (w *propWorld) createPerson(rt *rapid.T, s *Store) {
	name := rapid.SampledFrom(propNames).Draw(rt, "name")
	seq := rapid.IntRange(0, 3).Draw(rt, "id seq")
	_, err := s.Put(context.Background(), KindPerson, "", map[string]string{"name": name, "id_number": testIDNumber(seq)})
	w.okOrDuplicate(rt, "create person", err)
}

// okOrDuplicate accepts the refusals a real officer meets too: a second
// live person with the same ID number, an edit of a record only partly
// received (its creation dropped by the exchange) failing validation, or an
// edit of a person already transferred to another township.
func (w *propWorld) okOrDuplicate(rt *rapid.T, what string, err error) {
	var dup *DuplicateError
	var inval *valid.Error
	if !errors.As(err, &dup) && !errors.As(err, &inval) && !errors.Is(err, ErrTransferred) {
		w.must(rt, what, err)
	}
}

// pick draws one record of a kind from a store ("" if none).
func (w *propWorld) pick(rt *rapid.T, s *Store, kind Kind, liveOnly bool) string {
	recs, err := recordsOf(s)
	w.must(rt, "records", err)
	var ids []string
	for id, r := range recs {
		if r.Kind == kind && (!liveOnly || !r.Archived) {
			ids = append(ids, id)
		}
	}
	if len(ids) == 0 {
		return ""
	}
	sort.Strings(ids)
	return rapid.SampledFrom(ids).Draw(rt, "record")
}

func (w *propWorld) editRecord(rt *rapid.T, s *Store, kind Kind) {
	id := w.pick(rt, s, kind, false)
	if id == "" {
		return
	}
	f := rapid.SampledFrom(propFields[kind]).Draw(rt, "field")
	v := rapid.SampledFrom(propValues[f]).Draw(rt, "value")
	_, err := s.Put(context.Background(), kind, id, map[string]string{f: v})
	w.okOrDuplicate(rt, "edit", err)
}

func (w *propWorld) createVisit(rt *rapid.T, s *Store) {
	p := w.pick(rt, s, KindPerson, false)
	if p == "" {
		return
	}
	fields := map[string]string{"person": p, "date": "2026-11-01", "visitor_kind": "staff", "mode": "home"}
	kind := KindVisit
	if rapid.Bool().Draw(rt, "measure") { // measures feed the search index
		kind = KindMeasure
		fields = map[string]string{"person": p, "type": rapid.SampledFrom([]string{"detox", "rehab"}).Draw(rt, "type"),
			"start_date": rapid.SampledFrom([]string{"2025-01-01", "2026-01-01"}).Draw(rt, "start")}
	}
	_, err := s.Put(context.Background(), kind, "", fields)
	w.okOrDuplicate(rt, "create "+string(kind), err)
}

func (w *propWorld) toggleArchive(rt *rapid.T, s *Store) {
	kind := rapid.SampledFrom([]Kind{KindPerson, KindVisit}).Draw(rt, "archive kind")
	id := w.pick(rt, s, kind, false)
	if id == "" {
		return
	}
	r, err := s.getRecord(context.Background(), s.db, id)
	w.must(rt, "get", err)
	err = s.Update(context.Background(), func(tx *Tx) error { return tx.SetArchived(id, !r.Archived) })
	w.okOrDuplicate(rt, "archive", err)
}

// exchange sends part of another replica's log to s: some changes dropped,
// some twice, in random order, in one or two batches.
func (w *propWorld) exchange(rt *rapid.T, dst *Store) {
	src := w.ss[rapid.IntRange(0, len(w.ss)-1).Draw(rt, "from")]
	if src == dst {
		return
	}
	chs, err := logChanges(src)
	w.must(rt, "changes", err)
	rng := rand.New(rand.NewSource(rapid.Int64().Draw(rt, "exchange seed")))
	var batch []*Change
	for _, c := range chs {
		switch rng.Intn(4) {
		case 0: // dropped
		case 1:
			batch = append(batch, c, c)
		default:
			batch = append(batch, c)
		}
	}
	rng.Shuffle(len(batch), func(i, j int) { batch[i], batch[j] = batch[j], batch[i] })
	cut := rng.Intn(len(batch) + 1)
	for _, part := range [][]*Change{batch[:cut], batch[cut:]} {
		st, err := dst.ApplyRemote(context.Background(), part)
		w.must(rt, "apply", err)
		if len(st.Rejected) > 0 {
			rt.Fatalf("rejected %v", st.Rejected[0])
		}
	}
}

func (w *propWorld) resolveOrMerge(rt *rapid.T, s *Store) {
	ctx := context.Background()
	if rapid.Bool().Draw(rt, "merge persons") {
		pairs, err := s.DuplicatePairs(ctx)
		w.must(rt, "pairs", err)
		if len(pairs) > 0 {
			p := pairs[rapid.IntRange(0, len(pairs)-1).Draw(rt, "pair")]
			w.must(rt, "merge persons", s.CombinePersons(ctx, p.Keep, p.Drop))
		}
		return
	}
	cs, err := s.Conflicts(ctx)
	w.must(rt, "conflicts", err)
	if len(cs) == 0 {
		return
	}
	c := cs[rapid.IntRange(0, len(cs)-1).Draw(rt, "conflict")]
	err = s.ResolveConflict(ctx, c.ID, rapid.Bool().Draw(rt, "keep loser"))
	w.okOrDuplicate(rt, "resolve", err)
}

func (w *propWorld) clockOrTransfer(rt *rapid.T, r int) {
	if rapid.Bool().Draw(rt, "clock jump") {
		w.clocks[r].d += time.Duration(rapid.IntRange(-48, 24).Draw(rt, "jump hours")) * time.Hour
		return
	}
	if p := w.pick(rt, w.ss[r], KindPerson, false); p != "" {
		to := rapid.SampledFrom([]string{"520102016", "520102017"}).Draw(rt, "township")
		w.okOrDuplicate(rt, "transfer", w.ss[r].TransferPerson(context.Background(), p, to))
	}
}

// checkAgainstLog recomputes, from the change log alone, what every field's
// current value and open conflicts must be, and compares the store with it:
// every value ever written is current, an open conflict (listed by
// Conflicts unless equal to the current value) or superseded by a change
// that names it as a base.
func checkAgainstLog(s *Store) error {
	chs, err := logChanges(s)
	if err != nil {
		return err
	}
	recs, err := recordsOf(s)
	if err != nil {
		return err
	}
	lg := newLogModel(chs)
	if err := lg.checkRecords(recs); err != nil {
		return err
	}
	if err := lg.checkMergeState(s); err != nil {
		return err
	}
	if err := lg.checkShown(s, recs); err != nil {
		return err
	}
	return lg.checkArchiveConflicts(s, chs, recs)
}

// logModel is the merge state implied by a set of changes.
type logModel struct {
	byEnt map[string]map[string][]string // entity -> field -> versions
	bases map[string]map[versionKey]bool // entity -> based-on (field, version)
	value map[string]map[versionKey]string
	kinds map[string]Kind
}

func newLogModel(chs []*Change) *logModel {
	m := &logModel{byEnt: map[string]map[string][]string{}, bases: map[string]map[versionKey]bool{},
		value: map[string]map[versionKey]string{}, kinds: map[string]Kind{}}
	for _, c := range chs {
		e := c.EntityID
		if m.byEnt[e] == nil {
			m.byEnt[e], m.bases[e], m.value[e] = map[string][]string{}, map[versionKey]bool{}, map[versionKey]string{}
		}
		m.kinds[e] = c.Kind
		v := c.Version().String()
		for f, val := range c.Fields {
			m.byEnt[e][f] = append(m.byEnt[e][f], v)
			m.value[e][versionKey{f, v}] = val
		}
		for f, bs := range c.Bases {
			for _, b := range bs {
				m.bases[e][versionKey{f, b}] = true
			}
		}
	}
	return m
}

// expected returns a field's current version and its open losers.
func (m *logModel) expected(e, f string) (string, []string) {
	vs := append([]string(nil), m.byEnt[e][f]...)
	sort.Strings(vs)
	cur := vs[len(vs)-1]
	var losers []string
	for _, v := range vs[:len(vs)-1] {
		if !m.bases[e][versionKey{f, v}] && !isDerived(m.kinds[e], f) {
			losers = append(losers, v)
		}
	}
	return cur, losers
}

func (m *logModel) checkRecords(recs map[string]*Record) error {
	for e, fields := range m.byEnt {
		r := recs[e]
		if r == nil {
			return fmt.Errorf("record %s missing", e)
		}
		for f := range fields {
			cur, _ := m.expected(e, f)
			if r.Versions[f] != cur || r.Fields[f] != m.value[e][versionKey{f, cur}] {
				return fmt.Errorf("%s.%s is %q@%s, the log says %q@%s", e, f, r.Fields[f], r.Versions[f], m.value[e][versionKey{f, cur}], cur)
			}
		}
	}
	return nil
}

// checkMergeState compares merge_versions with the losers the log implies;
// after a full exchange no ghost may remain.
func (m *logModel) checkMergeState(s *Store) error {
	want := map[string]bool{}
	for e, fields := range m.byEnt {
		for f := range fields {
			_, losers := m.expected(e, f)
			for _, v := range losers {
				want[e+"/"+f+"/"+v+"/"+stateLoser] = true
			}
		}
	}
	rows, err := s.db.Query("SELECT entity_id, field, version, state FROM merge_versions")
	if err != nil {
		return err
	}
	defer rows.Close()
	got := map[string]bool{}
	for rows.Next() {
		var e, f, v, st string
		if err := rows.Scan(&e, &f, &v, &st); err != nil {
			return err
		}
		got[e+"/"+f+"/"+v+"/"+st] = true
	}
	for k := range want {
		if !got[k] {
			return fmt.Errorf("open conflict %s missing from merge state", k)
		}
	}
	for k := range got {
		if !want[k] {
			return fmt.Errorf("merge state has %s, which the log does not imply", k)
		}
	}
	return rows.Err()
}

// checkShown checks that Conflicts lists every losing value that differs
// from the current one.
func (m *logModel) checkShown(s *Store, recs map[string]*Record) error {
	cs, err := s.Conflicts(context.Background())
	if err != nil {
		return err
	}
	shown := map[string]bool{}
	for _, c := range cs {
		if c.Kind == ConflictField {
			shown[c.RecordID+"/"+c.Field+"/"+c.OtherVersion] = true
		}
	}
	for e, fields := range m.byEnt {
		if s.awayNow().has(recordPerson(recs[e])) {
			continue // transferred away: the new township's officers decide
		}
		for f := range fields {
			_, losers := m.expected(e, f)
			for _, v := range losers {
				lost := m.value[e][versionKey{f, v}] != recs[e].Fields[f]
				if lost != shown[e+"/"+f+"/"+v] {
					return fmt.Errorf("loser %s.%s@%s (value %q, current %q): shown=%v", e, f, v,
						m.value[e][versionKey{f, v}], recs[e].Fields[f], shown[e+"/"+f+"/"+v])
				}
			}
		}
	}
	return nil
}

// checkArchiveConflicts recomputes from the log which archived records were
// edited unseen by their archive change, and compares with Conflicts.
func (m *logModel) checkArchiveConflicts(s *Store, chs []*Change, recs map[string]*Record) error {
	byVersion := map[string]*Change{}
	for _, c := range chs {
		byVersion[c.Version().String()] = c
	}
	want := map[string]string{}
	for id, r := range recs {
		if !r.Archived || s.awayNow().has(recordPerson(r)) {
			continue
		}
		seen, err := parseSeen(byVersion[r.Versions[FieldArchived]].Bases[BaseSeen])
		if err != nil {
			return err
		}
		var fields []string
		for f, v := range r.Versions {
			if f[0] != '_' && !isDerived(r.Kind, f) && v > seen[f] {
				fields = append(fields, f)
			}
		}
		if len(fields) > 0 {
			sort.Strings(fields)
			want[id] = fmt.Sprint(fields)
		}
	}
	cs, err := s.Conflicts(context.Background())
	if err != nil {
		return err
	}
	got := map[string]string{}
	for _, c := range cs {
		if c.Kind == ConflictArchive {
			got[c.RecordID] = fmt.Sprint(c.EditedFields)
		}
	}
	if !reflect.DeepEqual(got, want) {
		return fmt.Errorf("archive conflicts %v, the log implies %v", got, want)
	}
	return nil
}
