package paper

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"rehabdesk/store"
)

// rec builds a record of the test file.
func rec(k store.Kind, id string, fields map[string]string) *store.Record {
	return &store.Record{Kind: k, ID: id, PersonID: "p1", Fields: fields}
}

// testFile is a 社区戒毒 person a year into the measure, with an agreement,
// tests, a visit, a leave, two violations and help; and, ended, an earlier
// 社区康复 measure.
func testFile() *File {
	return &File{
		Township: "青岩镇",
		Person: rec(store.KindPerson, "p1", map[string]string{
			"name": "杨秀英", "id_number": "52011119900101122X", "sex": "female", "birth_date": "1990-01-01",
			"ethnicity": "布依族", "phone": "13800001234", "current_address": "花溪区青岩镇龙井村三组12号",
			"household_address": "贵州省贵阳市花溪区青岩镇龙井村", "risk": "medium", "drug_types": "heroin,meth",
			"employment": "farming", "dibao": "1", "staff": "s1", "first_found": "2019-05-20",
		}),
		Names: map[string]string{"s1": "周专干", "vol1": "吴老师"},
		Events: map[store.Kind][]*store.Record{
			store.KindMeasure: {
				rec(store.KindMeasure, "m0", map[string]string{"type": "rehab", "authority": "贵阳市公安局花溪分局",
					"decision_no": "花公（禁）康字〔2022〕第0045号", "received_date": "2022-06-01", "report_in_date": "2022-06-08",
					"start_date": "2022-06-08", "planned_end": "2025-06-07", "end_date": "2025-06-07", "status": "completed"}),
				rec(store.KindMeasure, "m1", map[string]string{"type": "detox", "authority": "贵阳市公安局花溪分局",
					"decision_no": "花公（禁）决字〔2026〕第0123号", "decision_date": "2026-03-01", "received_date": "2026-03-02",
					"report_due": "2026-03-17", "report_in_date": "2026-03-10", "start_date": "2026-03-10",
					"planned_end": "2029-03-10", "status": "active"}),
			},
			store.KindAgreement: {rec(store.KindAgreement, "a1", map[string]string{"measure": "m1", "signed_date": "2026-03-12",
				"staff_member": "周专干", "police": "王警官", "doctor": "李医生", "family": "杨父", "volunteer": "吴老师"})},
			store.KindDrugTest: {
				rec(store.KindDrugTest, "t1", map[string]string{"date": "2026-04-10", "sample": "urine", "method": "onsite", "plan": "planned", "result": "negative", "collector1": "周专干", "collector2": "王警官"}),
				rec(store.KindDrugTest, "t2", map[string]string{"date": "2026-05-12", "sample": "urine", "result": "refused"}),
			},
			store.KindVisit: {rec(store.KindVisit, "v1", map[string]string{"date": "2026-04-15", "visitor_kind": "volunteer",
				"visitor": "吴老师", "mode": "home", "notes": "在家务农，情绪稳定，与家人关系好转。", "problems": "缺少就业技能", "next_due": "2026-05-15"})},
			store.KindLeave: {rec(store.KindLeave, "l1", map[string]string{"depart_date": "2026-07-01", "expected_return": "2026-07-10",
				"destination": "广东省东莞市", "reason": "探望在外务工的丈夫", "approved_by": "周专干"})},
			store.KindViolation: {
				rec(store.KindViolation, "x1", map[string]string{"date": "2026-05-12", "kind": "refused_test", "warning_letter": "1"}),
				rec(store.KindViolation, "x2", map[string]string{"date": "2026-08-01", "kind": "departure", "days": "12", "police_reported": "2026-08-03"}),
			},
			store.KindAssistance: {rec(store.KindAssistance, "h1", map[string]string{"date": "2026-04-20", "kind": "dibao", "amount": "600", "provider": "青岩镇民政办"})},
			store.KindPlacement:  {rec(store.KindPlacement, "e1", map[string]string{"date": "2026-05-01", "kind": "farming"})},
			store.KindAssignment: {rec(store.KindAssignment, "g1", map[string]string{"role": "volunteer", "member": "vol1", "start_date": "2026-03-10"})},
		},
	}
}

// printPaper renders one paper of the test file.
func printPaper(t *testing.T, f *File, doc Doc, id string) []byte {
	t.Helper()
	return render(t, func(w *bytes.Buffer) error { return Write(w, f, Paper{Doc: doc, RecordID: id}, printedAt) })
}

// lacks fails when text cites what the paper must not.
func lacks(t *testing.T, text string, nots ...string) {
	t.Helper()
	for _, n := range nots {
		if strings.Contains(squeeze(text), n) {
			t.Errorf("text holds %q, which this paper must not cite", n)
		}
	}
}

