package paper

import (
	"strings"
	"time"

	"codeberg.org/go-pdf/fpdf"

	"rehabdesk/assets"
	"rehabdesk/store"
)

// drawSummary lays out the person's file (一人一档): identity, then one
// table per kind of event, each a section even when empty ("无记录"), so
// that an inspection sees what is missing.
func drawSummary(f *File, printed time.Time) *fpdf.Fpdf {
	pdf := newDoc("社区戒毒社区康复人员档案 "+f.name(), printed)
	title(pdf, "社区戒毒社区康复人员档案")
	setSize(pdf, sizeSmall)
	cell(pdf, bodyWidth/2, 6, f.Township+"　（一人一档）", "", 0, "L", false)
	cell(pdf, bodyWidth/2, 6, "打印日期："+cnTime(printed)+"　含敏感个人信息，注意保密", "", 1, "R", false)
	setSize(pdf, sizeBody)
	heading(pdf, "一、基本情况")
	pairs(pdf, identity(f))
	for _, s := range summarySections {
		heading(pdf, s.title)
		rows := [][]string{}
		for _, r := range f.byDate(s.kind, s.sortBy) {
			rows = append(rows, s.row(f, r))
		}
		table(pdf, s.heads, s.shares, rows)
	}
	return pdf
}

// identity is the person's own record as label/value pairs.
func identity(f *File) [][2]string {
	p := f.Person
	l := func(enum, field string) string { return store.EnumLabel(enum, p.Get(field)) }
	kv := [][2]string{
		{"姓名", p.Get("name")}, {"性别", l("sex", "sex")},
		{"民族", p.Get("ethnicity")}, {"出生日期", cnDateOr(p.Get("birth_date"))},
		{"身份证号", p.Get("id_number")}, {"联系电话", p.Get("phone")},
		{"户籍地址", p.Get("household_address")}, {"现住址", p.Get("current_address")},
		{"所属村（社区）", assets.Name(p.Get("village"))}, {"风险等级", l("risk", "risk")},
		{"吸食毒品种类", labels("drug", p.Get("drug_types"))}, {"初次发现", cnDateOr(p.Get("first_found"))},
		{"美沙酮治疗", methadone(p)}, {"就业状况", l("employment", "employment")},
		{"就业单位", p.Get("employer")}, {"帮教专干", f.Names[p.Get("staff")]},
		{"帮扶情况", help(p)}, {"失联（脱管）", lost(p)},
		{"复吸情况", p.Get("relapse")},
	}
	return kv
}

// cnDateOr writes a stored date the Chinese way, "" when there is none.
func cnDateOr(s string) string {
	if s == "" {
		return ""
	}
	return cnDate(s)
}

// labels writes a set of codes as their Chinese labels.
func labels(enum, codes string) string {
	var out []string
	for _, c := range strings.Split(codes, ",") {
		if c = strings.TrimSpace(c); c != "" {
			out = append(out, store.EnumLabel(enum, c))
		}
	}
	return strings.Join(out, "、")
}

func methadone(p *store.Record) string {
	if p.Get("methadone") != "1" {
		return "否"
	}
	return strings.TrimSpace("是 " + p.Get("methadone_clinic") + " " + cnDateOr(p.Get("methadone_start")))
}

// help lists the assistance flags of the person's record.
func help(p *store.Record) string {
	var out []string
	for _, h := range [][2]string{{"poverty", "因毒致贫"}, {"dibao", "低保"}, {"medical_aid", "医疗救助"},
		{"ill_disabled", "病残吸毒人员"}, {"willing_to_work", "有就业意愿"}} {
		if p.Get(h[0]) == "1" {
			out = append(out, h[1])
		}
	}
	if fh := p.Get("family_help"); fh != "" {
		out = append(out, "家庭帮扶："+fh)
	}
	return strings.Join(out, "、")
}

func lost(p *store.Record) string {
	if d := p.Get("lost_contact"); d != "" {
		return "自" + cnDate(d) + "起失联"
	}
	return "否"
}

// section is one table of the file summary.
type section struct {
	title  string
	kind   store.Kind
	sortBy string
	heads  []string
	shares []float64
	row    func(f *File, r *store.Record) []string
}

// e is a record's enum label, d a record's date.
func e(r *store.Record, enum, field string) string { return store.EnumLabel(enum, r.Get(field)) }
func d(r *store.Record, field string) string       { return r.Get(field) }

