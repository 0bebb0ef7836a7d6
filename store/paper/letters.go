package paper

import (
	"fmt"
	"strconv"
	"time"

	"codeberg.org/go-pdf/fpdf"

	"rehabdesk/assets"
	"rehabdesk/store"
)

// violationDeeds says what each kind of violation was, as a letter puts it.
var violationDeeds = map[string]string{
	"refused_test":  "拒绝接受检测",
	"evaded_test":   "无正当理由未按要求接受检测",
	"departure":     "未经报告擅自离开执行地所在县（市、区）",
	"positive_test": "检测结果呈阳性",
	"other":         "违反协议",
}

// drawWarning lays out the letter that warns the person of a violation and
// orders them to correct it (禁毒法 art. 35: 批评、教育), with the counts
// so far against the serious-violation thresholds of 戒毒条例 art. 20.
func drawWarning(f *File, v *store.Record, printed time.Time) *fpdf.Fpdf {
	m := f.currentMeasure()
	word, ref := measureWord(m), byAnalogy(m.Get("type") == "detox")
	pdf := newDoc("责令改正（警告）通知书 "+f.name(), printed)
	title(pdf, "责令改正（警告）通知书")
	addressee(pdf, f)
	deed := violationDeeds[v.Get("kind")]
	if n, _ := strconv.Atoi(v.Get("days")); n > 0 && v.Get("kind") == "departure" {
		deed += fmt.Sprintf("，共%d日", n)
	}
	para(pdf, fmt.Sprintf("经查，你于%s%s，违反了%s协议和%s《戒毒条例》第十九条的规定。依照%s《中华人民共和国禁毒法》第三十五条，现对你提出警告，责令你立即改正，严格履行协议，按时接受检测和走访。",
		cnDate(v.Get("date")), deed, word, ref, ref))
	tests, departures, days := f.violationCounts(v.Get("date"))
	para(pdf, fmt.Sprintf("截至%s，你逃避或者拒绝接受检测累计%d次，擅自离开累计%d次、%d日。%s《戒毒条例》第二十条，逃避或者拒绝接受检测3次以上，擅自离开执行地所在县（市、区）3次以上或者累计超过30日的，属于严重违反%s协议，将依照第二十一条报告公安机关。",
		cnDate(v.Get("date")), tests, departures, days, cond(ref, "依照"), word))
	if v.Get("kind") == "positive_test" {
		para(pdf, "在"+word+"期间又吸食、注射毒品的，"+cond(ref, "依照")+"《戒毒条例》第二十一条，应当及时报告公安机关。")
	}
	if d := v.Get("police_reported"); d != "" {
		para(pdf, "此情况已于"+cnDate(d)+"报告公安机关。")
	}
	if n := v.Get("notes"); n != "" {
		para(pdf, "情况说明："+n)
	}
	issuer(pdf, gov(f.Township), cnTime(printed))
	receipt(pdf, "责令改正（警告）通知书")
	return pdf
}

// violationCounts counts the violations up to and including day: refused
// or evaded tests, unauthorised departures and their days.
func (f *File) violationCounts(day string) (tests, departures, days int) {
	for _, v := range f.Events[store.KindViolation] {
		if v.Get("date") > day {
			continue
		}
		switch v.Get("kind") {
		case "refused_test", "evaded_test":
			tests++
		case "departure":
			departures++
			n, _ := strconv.Atoi(v.Get("days"))
			days += n
		}
	}
	return tests, departures, days
}

// currentMeasure is the latest community measure, or an empty record
// (read as 社区戒毒) when the file has none.
func (f *File) currentMeasure() *store.Record {
	ms := f.byDate(store.KindMeasure, "received_date")
	for i := len(ms) - 1; i >= 0; i-- {
		if community(ms[i]) {
			return ms[i]
		}
	}
	return &store.Record{Fields: map[string]string{"type": "detox"}}
}

// personPairs are the lines of a form that say who it is about.
func personPairs(f *File) [][2]string {
	p := f.Person
	return [][2]string{
		{"姓名", p.Get("name")}, {"性别", store.EnumLabel("sex", p.Get("sex"))},
		{"身份证号", p.Get("id_number")}, {"联系电话", p.Get("phone")},
		{"人员类型", measureWord(f.currentMeasure())}, {"所属村（社区）", assets.Name(p.Get("village"))},
		{"现住址", p.Get("current_address")},
	}
}

