package paper

import (
	"fmt"
	"io"
	"time"

	"codeberg.org/go-pdf/fpdf"

	"rehabdesk/store"
)

// Doc names a kind of paper.
type Doc string

// The papers of a person's file.
const (
	DocFile         Doc = "file"          // the file summary (一人一档)
	DocAgreement    Doc = "agreement"     // 社区戒毒/社区康复协议书, of a measure
	DocReportNotice Doc = "report_notice" // 报到通知书, of a measure
	DocLeave        Doc = "leave"         // 外出请假审批表, of a leave report
	DocWarning      Doc = "warning"       // 责令改正（警告）通知书, of a violation
	DocRelease      Doc = "release"       // 解除社区戒毒（康复）通知书, of a measure
	DocVisit        Doc = "visit"         // 走访（谈话）记录表, of a visit
)

// Paper is one document that can be printed from a file.
type Paper struct {
	Doc      Doc
	RecordID string // the measure, leave, violation or visit it is about; "" for the file
	Title    string // the paper's title as printed, e.g. 社区康复协议书
	Date     string // the date of that record ("2006-01-02"), to tell papers apart
	// Measure is the measure's type (detox, rehab) for the papers of a
	// measure, whose title names it; "" for the others. A GUI in another
	// language names the paper from Doc and Measure, not from Title.
	Measure string
}

// Papers lists the papers that apply to the file on day today: the
// summary; for each community measure its agreement and report-in notice,
// and its release notice once it has ended or ends within 30 days; one
// leave form per leave report, one letter per violation and one record
// sheet per visit.
func (f *File) Papers(today time.Time) []Paper {
	ps := []Paper{{Doc: DocFile, Title: "社区戒毒社区康复人员档案"}}
	for _, m := range f.byDate(store.KindMeasure, "received_date") {
		if !community(m) {
			continue
		}
		word, date := measureWord(m), m.Get("received_date")
		kind := m.Get("type")
		ps = append(ps, Paper{DocReportNotice, m.ID, word + "报到通知书", date, kind},
			Paper{DocAgreement, m.ID, word + "协议书", date, kind})
		if releasable(m, today) {
			ps = append(ps, Paper{DocRelease, m.ID, "解除" + word + "通知书", dateOnly(measureEnd(m)), kind})
		}
	}
	add := func(k store.Kind, d Doc, title, field string) {
		for _, r := range f.byDate(k, field) {
			ps = append(ps, Paper{d, r.ID, title, r.Get(field), ""})
		}
	}
	add(store.KindLeave, DocLeave, "外出请假审批表", "depart_date")
	add(store.KindViolation, DocWarning, "责令改正（警告）通知书", "date")
	add(store.KindVisit, DocVisit, "走访（谈话）记录表", "date")
	return ps
}

// Write prints paper p of file f to w. printed is the date the paper
// bears and the PDF's creation date (zero: now).
func Write(w io.Writer, f *File, p Paper, printed time.Time) error {
	if printed.IsZero() {
		printed = time.Now()
	}
	err := safely(func() error {
		pdf, err := draw(f, p, printed)
		if err != nil {
			return err
		}
		return pdf.Output(w)
	})
	if err != nil {
		return fmt.Errorf("print %s: %w", p.Doc, err)
	}
	return nil
}

// safely runs a PDF job, turning a panic inside fpdf into an error: a
// paper that cannot be printed must not take the app down with it.
func safely(job func() error) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("pdf library failed: %v", r)
		}
	}()
	return job()
}

// draw lays out one paper.
func draw(f *File, p Paper, printed time.Time) (*fpdf.Fpdf, error) {
	kinds := map[Doc]store.Kind{DocAgreement: store.KindMeasure, DocReportNotice: store.KindMeasure,
		DocRelease: store.KindMeasure, DocLeave: store.KindLeave, DocWarning: store.KindViolation, DocVisit: store.KindVisit}
	if p.Doc == DocFile {
		return drawSummary(f, printed), nil
	}
	k, ok := kinds[p.Doc]
	if !ok {
		return nil, fmt.Errorf("no paper %q", p.Doc)
	}
	r, err := f.event(k, p.RecordID)
	if err != nil {
		return nil, err
	}
	switch p.Doc {
	case DocAgreement:
		return drawAgreement(f, r, printed), nil
	case DocReportNotice:
		return drawReportNotice(f, r, printed), nil
	case DocRelease:
		return drawRelease(f, r, printed), nil
	case DocLeave:
		return drawLeave(f, r, printed), nil
	case DocWarning:
		return drawWarning(f, r, printed), nil
	}
	return drawVisit(f, r, printed), nil
}

// releasable reports whether a measure's release notice applies: it was
// completed (期满解除), or it is in force and its term ends within 30 days.
// A measure terminated, refused, handed over or transferred is not released.
func releasable(m *store.Record, today time.Time) bool {
	switch m.Get("status") {
	case "completed":
		return true
	case "active", "suspended":
		end := measureEnd(m)
		return !end.IsZero() && end.Before(today.AddDate(0, 0, 31))
	}
	return false
}

// community reports whether a measure is one the township carries out.
func community(m *store.Record) bool {
	t := m.Get("type")
	return t == "detox" || t == "rehab"
}

// measureWord is 社区戒毒 or 社区康复.
func measureWord(m *store.Record) string { return store.EnumLabel("measure_type", m.Get("type")) }

// measureStart is the day the measure runs from: the report-in (戒毒条例
// art. 14: counted from the report-in), else the start recorded.
func measureStart(m *store.Record) time.Time {
	for _, f := range []string{"report_in_date", "start_date"} {
		if d, err := time.Parse(time.DateOnly, m.Get(f)); err == nil {
			return d
		}
	}
	return time.Time{}
}

// measureEnd is the day the measure ended or ends: the end recorded, the
// planned end, or for 社区戒毒 three years from its start (禁毒法 art. 33).
func measureEnd(m *store.Record) time.Time {
	for _, f := range []string{"end_date", "planned_end"} {
		if d, err := time.Parse(time.DateOnly, m.Get(f)); err == nil {
			return d
		}
	}
	if s := measureStart(m); !s.IsZero() && m.Get("type") == "detox" {
		return s.AddDate(3, 0, 0) // as the store derives planned_end
	}
	return time.Time{}
}

// dateOnly writes a day as stored, "" for the zero time.
func dateOnly(d time.Time) string {
	if d.IsZero() {
		return ""
	}
	return d.Format(time.DateOnly)
}
