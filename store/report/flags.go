package report

import (
	"time"

	"rehabdesk/store/rules"
)

// A person's flags (因毒致贫, 低保, 医疗救助, 病残, 美沙酮维持治疗 and its
// start, 就业意愿) carry no date of their own: the file keeps only their
// current value. A month counts them as they stood at its end, read back
// from the change log by the clock reading of each change, so that a flag
// set or cleared in November leaves October's figures as they were.
//
// Before the file was made (a ledger imported, a person typed in late) a
// flag is counted as the file was made with: what it was before is
// unknown, and the person is counted from their measure's start.

// reportFlags are the flags read back, by their index in a flagSet.
var reportFlags = []string{"willing_to_work", "poverty", "dibao", "medical_aid", "ill_disabled", "methadone", "methadone_start"}

var flagIndex = func() map[string]uint8 {
	m := map[string]uint8{}
	for i, f := range reportFlags {
		m[f] = uint8(i)
	}
	return m
}()

// flagLog is the dated history of one person's flags.
type flagLog struct {
	first int64     // clock reading (Unix ms) of the file's first change
	sets  []flagSet // in clock order
}

// flagSet is one flag given a value by a change.
type flagSet struct {
	wall  int64
	field uint8
	value string
}

// record notes the flags a change of the person sets.
func (l *flagLog) record(wall int64, fields map[string]string) {
	for f, v := range fields {
		if i, ok := flagIndex[f]; ok {
			l.sets = append(l.sets, flagSet{wall: wall, field: i, value: v})
		}
	}
}

// valueAt is a flag's value at a clock reading; before the file was made,
// the value it was made with.
func (l *flagLog) valueAt(field string, at int64) string {
	i := flagIndex[field]
	at = max(at, l.first)
	v := ""
	for _, s := range l.sets {
		if s.field == i && s.wall <= at {
			v = s.value
		}
	}
	return v
}

// personAt is the person with their flags as they stood at a moment; the
// person as they are when the log has none of their changes (no history,
// or a file older than the log).
func (h *History) personAt(p *rules.Person, at time.Time) *rules.Person {
	if h == nil || h.flags[p.ID] == nil {
		return p
	}
	l, ms := h.flags[p.ID], at.UnixMilli()
	on := func(f string) bool { return l.valueAt(f, ms) == "1" }
	q := *p
	q.Methadone = on("methadone")
	q.Report.Willing, q.Report.Poverty, q.Report.Dibao = on("willing_to_work"), on("poverty"), on("dibao")
	q.Report.MedicalAid, q.Report.IllDisabled = on("medical_aid"), on("ill_disabled")
	q.Report.MethadoneStart = rules.ParseDay(l.valueAt("methadone_start", ms))
	return &q
}

// flagsMoment is when a month's flags are taken: its end, or, when its
// latest revision was submitted by a version that read the flags' current
// values (no FlagsAt), when that revision's figures were taken, so that a
// month submitted before the flags were dated keeps its figures.
func flagsMoment(revs []*Submitted, m Month) time.Time {
	if n := len(revs); n > 0 {
		if last := revs[n-1]; !last.FlagsAt.IsZero() {
			return last.FlagsAt
		} else if !last.AsOf.IsZero() {
			return last.AsOf
		}
	}
	return m.End()
}
