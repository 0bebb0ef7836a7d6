package paper

import (
	"fmt"
	"strings"
	"time"

	"codeberg.org/go-pdf/fpdf"

	"rehabdesk/store"
)

// drawAgreement lays out the agreement of a measure (社区戒毒协议书,
// 戒毒条例 art. 16; 社区康复协议书, art. 38) between the township and the
// person, with the working group from the agreement record if one was
// signed, and blanks to sign by hand otherwise.
func drawAgreement(f *File, m *store.Record, printed time.Time) *fpdf.Fpdf {
	word, detox := measureWord(m), m.Get("type") == "detox"
	a := f.agreementOf(m)
	pdf := newDoc(word+"协议书 "+f.name(), printed)
	title(pdf, word+"协议书")
	line(pdf, "甲方："+gov(f.Township))
	line(pdf, fmt.Sprintf("乙方：%s　性别：%s　身份证号：%s", f.name(), store.EnumLabel("sex", f.Person.Get("sex")), f.Person.Get("id_number")))
	line(pdf, "现住址："+blank(f.Person.Get("current_address"))+"　联系电话："+blank(f.Person.Get("phone")))
	pdf.Ln(2)
	basis := "《中华人民共和国禁毒法》和《戒毒条例》第十六条"
	term := fmt.Sprintf("一、社区戒毒期限为三年，自%s起至%s止（《中华人民共和国禁毒法》第三十三条、《戒毒条例》第十四条）。",
		cnTimeOr(measureStart(m)), cnTimeOr(measureEnd(m)))
	if !detox {
		basis = "《中华人民共和国禁毒法》第四十八条和《戒毒条例》第三十八条"
		term = fmt.Sprintf("一、社区康复期限自%s起至%s止，不超过三年（《中华人民共和国禁毒法》第四十八条）。",
			cnTimeOr(measureStart(m)), cnTimeOr(measureEnd(m)))
	}
	para(pdf, fmt.Sprintf("乙方经%s以%s《责令%s决定书》责令接受%s，于%s到甲方报到。根据%s的规定，甲乙双方签订本协议。",
		blank(m.Get("authority")), blank(m.Get("decision_no")), word, word, cnDate(m.Get("report_in_date")), basis))
	para(pdf, term)
	para(pdf, "二、甲方组织"+word+"工作小组（"+byAnalogy(detox)+"《戒毒条例》第十七条），成员："+group(a)+
		"。工作小组对乙方开展帮教，提供戒毒治疗、心理辅导、职业技能培训、就业指导和社会救助等帮助。")
	para(pdf, "三、乙方应当遵守法律、法规，自觉履行本协议，并遵守下列规定（"+byAnalogy(detox)+"《戒毒条例》第十九条）：（一）根据公安机关的要求，定期接受检测；"+
		"（二）离开"+word+"执行地所在县（市、区）3日以上的，事先书面报告，按期返回；（三）按时接受走访和谈话，如实报告生活、就业和戒毒情况。")
	para(pdf, violationClause(word, detox))
	para(pdf, "五、本协议自双方签字（盖章）之日起生效，一式三份，甲乙双方各执一份，报公安机关备案一份。")
	signatures(pdf, "甲方（盖章）", "乙方（签名）")
	signatures(pdf, "工作小组成员（签名）")
	cell(pdf, 0, lineHeight, "签订日期："+cnDate(a.Get("signed_date")), "", 1, "R", false)
	return pdf
}

// byAnalogy is "参照" for 社区康复: those articles are written for 社区戒毒
// and apply to 社区康复 by 禁毒法 art. 48 ("参照本法关于社区戒毒的规定实施").
func byAnalogy(detox bool) string {
	if detox {
		return ""
	}
	return "参照"
}

// violationClause is the agreement's clause on breaches and what follows.
func violationClause(word string, detox bool) string {
	ref := byAnalogy(detox)
	c := "四、乙方违反本协议的，工作小组予以批评、教育（" + ref + "《中华人民共和国禁毒法》第三十五条）。" +
		"乙方逃避或者拒绝接受检测3次以上，擅自离开" + word + "执行地所在县（市、区）3次以上或者累计超过30日的，属于严重违反" + word +
		"协议（" + ref + "《戒毒条例》第二十条）；严重违反协议或者在" + word + "期间又吸食、注射毒品的，甲方应当及时向公安机关报告（" + ref + "《戒毒条例》第二十一条）"
	if detox {
		c += "，公安机关可以依法决定强制隔离戒毒（《中华人民共和国禁毒法》第三十八条）"
	}
	return c + "。"
}

// agreementOf finds the agreement signed for a measure: the one naming it,
// else the latest one naming no measure. With none, an empty record
// leaves the names and the date blank.
func (f *File) agreementOf(m *store.Record) *store.Record {
	var loose *store.Record
	for _, a := range f.byDate(store.KindAgreement, "signed_date") {
		switch a.Get("measure") {
		case m.ID:
			return a
		case "":
			loose = a
		}
	}
	if loose != nil {
		return loose
	}
	return &store.Record{Fields: map[string]string{}}
}

// group lists the working group of an agreement, with blanks for the
// members not recorded.
func group(a *store.Record) string {
	var out []string
	for _, m := range [][2]string{{"staff_member", "专职工作人员"}, {"police", "社区民警"}, {"doctor", "医务人员"},
		{"family", "家庭成员"}, {"volunteer", "禁毒志愿者"}} {
		out = append(out, m[1]+blank(a.Get(m[0])))
	}
	return strings.Join(out, "、")
}

// gov is the issuing body of a township: 人民政府, or 办事处 for a 街道.
func gov(township string) string {
	if strings.HasSuffix(township, "街道") {
		return township + "办事处"
	}
	return township + "人民政府"
}

// cnTimeOr writes a day the Chinese way, or a blank for the zero time.
func cnTimeOr(d time.Time) string {
	if d.IsZero() {
		return cnDate("")
	}
	return cnTime(d)
}