// formHead writes a form's title and the township line under it.
func formHead(pdf *fpdf.Fpdf, f *File, name string) {
	title(pdf, name)
	setSize(pdf, sizeSmall)
	cell(pdf, 0, 6, f.Township, "", 1, "L", false)
	setSize(pdf, sizeBody)
}

// drawLeave lays out the leave form (外出请假审批表) of a leave report:
// a person leaving the county for 3 days or more reports in writing
// (戒毒条例 art. 19); an absence not reported counts towards art. 20.
func drawLeave(f *File, l *store.Record, printed time.Time) *fpdf.Fpdf {
	pdf := newDoc("外出请假审批表 "+f.name(), printed)
	formHead(pdf, f, "外出请假审批表")
	kv := append(personPairs(f),
		[2]string{"外出去向", l.Get("destination")},
		[2]string{"离开日期", cnDateOr(l.Get("depart_date"))}, [2]string{"预计返回", cnDateOr(l.Get("expected_return"))},
		[2]string{"外出天数", leaveDays(l)}, [2]string{"实际返回", cnDateOr(l.Get("actual_return"))})
	pairs(pdf, kv)
	box(pdf, "外出事由", l.Get("reason"), 24)
	box(pdf, "专干意见", "", 20)
	approval := ""
	if a := l.Get("approved_by"); a != "" {
		approval = "同意。审批人：" + a
	}
	box(pdf, "审批意见", approval, 20)
	pdf.Ln(3)
	setSize(pdf, sizeSmall)
	ref := byAnalogy(f.currentMeasure().Get("type") == "detox")
	multi(pdf, 0, 5.5, cond(ref, "依照")+"《戒毒条例》第十九条，离开执行地所在县（市、区）3日以上的，须书面报告。逾期不归、未经报告擅自离开3次以上或者累计超过30日的，属于严重违反协议（"+ref+"《戒毒条例》第二十条）。")
	setSize(pdf, sizeBody)
	signatures(pdf, "申请人（签名）", "审批人（签名）", "日期")
	return pdf
}

// leaveDays is the planned length of a leave, counting both ends.
func leaveDays(l *store.Record) string {
	from, err1 := time.Parse(time.DateOnly, l.Get("depart_date"))
	to, err2 := time.Parse(time.DateOnly, l.Get("expected_return"))
	if err1 != nil || err2 != nil || to.Before(from) {
		return ""
	}
	return fmt.Sprintf("%d日", int(to.Sub(from).Hours()/24)+1)
}

// drawVisit lays out the record sheet of a visit or talk (走访（谈话）记录
// 表), by a member of the working group (戒毒条例 art. 17).
func drawVisit(f *File, v *store.Record, printed time.Time) *fpdf.Fpdf {
	pdf := newDoc("走访（谈话）记录表 "+f.name(), printed)
	formHead(pdf, f, "走访（谈话）记录表")
	visitor := v.Get("visitor")
	if k := v.Get("visitor_kind"); k != "" {
		visitor += "（" + store.EnumLabel("visitor_kind", k) + "）"
	}
	pairs(pdf, append(personPairs(f),
		[2]string{"走访日期", cnDateOr(v.Get("date"))}, [2]string{"走访方式", store.EnumLabel("visit_mode", v.Get("mode"))},
		[2]string{"走访人", visitor}, [2]string{"下次走访", cnDateOr(v.Get("next_due"))}))
	box(pdf, "走访情况", v.Get("notes"), 60)
	box(pdf, "发现问题", v.Get("problems"), 30)
	box(pdf, "处理意见", "", 24)
	pdf.Ln(3)
	setSize(pdf, sizeSmall)
	multi(pdf, 0, 5.5, "社区戒毒（康复）工作小组对人员开展走访帮教（《戒毒条例》第十七条）。")
	setSize(pdf, sizeBody)
	signatures(pdf, "走访人（签名）", "被走访人（签名）", "日期")
	return pdf
}

// cond is s when it is not empty, else otherwise.
func cond(s, otherwise string) string {
	if s != "" {
		return s
	}
	return otherwise
}