var summarySections = []section{
	{"二、戒毒（康复）措施", store.KindMeasure, "received_date",
		[]string{"类型", "决定书文号", "决定日期", "报到日期", "执行期限", "状态"}, []float64{15, 57, 21, 21, 44, 16},
		func(_ *File, r *store.Record) []string {
			return []string{e(r, "measure_type", "type"), r.Get("decision_no"), d(r, "decision_date"), d(r, "report_in_date"),
				span2(dateOnly(measureStart(r)), dateOnly(measureEnd(r))), e(r, "measure_status", "status")}
		}},
	{"三、协议与工作小组", store.KindAgreement, "signed_date",
		[]string{"签订日期", "专干", "民警", "医生", "家属", "志愿者"}, []float64{3, 2, 2, 2, 2, 2},
		func(_ *File, r *store.Record) []string {
			return []string{d(r, "signed_date"), r.Get("staff_member"), r.Get("police"), r.Get("doctor"), r.Get("family"), r.Get("volunteer")}
		}},
	{"四、检测记录", store.KindDrugTest, "date",
		[]string{"日期", "样本", "方式", "类别", "结果", "检测人员"}, []float64{3, 2, 3, 2, 2, 4},
		func(_ *File, r *store.Record) []string {
			return []string{d(r, "date"), e(r, "sample", "sample"), e(r, "test_method", "method"), e(r, "test_plan", "plan"),
				e(r, "test_result", "result"), strings.TrimSpace(r.Get("collector1") + " " + r.Get("collector2"))}
		}},
	{"五、走访谈话", store.KindVisit, "date",
		[]string{"日期", "走访人", "方式", "情况"}, []float64{3, 3, 2, 9},
		func(_ *File, r *store.Record) []string {
			return []string{d(r, "date"), strings.TrimSpace(r.Get("visitor") + "（" + e(r, "visitor_kind", "visitor_kind") + "）"),
				e(r, "visit_mode", "mode"), oneLine(r.Get("notes"))}
		}},
	{"六、外出请假", store.KindLeave, "depart_date",
		[]string{"离开日期", "预计返回", "实际返回", "去向", "批准人"}, []float64{3, 3, 3, 6, 2},
		func(_ *File, r *store.Record) []string {
			return []string{d(r, "depart_date"), d(r, "expected_return"), d(r, "actual_return"), r.Get("destination"), r.Get("approved_by")}
		}},
	{"七、违反协议", store.KindViolation, "date",
		[]string{"日期", "情形", "天数", "警告书", "报告公安机关"}, []float64{3, 4, 2, 2, 3},
		func(_ *File, r *store.Record) []string {
			return []string{d(r, "date"), e(r, "violation", "kind"), r.Get("days"), yes(r.Get("warning_letter")), d(r, "police_reported")}
		}},
	{"八、风险评估", store.KindRisk, "date",
		[]string{"日期", "等级", "评估人"}, []float64{3, 3, 8},
		func(_ *File, r *store.Record) []string {
			return []string{d(r, "date"), e(r, "risk", "level"), r.Get("assessor")}
		}},
	{"九、帮扶救助", store.KindAssistance, "date",
		[]string{"日期", "类型", "金额（元）", "提供方"}, []float64{3, 3, 2, 6},
		func(_ *File, r *store.Record) []string {
			return []string{d(r, "date"), e(r, "assistance", "kind"), r.Get("amount"), r.Get("provider")}
		}},
	{"十、就业安置", store.KindPlacement, "date",
		[]string{"日期", "安置方式", "单位"}, []float64{3, 3, 8},
		func(_ *File, r *store.Record) []string {
			return []string{d(r, "date"), e(r, "employment", "kind"), r.Get("employer")}
		}},
	{"十一、帮教人员", store.KindAssignment, "start_date",
		[]string{"角色", "姓名", "开始", "结束"}, []float64{3, 5, 3, 3},
		func(f *File, r *store.Record) []string {
			return []string{e(r, "assignee_role", "role"), f.Names[r.Get("member")], d(r, "start_date"), d(r, "end_date")}
		}},
}

// span2 writes a period "from–to", or what is known of it.
func span2(from, to string) string {
	if from == "" && to == "" {
		return ""
	}
	return from + "至" + to
}

func yes(b string) string {
	if b == "1" {
		return "已发"
	}
	return ""
}

// oneLine joins the lines of a note for a table cell.
func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }
