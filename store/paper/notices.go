package paper

import (
	"fmt"
	"time"

	"codeberg.org/go-pdf/fpdf"

	"rehabdesk/store"
)

// addressee writes the person a notice is addressed to.
func addressee(pdf *fpdf.Fpdf, f *File) {
	line(pdf, fmt.Sprintf("%s（身份证号：%s）：", f.name(), f.Person.Get("id_number")))
}

// receipt writes a cut line and the acknowledgement of receipt.
func receipt(pdf *fpdf.Fpdf, what string) {
	pdf.Ln(6)
	setSize(pdf, sizeSmall)
	cell(pdf, 0, 6, "- - - - - - - - - - - - - - - - - - - - （送达回执） - - - - - - - - - - - - - - - - - - - -", "", 1, "C", false)
	setSize(pdf, sizeBody)
	line(pdf, "本人已收到《"+what+"》。")
	signatures(pdf, "被通知人（签名）", "日期")
}

// drawReportNotice lays out the report-in notice of a measure: where and
// by which day to report (戒毒条例 art. 14: within 15 days of receiving
// the decision; art. 38 for 社区康复), and what follows otherwise.
func drawReportNotice(f *File, m *store.Record, printed time.Time) *fpdf.Fpdf {
	word := measureWord(m)
	name := word + "报到通知书"
	pdf := newDoc(name+" "+f.name(), printed)
	title(pdf, name)
	addressee(pdf, f)
	art, refusal := "第十四条", "视为拒绝接受社区戒毒，将依照《戒毒条例》第二十一条报告公安机关"
	if m.Get("type") != "detox" {
		art, refusal = "第三十八条", "将报告公安机关"
	}
	para(pdf, fmt.Sprintf("根据%s%s《责令%s决定书》，你被责令接受%s。依照《戒毒条例》%s，你应当自收到决定书之日起15日内报到。",
		blank(m.Get("authority")), blank(m.Get("decision_no")), word, word, art))
	para(pdf, fmt.Sprintf("你于%s收到决定书，请于%s前，持决定书和本人居民身份证到%s报到，并签订%s协议（《戒毒条例》第十六条）。无正当理由逾期不报到的，%s。",
		cnDate(m.Get("received_date")), cnDate(reportDue(m)), gov(f.Township), word, refusal))
	line(pdf, "联系人："+blank(f.Names[f.Person.Get("staff")])+"　联系电话：")
	issuer(pdf, gov(f.Township), cnTime(printed))
	receipt(pdf, name)
	return pdf
}

// reportDue is the last day to report in: the store's derived due date,
// else 15 days after the decision was received.
func reportDue(m *store.Record) string {
	if due := m.Get("report_due"); due != "" {
		return due
	}
	if d, err := time.Parse(time.DateOnly, m.Get("received_date")); err == nil {
		return d.AddDate(0, 0, 15).Format(time.DateOnly)
	}
	return ""
}

// drawRelease lays out the release notice of a measure that has run its
// term (戒毒条例 art. 23 for 社区戒毒, art. 40 for 社区康复), issued by
// the police and copied to the township.
func drawRelease(f *File, m *store.Record, printed time.Time) *fpdf.Fpdf {
	word := measureWord(m)
	name := "解除" + word + "通知书"
	pdf := newDoc(name+" "+f.name(), printed)
	title(pdf, name)
	addressee(pdf, f)
	art, term := "第二十三条", "期限三年，"
	if m.Get("type") != "detox" {
		art, term = "第四十条", ""
	}
	para(pdf, fmt.Sprintf("你于%s起在%s接受%s，%s至%s期满。依照《戒毒条例》%s，%s自期满之日起解除，特此通知。",
		cnTimeOr(measureStart(m)), f.Township, word, term, cnTimeOr(measureEnd(m)), art, word))
	para(pdf, "解除后戒断三年未复吸的，不再实行动态管控（《戒毒条例》第七条）。")
	authority := m.Get("authority")
	if authority == "" {
		authority = "公安机关"
	}
	issuer(pdf, authority, cnTime(printed))
	line(pdf, "抄送："+gov(f.Township)+"（依《戒毒条例》"+art+"，于7日内通知）")
	receipt(pdf, name)
	return pdf
}
