package store

// Option is one value of an enumeration: a stable code stored in the
// database and the Chinese label used in township ledgers (台账).
type Option struct {
	Code  string
	Label string
}

// Enums lists the allowed codes of every enumeration, in display order. The
// Chinese labels are the words ledgers use; the GUI translates codes itself.
var Enums = map[string][]Option{
	"sex": {{"male", "男"}, {"female", "女"}},
	"measure_type": {
		{"detox", "社区戒毒"}, {"rehab", "社区康复"},
		// in a closed facility or by their own choice: on file, no community duties
		{"compulsory", "强制隔离戒毒"}, {"voluntary", "自愿戒毒"},
	},
	"person_category": {{"social", "社会面"}}, // dynamic control without a measure (社会面/未列管)
	"measure_status": {
		{"pending", "待报到"}, {"active", "执行中"}, {"suspended", "中止"},
		{"completed", "解除"}, {"terminated", "终止"}, {"refused", "视为拒绝"},
		{"handed_over", "移交公安"}, {"transferred", "转出"},
	},
	"risk": {{"high", "高风险"}, {"medium", "中风险"}, {"low", "低风险"}},
	"drug": {
		{"heroin", "海洛因"}, {"meth", "冰毒"}, {"magu", "麻古"}, {"ketamine", "氯胺酮"},
		{"cannabis", "大麻"}, {"mdma", "摇头丸"}, {"synthetic", "合成毒品"}, {"nps", "新精神活性物质"},
		{"methadone", "美沙酮"}, {"opium", "鸦片"}, {"cocaine", "可卡因"},
		{"morphine", "吗啡"}, {"other", "其他"},
	},
	"employment": {
		{"central", "集中安置"}, {"dispersed", "分散安置"}, {"startup", "自主创业"},
		{"self", "自谋职业"}, {"public", "公益性岗位"},
		{"farming", "务农"}, {"migrant", "外出务工"}, {"flexible", "灵活就业"}, // employed, the usual rural answers
		{"unemployed", "未就业"}, {"unable", "无劳动能力"},
	},
	"sample":      {{"urine", "尿检"}, {"hair", "毛发"}, {"blood", "血液"}, {"saliva", "唾液"}},
	"test_method": {{"onsite", "现场检测"}, {"lab", "实验室检测"}},
	"test_plan":   {{"planned", "定期"}, {"random", "随机"}},
	"test_result": {
		{"negative", "阴性"}, {"positive", "阳性"}, {"refused", "拒绝检测"},
		{"absent", "未到检"}, {"invalid", "无效"},
	},
	"visitor_kind": {{"staff", "工作人员"}, {"volunteer", "志愿者"}},
	"visit_mode":   {{"home", "入户走访"}, {"office", "约谈"}, {"phone", "电话"}, {"video", "视频"}},
	"violation": {
		{"refused_test", "拒绝检测"}, {"evaded_test", "逃避检测"},
		{"departure", "擅自离开"}, {"positive_test", "检测阳性"}, {"other", "其他违反协议"},
	},
	"assistance": {
		{"dibao", "低保"}, {"medical", "医疗救助"}, {"schooling", "就学帮扶"},
		{"job", "就业帮扶"}, {"living", "生活救助"}, {"other", "其他"},
	},
	"staff_role": {
		{"officer", "禁毒专干"}, {"social_worker", "社工"}, {"police", "社区民警"}, {"doctor", "医生"},
	},
	"volunteer_source": {
		{"elder_party", "老党员"}, {"elder_cadre", "老干部"}, {"elder_teacher", "老教师"},
		{"elder_expert", "老专家"}, {"elder_soldier", "老战士"}, {"student", "大学生"},
		{"social_worker", "社工"}, {"village_cadre", "村干部"}, {"peer", "同伴"}, {"other", "其他"},
	},
	"assignee_role": {{"staff", "专干"}, {"volunteer", "志愿者"}},
	"attachment": {
		{"decision", "决定书"}, {"agreement", "协议书"}, {"notice", "通知书"},
		{"photo", "照片"}, {"other", "其他"},
	},
	"account_role": {{"officer", "专干"}, {"volunteer", "志愿者"}, {"county", "县禁毒办"}},
}

// EnumLabel returns the Chinese ledger label of a code, or the code itself.
func EnumLabel(enum, code string) string {
	for _, o := range Enums[enum] {
		if o.Code == code {
			return o.Label
		}
	}
	return code
}

// EnumCode finds the code of a Chinese label or of a code; ok is false when
// the text names no option. Only whole labels match: "无" is not a prefix
// of 无劳动能力 here. Ledger spellings are mapped by the ledger import
// (assets/vocab).
func EnumCode(enum, text string) (code string, ok bool) {
	for _, o := range Enums[enum] {
		if o.Code == text || o.Label == text {
			return o.Code, true
		}
	}
	return "", false
}
