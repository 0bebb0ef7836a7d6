package ledger

import (
	"slices"
	"strings"

	"rehabdesk/store/valid"
)

// Column is one of the standard ledger columns.
type Column int

// The standard columns, in the order of the header DOMAIN.md gives.
const (
	ColName Column = iota
	ColSex
	ColEthnicity
	ColID
	ColPhone
	ColHousehold
	ColCurrent
	ColVillage
	ColMeasureType
	ColStart
	ColEnd
	ColDrugs
	ColRisk
	ColEmployment
	ColNotes
	numColumns // the standard columns end here: export writes these

	// Optional columns some ledgers keep; imported as fields and events.
	ColReportIn   Column = iota - 1 // right after numColumns, which takes an iota of its own
	ColAgreement                    // 协议签订日期: an agreement record
	ColDecisionNo                   // 决定书文号 of the measure
	ColLastTest                     // 最近一次检测日期: a drug test with ColLastResult
	ColLastResult
	ColLastVisit // 最近一次走访日期: a visit by staff
	ColStaff     // 专干, by name on the roster
	ColVolunteer // 帮教志愿者, by name
	ColGrid      // 网格, by name in the person's village
	ColWilling   // 就业意愿 (是/否): the seed's 100 % placement target is of the willing
	numAllColumns

	colNone    Column = -1 // a column the ledger does not know: kept in ledger_extra
	colIgnored Column = -2 // a column whose values mean nothing to a person (序号)
)

// header is the standard header row, written on export, followed by the
// names of the optional columns.
var header = [numAllColumns]string{"姓名", "性别", "民族", "身份证号", "联系电话", "户籍地址", "现住址", "所属村(社区)",
	"人员类型", "执行开始日期", "执行结束日期", "吸食毒品种类", "风险等级", "就业状况", "备注",
	"报到日期", "协议签订日期", "决定书文号", "最近一次检测日期", "检测结果", "最近一次走访日期", "专干", "帮教志愿者", "网格", "就业意愿"}

// Name is the standard header text of the column.
func (c Column) Name() string {
	if c < 0 || c >= numAllColumns {
		return ""
	}
	return header[c]
}

// aliases are the header texts seen in township ledgers, in headerKey form.
var aliases = map[Column][]string{
	ColName:        {"姓名", "名字", "人员姓名", "吸毒人员姓名"},
	ColSex:         {"性别"},
	ColEthnicity:   {"民族"},
	ColID:          {"身份证号", "身份证号码", "公民身份号码", "公民身份证号码", "身份证", "证件号码", "身份号码"},
	ColPhone:       {"联系电话", "联系方式", "电话", "手机", "手机号", "手机号码", "电话号码", "联系电话号码"},
	ColHousehold:   {"户籍地址", "户籍地", "户籍所在地", "户籍住址", "户籍地详址", "户籍地址详址"},
	ColCurrent:     {"现住址", "现居住地", "现居住地址", "居住地址", "现住地址", "现居地", "实际居住地", "现居住地详址"},
	ColVillage:     {"所属村(社区)", "所属村(居)", "村(居)", "村(社区)", "所属村", "所属社区", "村居", "所属村居", "村(居)委会", "所在村(社区)", "所在村(居)"},
	ColMeasureType: {"人员类型", "措施类型", "人员类别", "类型", "管控类型"},
	ColStart:       {"执行开始日期", "开始日期", "执行起始日期", "起始日期", "执行开始时间", "开始时间"},
	ColEnd:         {"执行结束日期", "结束日期", "执行截止日期", "截止日期", "执行结束时间", "结束时间", "期满日期"},
	ColDrugs:       {"吸食毒品种类", "毒品种类", "吸食毒品", "滥用毒品种类", "吸毒种类", "吸食种类"},
	ColRisk:        {"风险等级", "风险评估等级", "风险级别", "风险"},
	ColEmployment:  {"就业状况", "就业情况", "就业安置情况", "就业安置状况", "安置情况"},
	ColNotes:       {"备注", "说明"},
	ColReportIn:    {"报到日期", "报到时间", "实际报到日期"},
	ColAgreement:   {"协议签订日期", "签订协议日期", "协议签订时间", "协议日期"},
	ColDecisionNo:  {"决定书文号", "决定书编号", "决定文号", "文号"},
	ColLastTest:    {"最近一次检测日期", "最近检测日期", "末次检测日期", "最近一次尿检日期", "最近尿检日期"},
	ColLastResult:  {"检测结果", "最近一次检测结果", "最近检测结果", "尿检结果"},
	ColLastVisit:   {"最近一次走访日期", "最近走访日期", "末次走访日期", "最近一次走访时间"},
	ColStaff:       {"专干", "禁毒专干", "帮教专干", "责任专干", "负责专干"},
	ColVolunteer:   {"帮教志愿者", "志愿者", "禁毒志愿者", "帮教人"},
	ColGrid:        {"网格", "所属网格", "网格名称"},
	ColWilling:     {"就业意愿", "有无就业意愿", "是否有就业意愿", "有就业意愿", "就业意向"},
}

