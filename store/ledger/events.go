package ledger

import (
	"context"
	"fmt"

	"rehabdesk/store"
	"rehabdesk/store/valid"
)

// names finds the township's staff, volunteers and grids by the names a
// ledger writes in its 专干, 帮教志愿者 and 网格 columns.
type names struct {
	staff, volunteers map[string]string // valueKey(name) → record id
	grids             map[string]string // village code + "/" + valueKey(name) → grid id
}

// loadNames reads the roster, the volunteers and the grids once per import.
// A name two records share is left out: the import cannot tell which.
func loadNames(ctx context.Context, s *store.Store) (*names, error) {
	n := &names{staff: map[string]string{}, volunteers: map[string]string{}, grids: map[string]string{}}
	for kind, m := range map[store.Kind]map[string]string{store.KindStaff: n.staff, store.KindVolunteer: n.volunteers, store.KindGrid: n.grids} {
		rs, err := s.List(ctx, kind, store.ListFilter{})
		if err != nil {
			return nil, fmt.Errorf("read %s: %w", kind, err)
		}
		for _, r := range rs {
			key := valueKey(r.Get("name"))
			if kind == store.KindGrid {
				key = r.Get("village") + "/" + key
			}
			if _, dup := m[key]; dup {
				m[key] = ""
			} else {
				m[key] = r.ID
			}
		}
	}
	return n, nil
}

// setLinks links the person to the 专干, volunteer and grid the row names;
// a name the township does not have is set aside and reported.
func (p *parser) setLinks(e *entry) {
	if p.names == nil {
		return
	}
	if v := e.cells[ColStaff]; v != "" {
		p.link(e, ColStaff, p.names.staff[valueKey(v)], "ledger.row.staff_unknown", func(id string) { e.person["staff"] = id })
	}
	if v := e.cells[ColVolunteer]; v != "" {
		p.link(e, ColVolunteer, p.names.volunteers[valueKey(v)], "ledger.row.volunteer_unknown", func(id string) { e.volunteer = id })
	}
	if v := e.cells[ColGrid]; v != "" {
		id := p.names.grids[e.person["village"]+"/"+valueKey(v)]
		p.link(e, ColGrid, id, "ledger.row.grid_unknown", func(id string) { e.person["grid"] = id })
	}
}

func (p *parser) link(e *entry, c Column, id, unknownKey string, set func(string)) {
	if id == "" {
		e.extra = append(e.extra, extraItem{c.Name(), e.cells[c]})
		e.warn(p.l.colName(c), unknownKey, e.cells[c])
		return
	}
	set(id)
	e.drop.add(c)
}

// setEventDates reads the optional date columns of events.
func (p *parser) setEventDates(e *entry) {
	for _, c := range []Column{ColAgreement, ColLastTest, ColLastVisit} {
		if v := e.cells[c]; v != "" {
			d, err := valid.ParseDate(v)
			if err != nil {
				p.setAside(e, c, err)
				continue
			}
			e.events[c] = valid.FormatDate(d)
			e.drop.add(c)
		}
	}
	if e.events[ColLastTest] == "" {
		return
	}
	code, ok := lookup("test_result", e.cells[ColLastResult])
	if !ok { // a test without its result cannot be recorded
		p.setAside(e, ColLastTest, &valid.Error{Code: valid.CodeRequired, Value: e.cells[ColLastResult]})
		if e.cells[ColLastResult] != "" {
			p.setAside(e, ColLastResult, &valid.Error{Code: valid.CodeEnum, Value: e.cells[ColLastResult]})
		}
		delete(e.events, ColLastTest)
		return
	}
	e.events[ColLastResult] = code
	e.drop.add(ColLastResult)
}

// inferEnded imports a new measure whose end has passed as ended (期满解除)
// on that day, flagged for the officer to confirm, rather than as running:
// the ledger says when it was due to end, not that it did.
func (im *importer) inferEnded(e *entry, fields map[string]string) {
	end := fields["planned_end"]
	if end == "" && fields["type"] == "detox" && fields["start_date"] != "" {
		start, _ := valid.ParseDate(fields["start_date"])
		end = valid.FormatDate(valid.AddMonths(start, 36))
	}
	if end == "" || end >= valid.FormatDate(im.s.Today()) || end < fields["start_date"] {
		return
	}
	fields["status"], fields["end_date"], fields["confirm"] = "completed", end, "1"
	e.warn(im.l.colName(ColEnd), "ledger.row.measure_ended") // one text for every row, so reports group them
}

// writeEvents records what the row says happened: the risk level as an
// assessment dated the import day (when it is new or changed), and, for a
// person the import creates, the agreement, the last test and visit and
// the volunteer. A re-import does not repeat them.
func (im *importer) writeEvents(tx putter, e *entry, st *personState, isNew bool) error {
	today := valid.FormatDate(im.s.Today())
	var recs []eventRec
	if lvl := e.person["risk"]; lvl != "" && lvl != st.risk {
		recs = append(recs, eventRec{store.KindRisk, map[string]string{"date": today, "level": lvl}})
		st.risk = lvl
	}
	if isNew {
		recs = append(recs, e.newEvents(today)...)
	}
	for _, r := range recs {
		r.fields["person"] = st.id
		if _, err := tx.Put(r.kind, "", r.fields); err != nil {
			return err
		}
	}
	return nil
}

type eventRec struct {
	kind   store.Kind
	fields map[string]string
}

// newEvents are the events of the optional columns of a new person's row.
func (e *entry) newEvents(today string) []eventRec {
	var out []eventRec
	if d := e.events[ColAgreement]; d != "" {
		out = append(out, eventRec{store.KindAgreement, map[string]string{"signed_date": d}})
	}
	if d := e.events[ColLastTest]; d != "" {
		out = append(out, eventRec{store.KindDrugTest, map[string]string{"date": d, "sample": "urine", "result": e.events[ColLastResult]}})
	}
	if d := e.events[ColLastVisit]; d != "" {
		out = append(out, eventRec{store.KindVisit, map[string]string{"date": d, "visitor_kind": "staff", "mode": "home"}})
	}
	if e.volunteer != "" {
		out = append(out, eventRec{store.KindAssignment, map[string]string{"role": "volunteer", "member": e.volunteer, "start_date": today}})
	}
	return out
}
