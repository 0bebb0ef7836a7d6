package ledger

import (
	"bytes"
	"context"
	"encoding/csv"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/simplifiedchinese"

	"rehabdesk/internal/storetest"
	"rehabdesk/store"
)

var update = flag.Bool("update", false, "rewrite the messy ledgers in testdata/")

// IDs of the messy ledger. The 17th digit is the sex: odd is male.
var (
	idZhang = storetest.IDNumber("52010219850312001") // male
	idLi    = storetest.IDNumber("52010219900101002") // female
	idWang  = idWithX()                               // ends in X, written x
	idZhao  = storetest.IDNumber("52010219781120005") // male
	idQian  = storetest.IDNumber("52010219920707004") // female, ledger says 男
	idSun   = storetest.IDNumber("52010219880808007")
	idZhou  = storetest.IDNumber("52010219950505009")
	idWu    = storetest.IDNumber("52010219700101003")
	badSum  = idZhang[:17] + string("0123456789"[(int(idZhang[17]-'0')+1)%10])
)

// idWithX finds a valid ID number whose check character is X.
func idWithX() string {
	for seq := 10; seq < 999; seq++ {
		body := fmt.Sprintf("52010219830214%03d", seq)
		if id := storetest.IDNumber(body); id[17] == 'X' {
			return id
		}
	}
	panic("no ID with X")
}

// fullWidth writes digits as a Chinese input method in full-width mode does.
func fullWidth(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return r - '0' + '０'
		}
		return r
	}, s)
}

// messyHeader has a running number, spaced and full-width header texts, a
// column under another name and an unknown column (户籍派出所).
var messyHeader = []string{"序号", "姓 名", "性别", "民族", "身份证号码", "联系方式", "户籍地址", "现住址", "所属村（社区）",
	"人员类型", "执行开始日期", "执行结束日期", "吸食毒品种类", "风险等级", "就业状况", "备注", "户籍派出所"}

// messyRows are the rows below the header, from spreadsheet row 4 on. The
// comment of each says what the import must make of it.
func messyRows() [][]string {
	return [][]string{
		/* 4 new */ {"1", "张三", "男", "汉族", idZhang, "13812345678", "贵州省贵阳市南明区新华路1号", "新华路2号", "纪念塔社区", "社区戒毒", "2024-05-03", "", "海洛因、冰毒", "高", "未就业", "", "新华路派出所"},
		/* 5 blank */ {"", "", "", "", "", "", "", "", "", "", "", "", "", "", "", "", ""},
		/* 6 new: full-width digits and spaces */ {"2", "李　四", "女", "苗族", fullWidth(idLi), fullWidth("13987654321"), "", "", "新华路", "社区康复", "2024.5.3", "2027.5.2", "冰毒", "低风险", "自谋职业", "", ""},
		/* 7 new: lower-case x, trailing spaces */ {"3", "王五 ", "男 ", "汉族", strings.ToLower(idWang), "", "", "", "", "社区戒毒 ", "2024/05/03", "", "氯胺酮", "中风险  ", "", "", ""},
		/* 8 new: Chinese date */ {"4", "赵六", "男", "汉族", idZhao, "", "", "", "", "社区康复", "2024年5月3日", "2027年5月2日", "", "", "", "多次复吸\n家属配合", ""},
		/* 9 rejected: check digit */ {"5", "钱错", "男", "汉族", badSum, "", "", "", "", "", "", "", "", "", "", "", ""},
		/* 10 rejected: stored as a number */ {"6", "孙数", "男", "汉族", "5.20102199001011E+17", "", "", "", "", "", "", "", "", "", "", "", ""},
		/* 11 duplicate of row 4 */ {"1", "张三", "男", "汉族", idZhang, "13812345678", "贵州省贵阳市南明区新华路1号", "新华路2号", "纪念塔社区", "社区戒毒", "2024-05-03", "", "海洛因、冰毒", "高", "未就业", "", "新华路派出所"},
		/* 12 rejected: same ID as row 6, other phone */ {"7", "李四", "女", "苗族", idLi, "13900000000", "", "", "", "", "", "", "", "", "", "", ""},
		/* 13 new, warning: sex */ {"8", "钱七", "男", "汉族", idQian, "", "", "", "", "", "", "", "", "", "", "", ""},
		/* 14 new, warning: village unknown */ {"9", "孙八", "男", "汉族", idSun, "", "", "", "红星村", "", "", "", "", "", "", "", ""},
		/* 15 new: Excel serial date */ {"10", "周九", "男", "汉族", idZhou, "", "", "", "", "社区戒毒", "45415", "", "", "", "", "", ""},
		/* 16 new, warning: phone */ {"11", "吴十", "男", "汉族", idWu, "12345", "", "", "", "", "", "", "", "", "", "", ""},
		/* 17 rejected: no name */ {"12", "", "男", "汉族", storetest.IDNumber("52010219660606001"), "", "", "", "", "", "", "", "", "", "", "", ""},
		/* 18 footer: nothing in ledger columns */ {"制表人：王芳", "", "", "", "", "", "", "", "", "", "", "", "", "", "", "", ""},
	}
}