// ignored are running numbers that differ from one ledger to the next; kept
// in ledger_extra they would make every re-import a change.
var ignored = []string{"序号", "编号", "no", "no."}

var columnByKey = func() map[string]Column {
	m := map[string]Column{}
	for c, names := range aliases {
		for _, n := range names {
			m[n] = c
		}
	}
	for _, n := range ignored {
		m[n] = colIgnored
	}
	return m
}()

// headerKey folds the ways officers write the same header: full-width
// brackets, spaces and line breaks inside the cell, required-field stars.
func headerKey(s string) string {
	s = valid.Normalize(s)
	s = strings.Map(func(r rune) rune {
		switch r {
		case ' ', '*', '\n', '\r', '\t', ':':
			return -1
		case '[', '{', '【':
			return '('
		case ']', '}', '】':
			return ')'
		}
		return r
	}, s)
	return strings.ToLower(s)
}

// columnOf says which standard column a header text names.
func columnOf(text string) Column {
	if c, ok := columnByKey[headerKey(text)]; ok {
		return c
	}
	return colNone
}

// layout is a recognised header row: where each column is in the rows.
type layout struct {
	row     int                // index of the header row in the table
	index   [numAllColumns]int // cell index of each known column, -1 when absent
	names   [numAllColumns]string
	unknown []int    // cell indexes of unknown columns
	headers []string // header text of every cell, trimmed
}

// headerScan is how many rows may stand above the header (titles, units, dates).
const headerScan = 30

// findHeader finds the first row that names at least the name and ID number
// columns; title rows above it and merged title cells are skipped.
func findHeader(rows [][]string) (*layout, bool) {
	for i := 0; i < len(rows) && i < headerScan; i++ {
		if l := parseHeader(i, rows[i]); l.index[ColName] >= 0 && l.index[ColID] >= 0 {
			if i+1 < len(rows) {
				l.addSubHeader(rows[i+1])
			}
			return l, true
		}
	}
	return nil, false
}

// addSubHeader reads the second row of a two-level header, such as 执行期限
// merged over 开始日期 and 结束日期: the cells merged down from the first
// row repeat its texts there, and the new texts name columns the first row
// did not. The row itself is later skipped as a repeated header.
func (l *layout) addSubHeader(cells []string) {
	id := l.index[ColID]
	if id >= len(cells) || headerKey(cells[id]) != headerKey(l.headers[id]) {
		return
	}
	for i, cell := range cells {
		c := columnOf(strings.TrimSpace(cell))
		if c < 0 || l.index[c] >= 0 || (i < len(l.headers) && headerKey(l.headers[i]) == headerKey(cell)) {
			continue
		}
		l.index[c], l.names[c] = i, strings.TrimSpace(cell)
		l.unknown = slices.DeleteFunc(l.unknown, func(u int) bool { return u == i })
	}
}

func parseHeader(row int, cells []string) *layout {
	l := &layout{row: row}
	for c := range l.index {
		l.index[c] = -1
	}
	for i, cell := range cells {
		text := strings.TrimSpace(cell) // reports name the column as the file does
		l.headers = append(l.headers, text)
		switch c := columnOf(text); {
		case text == "" || c == colIgnored:
		case c == colNone || l.index[c] >= 0: // a second 电话 column is kept, not merged
			l.unknown = append(l.unknown, i)
		default:
			l.index[c], l.names[c] = i, text
		}
	}
	return l
}

// unknownNames lists the header texts of the unknown columns, each once
// (a merged header cell names every column it spans).
func (l *layout) unknownNames() []string {
	out := make([]string, 0, len(l.unknown))
	for _, i := range l.unknown {
		if !slices.Contains(out, l.headers[i]) {
			out = append(out, l.headers[i])
		}
	}
	return out
}

// cell returns the text of a standard column in a row ("" when absent).
func (l *layout) cell(cells []string, c Column) string {
	if i := l.index[c]; i >= 0 && i < len(cells) {
		return cells[i]
	}
	return ""
}

// colName is the header text the file uses for a column, for reports.
func (l *layout) colName(c Column) string {
	if l.names[c] != "" {
		return l.names[c]
	}
	return c.Name()
}