func TestFileSummaryPrintsEverySection(t *testing.T) {
	pdf := printPaper(t, testFile(), DocFile, "")
	readBack(t, "file", pdf, "社区戒毒社区康复人员档案", "杨秀英", "52011119900101122X", "布依族", "海洛因、冰毒",
		"一、基本情况", "二、戒毒（康复）措施", "花公（禁）决字〔2026〕第0123号", "2026-03-10至2029-03-10",
		"三、协议与工作小组", "王警官", "四、检测记录", "拒绝检测", "五、走访谈话", "在家务农",
		"六、外出请假", "广东省东莞市", "七、违反协议", "擅自离开", "九、帮扶救助", "青岩镇民政办", "十、就业安置", "务农",
		"十一、帮教人员", "吴老师", "低保")
}

func TestDetoxAgreementCitesArticles(t *testing.T) {
	text := readBack(t, "agreement_detox", printPaper(t, testFile(), DocAgreement, "m1"),
		"社区戒毒协议书", "甲方：青岩镇人民政府", "乙方：杨秀英", "花公（禁）决字〔2026〕第0123号",
		"《戒毒条例》第十六条", "自2026年3月10日起至2029年3月10日止", "第三十三条", "《戒毒条例》第十四条",
		"第十七条", "专职工作人员周专干", "社区民警王警官", "第十九条", "第二十条", "第二十一条", "禁毒法》第三十五条",
		"禁毒法》第三十八条", "签订日期：2026年3月12日")
	lacks(t, text, "《戒毒条例》第三十八条", "第四十八条", "社区康复", "参照")
}

func TestRehabAgreementCitesArticles(t *testing.T) {
	text := readBack(t, "agreement_rehab", printPaper(t, testFile(), DocAgreement, "m0"),
		"社区康复协议书", "杨秀英", "第四十八条和《戒毒条例》第三十八条", "自2022年6月8日起至2025年6月7日止",
		"参照《戒毒条例》第十七条", "参照《戒毒条例》第十九条", "参照《戒毒条例》第二十条", "参照《戒毒条例》第二十一条")
	// the only agreement names the detox measure: this one is left to sign
	lacks(t, text, "第十六条", "第十四条", "强制隔离", "王警官")
}

func TestReportNoticeGivesTheDueDay(t *testing.T) {
	text := readBack(t, "report_notice", printPaper(t, testFile(), DocReportNotice, "m1"),
		"社区戒毒报到通知书", "杨秀英（身份证号：52011119900101122X）", "《戒毒条例》第十四条",
		"你于2026年3月2日收到决定书，请于2026年3月17日前", "青岩镇人民政府报到", "第十六条", "第二十一条", "送达回执", "周专干")
	lacks(t, text, "第三十八条")
	rehab := readBack(t, "", printPaper(t, testFile(), DocReportNotice, "m0"), "社区康复报到通知书", "《戒毒条例》第三十八条")
	lacks(t, rehab, "第十四条")
}

func TestReleaseNoticeCitesTheEndArticle(t *testing.T) {
	text := readBack(t, "release", printPaper(t, testFile(), DocRelease, "m0"),
		"解除社区康复通知书", "杨秀英", "你于2022年6月8日起在青岩镇接受社区康复，至2025年6月7日期满", "《戒毒条例》第四十条",
		"第七条", "贵阳市公安局花溪分局（盖章）", "抄送：青岩镇人民政府")
	lacks(t, text, "第二十三条")
	detox := readBack(t, "", printPaper(t, testFile(), DocRelease, "m1"), "解除社区戒毒通知书", "期限三年，至2029年3月10日期满", "《戒毒条例》第二十三条")
	lacks(t, detox, "第四十条")
}

func TestLeaveFormCitesTheReportDuty(t *testing.T) {
	readBack(t, "leave", printPaper(t, testFile(), DocLeave, "l1"),
		"外出请假审批表", "杨秀英", "广东省东莞市", "2026年7月1日", "2026年7月10日", "10日", "探望在外务工的丈夫",
		"同意。审批人：周专干", "《戒毒条例》第十九条", "第二十条", "申请人（签名）")
}

func TestWarningCountsViolations(t *testing.T) {
	f := testFile()
	readBack(t, "warning", printPaper(t, f, DocWarning, "x1"),
		"责令改正（警告）通知书", "杨秀英", "你于2026年5月12日拒绝接受检测", "第十九条", "禁毒法》第三十五条",
		"逃避或者拒绝接受检测累计1次，擅自离开累计0次、0日", "第二十条", "第二十一条")
	readBack(t, "", printPaper(t, f, DocWarning, "x2"), "未经报告擅自离开执行地所在县（市、区），共12日",
		"逃避或者拒绝接受检测累计1次，擅自离开累计1次、12日", "此情况已于2026年8月3日报告公安机关")
}

func TestVisitRecordSheet(t *testing.T) {
	readBack(t, "visit", printPaper(t, testFile(), DocVisit, "v1"),
		"走访（谈话）记录表", "杨秀英", "2026年4月15日", "入户走访", "吴老师（志愿者）", "在家务农，情绪稳定", "缺少就业技能",
		"2026年5月15日", "第十七条", "被走访人（签名）")
}

