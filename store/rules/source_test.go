package rules

import (
	"regexp"
	"testing"
)

// TestRuleSources pins every rule's cited source, so that changing an article
// number or its wording is a deliberate edit of this table too. The article
// numbers were checked against the texts listed above the rules in rules.go.
func TestRuleSources(t *testing.T) {
	want := map[string]string{
		"report_in_overdue":  "戒毒条例第十四条：社区戒毒人员应当自收到责令社区戒毒决定书之日起15日内报到，无正当理由逾期不报到的，视为拒绝接受社区戒毒；第二十一条：拒绝接受社区戒毒的，应当及时向当地公安机关报告（社区康复15日内报到见第三十八条）",
		"report_in_due":      "戒毒条例第十四条（社区戒毒）、第三十八条（社区康复）：自收到决定书之日起15日内报到",
		"serious_violation":  "戒毒条例第二十条：逃避或者拒绝接受检测3次以上，擅自离开社区戒毒执行地所在县（市、区）3次以上或者累计超过30日的，属于严重违反社区戒毒协议；第二十一条、禁毒法第三十五条：应当及时向公安机关报告",
		"violation_warning":  "严重违反协议的提前预警（阈值为本地设置）",
		"positive_test":      "禁毒法第三十五条、戒毒条例第二十一条：在社区戒毒期间又吸食、注射毒品的，应当及时向公安机关报告（公安机关依禁毒法第三十八条决定强制隔离戒毒）",
		"measure_ending":     "禁毒法第三十三条、戒毒条例第十四条：社区戒毒期限为3年，自报到之日起计算；社区康复不超过3年（禁毒法第四十八条）",
		"completion_overdue": "戒毒条例第二十三条、第四十条：社区戒毒、社区康复自期满之日起解除，公安机关出具解除通知书并在7日内通知乡（镇）人民政府、城市街道办事处；应当及时办理解除（终止）手续",
		"test_due":           "按阶段定期检测：社区戒毒第一年每月、第二年每两月、第三年每三月，社区康复每两月（本地可设置）",
		"visit_due":          "每月走访或谈心谈话（本地可设置）",
		"risk_due":           "分级分类管理：每六个月及检测阳性或违反协议后重新评估风险（本地可设置）",
		"unassigned":         "每名人员应有帮教专干和禁毒志愿者（戒毒条例第十七条：社区戒毒工作小组）",
		"insurance_expiring": "志愿服务条例第十七条：安排志愿者参与可能发生人身危险的志愿服务活动前，应当为志愿者购买相应的人身意外伤害保险",
		"staffing_shortfall": "按登记吸毒人员1:30或社区戒毒社区康复人员1:20配备专职工作人员，每个乡镇至少1名",
		"staff_roster_empty": "专干名册为空：人员录入满一段时间（本地可设置）仍未登记禁毒专职人员的，提醒登记，配备比例（1:30、1:20）据名册核算",
		"placement_rate":     "社区戒毒社区康复人员就业安置率不低于90%，有劳动能力和就业意愿的100%安置",
		"agreement_missing":  "戒毒条例第十六条：乡（镇）人民政府、城市街道办事处应当在社区戒毒人员报到后及时与其签订社区戒毒协议；第三十八条：社区康复人员报到时签订社区康复协议；第四十四条：未签订协议的，依法给予处分（“及时”的天数为本地设置）",
		"lost_contact":       "失联（脱管）人员须立即查找，并报告当地公安机关协查（本地工作规范）",
		"leave_overdue":      "戒毒条例第十九条：离开社区戒毒执行地所在县（市、区）3日以上的，须书面报告；逾期未归的天数属擅自离开，计入第二十条“累计超过30日”",
	}
	if len(All) != len(want) {
		t.Fatalf("%d rules, %d pinned sources: pin the new rule's source here", len(All), len(want))
	}
	for _, r := range All {
		if r.Source != want[r.ID] {
			t.Errorf("%s cites\n  %s\nwant\n  %s", r.ID, r.Source, want[r.ID])
		}
	}
}

// checkedArticles are the articles whose text was read; a rule citing any
// other article cites something nobody verified.
var checkedArticles = map[string]bool{
	"戒毒条例第七条": true, "戒毒条例第十四条": true, "戒毒条例第十六条": true, "戒毒条例第十七条": true, "戒毒条例第十九条": true, "戒毒条例第二十条": true, "戒毒条例第二十一条": true,
	"戒毒条例第二十三条": true, "戒毒条例第三十八条": true, "戒毒条例第四十条": true, "戒毒条例第四十四条": true,
	"禁毒法第三十三条": true, "禁毒法第三十五条": true, "禁毒法第三十八条": true, "禁毒法第四十八条": true,
	"志愿服务条例第十七条": true,
}

// TestRuleSourcesCiteCheckedArticles: a law rule cites at least one article,
// and every article a source cites (an article without its act's name belongs
// to the act named before it) is one that was checked.
func TestRuleSourcesCiteCheckedArticles(t *testing.T) {
	cite := regexp.MustCompile(`(戒毒条例|禁毒法|志愿服务条例)?(第[一二三四五六七八九十]+条)`)
	for _, r := range All {
		act, n := "", 0
		for _, m := range cite.FindAllStringSubmatch(r.Source, -1) {
			if m[1] != "" {
				act = m[1]
			}
			if !checkedArticles[act+m[2]] {
				t.Errorf("%s cites %s%s, which was not checked", r.ID, act, m[2])
			}
			n++
		}
		if r.Tag == "L" && n == 0 {
			t.Errorf("%s is tagged law but cites no article", r.ID)
		}
	}
}
