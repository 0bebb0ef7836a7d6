package ledger

import (
	"errors"
	"maps"

	"rehabdesk/store"
	"rehabdesk/store/valid"
)

// putter writes records: a transaction, or a staged set (store.Staged) that
// prepares the rows of new persons ahead of the transaction.
type putter interface {
	Put(kind store.Kind, id string, fields map[string]string) (string, error)
}

// writePerson creates or updates the person of a row. A value the store
// refuses in an optional column is set aside in ledger_extra with a
// warning and the rest of the row is written; name and ID were checked
// when the row was parsed.
func (im *importer) writePerson(tx putter, e *entry, st *personState) (*personState, error) {
	next := &personState{}
	if st != nil {
		*next = *st
	}
	// The row's values are passed as they are (Put does not keep or change
	// them) until one must be added or taken out: then they are copied,
	// and the entry stays as parsed for a second attempt through a
	// transaction.
	fields, copied := e.person, false
	own := func() {
		if !copied {
			fields, copied = maps.Clone(fields), true
		}
	}
	extra := append([]extraItem(nil), e.extra...)
	for {
		merged := mergeExtra(next.extra, extra, e.drop)
		if merged != next.extra {
			own()
			fields["ledger_extra"] = merged
		}
		id, err := tx.Put(store.KindPerson, next.id, fields)
		col, ok := refusedColumn(err, fields)
		if !ok {
			if err == nil {
				next.id, next.extra = id, merged
			}
			return next, err
		}
		e.problems = append(e.problems, problemOf(e.row, im.l.colName(col), Warning, err))
		extra = append(extra, extraItem{col.Name(), e.cells[col]})
		own()
		delete(fields, personFields[col])
		delete(fields, "ledger_extra")
	}
}

// refusedColumn finds the optional column whose value the store refused.
func refusedColumn(err error, fields map[string]string) (Column, bool) {
	var ve *valid.Error
	if !errors.As(err, &ve) || fields[ve.Field] == "" {
		return 0, false
	}
	c, ok := fieldColumn[ve.Field]
	if !ok || c == ColName || c == ColID {
		return 0, false
	}
	return c, true
}

// writeMeasure records the row's measure on the person: it updates the
// measure the row describes (same start date, or the current one of the
// same type) or adds a new one. A value the store refuses (end before
// start, 社区康复 longer than 36 months) is set aside with a warning and
// the measure is written with every other value.
func (im *importer) writeMeasure(tx putter, e *entry, st *personState) error {
	if len(e.measure) == 0 {
		return nil
	}
	m := matchMeasure(st.measures, e.measure)
	if m == "" && e.measure["type"] == "" {
		e.warn(im.l.colName(ColMeasureType), "ledger.row.measure_no_type")
		return im.setMeasureAside(tx, e, st, []Column{ColStart, ColEnd, ColReportIn, ColDecisionNo})
	}
	fields := map[string]string{"person": st.id}
	for k, v := range e.measure {
		fields[k] = v
	}
	if m == "" {
		im.inferEnded(e, fields)
	}
	var aside []Column
	for {
		_, err := tx.Put(store.KindMeasure, m, fields)
		var ve *valid.Error
		if !errors.As(err, &ve) || ve.Field == "type" || ve.Field == "person" || e.measure[measureField(ve.Field)] == "" {
			if err == nil {
				return im.setMeasureAside(tx, e, st, aside)
			}
			return err
		}
		c := measureColumn(ve.Field)
		e.problems = append(e.problems, problemOf(e.row, im.l.colName(c), Warning, err))
		aside = append(aside, c)
		delete(fields, measureField(ve.Field))
		if c == ColEnd { // the end inferred from it goes too
			delete(fields, "end_date")
			delete(fields, "status")
			delete(fields, "confirm")
		}
	}
}

// setMeasureAside keeps measure cells of a row in ledger_extra.
func (im *importer) setMeasureAside(tx putter, e *entry, st *personState, cols []Column) error {
	var items []extraItem
	for _, c := range cols {
		if e.cells[c] != "" {
			items = append(items, extraItem{c.Name(), e.cells[c]})
		}
	}
	merged := mergeExtra(st.extra, items, 0)
	if merged == st.extra {
		return nil
	}
	_, err := tx.Put(store.KindPerson, st.id, map[string]string{"ledger_extra": merged})
	if err == nil {
		st.extra = merged
	}
	return err
}

// measureField is the row's field a store error names: an error on the
// end the import inferred is one on the planned end it came from.
func measureField(field string) string {
	if field == "end_date" {
		return "planned_end"
	}
	return field
}

// measureColumn maps a measure field of a store error to its column.
func measureColumn(field string) Column {
	switch field {
	case "type":
		return ColMeasureType
	case "start_date":
		return ColStart
	case "report_in_date":
		return ColReportIn
	case "decision_no":
		return ColDecisionNo
	}
	return ColEnd
}

// matchMeasure picks the stored measure a row describes: the one with the
// same start date; else, for a row without a start date, the current
// measure if its type agrees; else one of the same type not yet started.
// "" means the row's measure is new.
func matchMeasure(ms []*store.Record, row map[string]string) string {
	start, typ := row["start_date"], row["type"]
	for _, m := range ms {
		if start != "" && m.Fields["start_date"] == start {
			return m.ID
		}
	}
	if start == "" {
		if cur := store.CurrentMeasure(ms); cur != nil && (typ == "" || cur.Fields["type"] == typ) {
			return cur.ID
		}
		return ""
	}
	for _, m := range ms {
		if m.Fields["start_date"] == "" && m.Fields["type"] == typ {
			return m.ID
		}
	}
	return ""
}