var messyTitle = []string{"新华路街道社区戒毒社区康复人员台账"}
var messyUnit = []string{"填报单位：新华路街道禁毒办", "", "", "", "", "", "", "", "", "", "", "", "", "填报日期：2024年6月1日"}

func messyCSV(t testing.TB) []byte {
	t.Helper()
	var b bytes.Buffer
	b.Write(utf8BOM)
	w := csv.NewWriter(&b)
	w.WriteAll(append([][]string{messyTitle, messyUnit, messyHeader}, messyRows()...))
	return b.Bytes()
}

func messyGB18030(t testing.TB) []byte {
	t.Helper()
	out, err := simplifiedchinese.GB18030.NewEncoder().Bytes(bytes.TrimPrefix(messyCSV(t), utf8BOM))
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// messyXLSX is the same ledger as Excel keeps it: a merged title, IDs typed
// as numbers (one legacy 15-digit number survives, an 18-digit one lost its
// last digits), dates as date cells and a village merged over two persons.
func messyXLSX(t testing.TB) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	const sh = "Sheet1"
	rows := append([][]string{messyTitle, messyUnit, messyHeader}, messyRows()...)
	for i, r := range rows {
		for j, v := range r {
			cell, _ := excelize.CoordinatesToCellName(j+1, i+1)
			f.SetCellStr(sh, cell, v)
		}
	}
	f.MergeCell(sh, "A1", "Q1")
	f.SetCellFloat(sh, "E10", 5.20102199001011e17, -1, 64) // row 10: the ID Excel rounded
	f.SetCellInt(sh, "E16", 520102700101003)               // row 16: 吴十's legacy 15-digit number
	date, _ := f.NewStyle(&excelize.Style{NumFmt: 14})
	f.SetCellInt(sh, "K15", 45415) // row 15: 2024-05-03 as a date cell
	f.SetCellStyle(sh, "K15", "K15", date)
	f.SetCellStr(sh, "I13", "新华路社区") // rows 13-14 share one merged village cell
	f.MergeCell(sh, "I13", "I14")
	var b bytes.Buffer
	if err := f.Write(&b); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// TestWriteMessyTestdata keeps the committed files in step with the
// builders above: go test ./store/ledger -run Testdata -update.
func TestWriteMessyTestdata(t *testing.T) {
	if !*update {
		t.Skip("run with -update to rewrite testdata")
	}
	for name, data := range map[string][]byte{"messy.csv": messyCSV(t), "messy-gb18030.csv": messyGB18030(t), "messy.xlsx": messyXLSX(t)} {
		if err := os.WriteFile(filepath.Join("testdata", name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func readTestdata(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatalf("%v (run go test -run Testdata -update)", err)
	}
	return b
}

// outcome is "row severity column key", how a report line reads in a test.
func outcomes(rep *Report) []string {
	var out []string
	for _, p := range rep.Problems {
		out = append(out, fmt.Sprintf("%d %d %s %s", p.Row, p.Severity, p.Column, p.Key))
	}
	return out
}

func TestMessyCSVImportsExactlyTheGoodRows(t *testing.T) {
	for _, name := range []string{"messy.csv", "messy-gb18030.csv"} {
		t.Run(name, func(t *testing.T) {
			s := newStore(t)
			rep := importBytes(t, s, readTestdata(t, name))
			want := []string{
				"9 0 身份证号码 error.valid.id.checksum",
				"10 0 身份证号码 error.valid.id.scientific",
				"11 1  ledger.row.duplicate",
				"12 0 身份证号码 ledger.row.conflict",
				"13 2 性别 ledger.row.sex_mismatch",
				"14 2 所属村（社区） ledger.row.village_unknown",
				"16 2 联系方式 error.valid.phone.invalid",
				"17 0 姓 名 error.valid.required",
			}
			checkReport(t, rep, want, 8)
			if rep.HeaderRow != 3 || !slices.Equal(rep.UnknownColumns, []string{"户籍派出所"}) {
				t.Errorf("header row %d, unknown columns %v", rep.HeaderRow, rep.UnknownColumns)
			}
			checkMessyPersons(t, s, "520102016002")
		})
	}
}

func TestMessyXLSXImportsExactlyTheGoodRows(t *testing.T) {
	s := newStore(t)
	rep := importBytes(t, s, readTestdata(t, "messy.xlsx"))
	want := []string{
		"9 0 身份证号码 error.valid.id.checksum",
		"10 0 身份证号码 error.valid.id.scientific",
		"11 1  ledger.row.duplicate",
		"12 0 身份证号码 ledger.row.conflict",
		"13 2 性别 ledger.row.sex_mismatch",
		"16 2 联系方式 error.valid.phone.invalid",
		"17 0 姓 名 error.valid.required",
	}
	checkReport(t, rep, want, 8)
	p := personByID(t, s, idSun)
	if p.Fields["village"] != "520102016002" {
		t.Errorf("row 14 should get the merged village 新华路社区, got %q", p.Fields["village"])
	}
	if p := personByID(t, s, storetest.IDNumber("52010219700101003")); p.Fields["name"] != "吴十" {
		t.Errorf("legacy 15-digit numeric ID should be upgraded, got %+v", p.Fields)
	}
}

func checkReport(t *testing.T, rep *Report, want []string, imported int) {
	t.Helper()
	if got := outcomes(rep); !slices.Equal(got, want) {
		t.Errorf("problems:\n got %q\nwant %q", got, want)
	}
	if rep.New != imported || rep.Rejected != 4 || rep.Skipped != 1 || rep.Rows != 13 {
		t.Errorf("new %d rejected %d skipped %d rows %d", rep.New, rep.Rejected, rep.Skipped, rep.Rows)
	}
}

func personByID(t *testing.T, s *store.Store, number string) *store.Record {
	t.Helper()
	ps, err := s.List(context.Background(), store.KindPerson, store.ListFilter{})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range ps {
		if p.Fields["id_number"] == number {
			return p
		}
	}
	t.Fatalf("person %s not imported", number)
	return nil
}

func measureOf(t *testing.T, s *store.Store, person string) *store.Record {
	t.Helper()
	ms, err := s.List(context.Background(), store.KindMeasure, store.ListFilter{PersonID: person})
	if err != nil || len(ms) != 1 {
		t.Fatalf("measures of %s: %v %v", person, ms, err)
	}
	return ms[0]
}

// checkMessyPersons checks the values the messy ledger's rows become.
func checkMessyPersons(t *testing.T, s *store.Store, liVillage string) {
	t.Helper()
	zhang := personByID(t, s, idZhang)
	wantZhang := map[string]string{"name": "张三", "sex": "male", "village": "520102016001", "drug_types": "heroin,meth",
		"risk": "high", "employment": "unemployed", "ledger_extra": "户籍派出所：新华路派出所", "phone": "13812345678"}
	for k, v := range wantZhang {
		if zhang.Fields[k] != v {
			t.Errorf("张三 %s = %q, want %q", k, zhang.Fields[k], v)
		}
	}
	li := personByID(t, s, idLi)
	if li.Fields["name"] != "李四" || li.Fields["phone"] != "13987654321" || li.Fields["village"] != liVillage {
		t.Errorf("李四: %v", li.Fields)
	}
	for id, want := range map[string][3]string{
		zhang.ID: {"detox", "2024-05-03", "2027-05-03"}, li.ID: {"rehab", "2024-05-03", "2027-05-02"},
		personByID(t, s, idWang).ID: {"detox", "2024-05-03", "2027-05-03"},
		personByID(t, s, idZhao).ID: {"rehab", "2024-05-03", "2027-05-02"},
		personByID(t, s, idZhou).ID: {"detox", "2024-05-03", "2027-05-03"},
	} {
		m := measureOf(t, s, id)
		if got := [3]string{m.Fields["type"], m.Fields["start_date"], m.Fields["planned_end"]}; got != want {
			t.Errorf("measure of %s: %v, want %v", id, got, want)
		}
	}
	if qian := personByID(t, s, idQian); qian.Fields["sex"] != "female" {
		t.Errorf("the ID decides the sex: %v", qian.Fields)
	}
	if sun := personByID(t, s, idSun); sun.Fields["village"] != "" && sun.Fields["ledger_extra"] != "所属村(社区)：红星村" {
		t.Errorf("unknown village kept as text: %v", sun.Fields)
	}
	if wu := personByID(t, s, idWu); wu.Fields["phone"] != "" || wu.Fields["ledger_extra"] != "联系电话：12345" {
		t.Errorf("bad phone set aside: %v", wu.Fields)
	}
	if zhao := personByID(t, s, idZhao); zhao.Fields["notes"] != "多次复吸\n家属配合" {
		t.Errorf("notes keep line breaks: %q", zhao.Fields["notes"])
	}
}