// TestPapersOfTheFile: each record gets its paper; the release notice only
// for a measure ended or ending within 30 days.
func TestPapersOfTheFile(t *testing.T) {
	var got []string
	for _, p := range testFile().Papers(time.Date(2026, 12, 7, 0, 0, 0, 0, time.UTC)) {
		got = append(got, string(p.Doc)+":"+p.RecordID+":"+p.Title+":"+p.Measure)
	}
	want := []string{"file::社区戒毒社区康复人员档案:",
		"report_notice:m0:社区康复报到通知书:rehab", "agreement:m0:社区康复协议书:rehab", "release:m0:解除社区康复通知书:rehab",
		"report_notice:m1:社区戒毒报到通知书:detox", "agreement:m1:社区戒毒协议书:detox",
		"leave:l1:外出请假审批表:", "warning:x1:责令改正（警告）通知书:", "warning:x2:责令改正（警告）通知书:", "visit:v1:走访（谈话）记录表:"}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("papers:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	late := testFile().Papers(time.Date(2029, 2, 20, 0, 0, 0, 0, time.UTC))
	if p := late[len(late)-5]; p.Doc != DocRelease || p.RecordID != "m1" {
		t.Errorf("20 days before the detox measure ends, got %+v where its release notice should be", p)
	}
	for _, status := range []string{"terminated", "transferred", "handed_over", "refused"} {
		f := testFile()
		f.Events[store.KindMeasure][0].Fields["status"] = status
		for _, p := range f.Papers(time.Date(2026, 12, 7, 0, 0, 0, 0, time.UTC)) {
			if p.Doc == DocRelease {
				t.Errorf("a %s measure is offered a release notice", status)
			}
		}
	}
}

func TestUnknownPaperIsAnError(t *testing.T) {
	var buf bytes.Buffer
	if err := Write(&buf, testFile(), Paper{Doc: DocWarning, RecordID: "nope"}, printedAt); err == nil || buf.Len() > 0 {
		t.Errorf("a warning for no violation: err %v, %d bytes written", err, buf.Len())
	}
}

// TestRareCharactersAndLongNotes: a name with a character outside the BMP
// (which fpdf cannot embed, and which made it panic) prints with 〓 in its
// place, to write in by hand; a visit note longer than a page runs on to
// the next pages, every word of it printed.
func TestRareCharactersAndLongNotes(t *testing.T) {
	f := testFile()
	f.Person.Fields["name"] = "𠮷野·阿依"
	const phrase = "情绪稳定，与家人关系好转。"
	f.Events[store.KindVisit][0].Fields["notes"] = strings.Repeat(phrase, 150)
	text := readBack(t, "", printPaper(t, f, DocVisit, "v1"), "〓野·阿依", "续走访情况", "发现问题")
	// 稳 is in the note only, once a phrase; a phrase may be cut by the
	// page's foot, a single character cannot.
	if n := strings.Count(text, "稳"); n != 150 {
		t.Errorf("the note's phrase printed %d times of 150", n)
	}
	if pages := strings.Count(text, "\f"); pages < 2 {
		t.Errorf("a note of %d characters fits %d pages?", 150*len([]rune(phrase)), pages)
	}
	sheet := render(t, func(w *bytes.Buffer) error {
		return WriteSheet(w, SheetHeader{Township: "青岩镇", Printed: printedAt}, []SheetRow{{Name: "𠮷野"}})
	})
	readBack(t, "", sheet, "〓野")
}

// TestLongAddressIsNotCut: a form prints a long address whole, wrapped.
func TestLongAddressIsNotCut(t *testing.T) {
	f := testFile()
	addr := "贵州省贵阳市花溪区青岩镇龙井村三组12号附1号（村委会往东走200米，过石桥后第三户，门前有两棵桂花树，黄色院门）"
	f.Person.Fields["current_address"] = addr
	readBack(t, "", printPaper(t, f, DocLeave, "l1"), addr, "广东省东莞市")
	readBack(t, "", printPaper(t, f, DocFile, ""), addr)
}

// TestRehabPapersCiteByAnalogy: for a person whose measure is 社区康复, the
// letters cite the 社区戒毒 articles as 参照 (禁毒法 art. 48); for 社区戒毒
// they cite them directly (checked in the tests above with lacks "参照").
func TestRehabPapersCiteByAnalogy(t *testing.T) {
	f := testFile()
	f.Events[store.KindMeasure] = f.Events[store.KindMeasure][:1] // only the 社区康复 measure
	readBack(t, "", printPaper(t, f, DocWarning, "x2"), "违反了社区康复协议和参照《戒毒条例》第十九条",
		"参照《中华人民共和国禁毒法》第三十五条", "参照《戒毒条例》第二十条")
	readBack(t, "", printPaper(t, f, DocLeave, "l1"), "参照《戒毒条例》第十九条", "参照《戒毒条例》第二十条")
	for _, d := range []Doc{DocWarning, DocLeave} {
		text := readBack(t, "", printPaper(t, testFile(), d, map[Doc]string{DocWarning: "x2", DocLeave: "l1"}[d]))
		lacks(t, text, "参照")
	}
}
