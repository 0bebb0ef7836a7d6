package ledger

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"rehabdesk/store"
)

// ledgerCSV builds a small ledger from rows under the standard header.
func ledgerCSV(rows ...string) []byte {
	return []byte(strings.Join(append([]string{strings.Join(header[:numColumns], ",")}, rows...), "\n") + "\n")
}

var (
	rowZhang = "张三,男,汉族," + idZhang + ",13812345678,户籍1号,现住1号,纪念塔社区,社区戒毒,2024-05-03,,海洛因,高风险,未就业,"
	rowLi    = "李四,女,苗族," + idLi + ",13987654321,,,,社区康复,2024-05-03,2027-05-02,冰毒,低风险,,"
)

func TestReimportUpdatesOnlyChangedValuesAndEmptyCellsClearNothing(t *testing.T) {
	s := newStore(t)
	importBytes(t, s, ledgerCSV(rowZhang, rowLi))
	zhang := personByID(t, s, idZhang)
	// An officer adds in the app what the ledger does not have.
	if _, err := s.Put(context.Background(), store.KindPerson, zhang.ID, map[string]string{"methadone_clinic": "南明区美沙酮门诊"}); err != nil {
		t.Fatal(err)
	}
	before := localChanges(t, s)
	// The next ledger: 张三's risk changed, his phone and address cells are empty.
	rep := importBytes(t, s, ledgerCSV("张三,男,汉族,"+idZhang+",,,,纪念塔社区,社区戒毒,2024-05-03,,海洛因,中风险,未就业,", rowLi))
	if rep.Updated != 1 || rep.Unchanged != 1 || rep.New != 0 {
		t.Fatalf("updated %d unchanged %d new %d", rep.Updated, rep.Unchanged, rep.New)
	}
	// The person's risk field, and the new level as an assessment dated the import day.
	if got := localChanges(t, s) - before; got != 2 {
		t.Fatalf("one field of one person changed, but %d changes were logged", got)
	}
	zhang = personByID(t, s, idZhang)
	want := map[string]string{"risk": "medium", "phone": "13812345678", "household_address": "户籍1号", "methadone_clinic": "南明区美沙酮门诊"}
	for k, v := range want {
		if zhang.Fields[k] != v {
			t.Errorf("%s = %q, want %q", k, zhang.Fields[k], v)
		}
	}
}

func TestALaterMeasureIsAddedAndBecomesCurrent(t *testing.T) {
	s := newStore(t)
	importBytes(t, s, ledgerCSV(rowZhang))
	importBytes(t, s, ledgerCSV("张三,男,汉族,"+idZhang+",,,,,社区康复,2027-05-04,2030-05-03,,,,"))
	ms, err := s.List(context.Background(), store.KindMeasure, store.ListFilter{PersonID: personByID(t, s, idZhang).ID})
	if err != nil {
		t.Fatal(err)
	}
	if len(ms) != 2 || store.CurrentMeasure(ms).Fields["type"] != "rehab" {
		t.Fatalf("measures: %d, current %v", len(ms), store.CurrentMeasure(ms).Fields)
	}
	if !bytes.Contains(exportCSV(t, s), []byte("社区康复,2027-05-04,2030-05-03")) {
		t.Fatal("export must show the current measure")
	}
}

func TestCancelledImportKeepsWholeBatchesAndSaysHowFar(t *testing.T) {
	s := newStore(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	rep, err := ImportBytes(ctx, s, generated(t, 50, 5), Options{Batch: 20, Progress: func(done, total int) {
		if done == 20 {
			cancel() // as the GUI's cancel button does while the import runs
		}
	}})
	if !errors.Is(err, context.Canceled) || rep == nil || rep.Done != 20 || rep.Rows != 50 {
		t.Fatalf("err %v, report %+v", err, rep)
	}
	if n := s.Search(searchAll()).Total; n != 20 {
		t.Fatalf("%d persons stored, want the first batch of 20", n)
	}
	rep = importBytes(t, s, generated(t, 50, 5))
	if rep.New != 30 || rep.Unchanged != 20 {
		t.Fatalf("importing again finishes the job: new %d unchanged %d", rep.New, rep.Unchanged)
	}
}

// Only the bad cell is set aside: the measure keeps its type and start.
func TestMeasureDatesInTheWrongOrderAreSetAsideNotLost(t *testing.T) {
	s := newStore(t)
	rep := importBytes(t, s, ledgerCSV("李四,女,苗族,"+idLi+",,,,,社区康复,2024-05-03,2023-01-01,,,,"))
	if rep.New != 1 || len(rep.Problems) != 1 || rep.Problems[0].Key != "error.valid.date.order" || rep.Problems[0].Column != "执行结束日期" {
		t.Fatalf("report: %+v", rep)
	}
	li := personByID(t, s, idLi)
	if want := "执行结束日期：2023-01-01"; li.Fields["ledger_extra"] != want {
		t.Fatalf("ledger_extra %q", li.Fields["ledger_extra"])
	}
	ms, err := s.List(context.Background(), store.KindMeasure, store.ListFilter{PersonID: li.ID})
	if err != nil {
		t.Fatal(err)
	}
	if len(ms) != 1 || ms[0].Get("type") != "rehab" || ms[0].Get("start_date") != "2024-05-03" || ms[0].Get("planned_end") != "" {
		t.Fatalf("measures: %v", ms)
	}
}

func TestFilesThatAreNoLedgerAreRefusedWholeAndChangeNothing(t *testing.T) {
	s := newStore(t)
	for name, c := range map[string]struct {
		data []byte
		kind error
	}{
		"no header":   {[]byte("日期,事项\n2024-05-03,开会\n"), ErrNoHeader},
		"empty":       {[]byte(" \n"), ErrEmpty},
		"old xls":     {[]byte("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1rest"), ErrOldExcel},
		"broken xlsx": {[]byte("PK\x03\x04garbage"), ErrCorrupt},
	} {
		_, err := ImportBytes(context.Background(), s, c.data, Options{})
		var re *ReadError
		if !errors.Is(err, c.kind) || !errors.As(err, &re) {
			t.Errorf("%s: got %v, want %v", name, err, c.kind)
		}
	}
	if n := localChanges(t, s); n != 1 { // the account record Create wrote
		t.Fatalf("refused files wrote %d changes", n)
	}
}

func TestHeaderVariantsAreRecognised(t *testing.T) {
	for text, want := range map[string]Column{
		"身份证号码": ColID, " 身份证号 ": ColID, "公民身份号码": ColID, "联系方式": ColPhone, "所属村（社区）": ColVillage,
		"村(居)": ColVillage, "村（居）": ColVillage, "*姓名": ColName, "姓\n名": ColName, "风险等级": ColRisk,
		"户籍派出所": colNone, "序号": colIgnored,
	} {
		if got := columnOf(text); got != want {
			t.Errorf("%q: column %d, want %d", text, got, want)
		}
	}
}

func TestXLSXExportKeepsIDsAsTextAndRoundTrips(t *testing.T) {
	s := newStore(t)
	importBytes(t, s, generated(t, 40, 9))
	var x bytes.Buffer
	if _, err := Export(context.Background(), s, &x, XLSX); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(bytes.NewReader(x.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sheet := f.GetSheetList()[0]
	if typ, _ := f.GetCellType(sheet, "D2"); typ == excelize.CellTypeNumber {
		t.Fatal("the ID column must not hold numbers")
	}
	style, _ := f.GetCellStyle(sheet, "D2")
	if st, _ := f.GetStyle(style); st == nil || st.NumFmt != 49 {
		t.Fatalf("ID cells must be formatted as text, style %+v", st)
	}
	fresh := newStore(t)
	importBytes(t, fresh, x.Bytes())
	if !bytes.Equal(exportCSV(t, s), exportCSV(t, fresh)) {
		t.Fatal("an xlsx export imported into a fresh database must give the same ledger")
	}
}

// A two-level header: 执行期限 merged over the start and end columns, the
// other headers merged down over both header rows.
func TestTwoLevelHeaderIsRead(t *testing.T) {
	f := excelize.NewFile()
	defer f.Close()
	top := []string{"姓名", "身份证号", "人员类型", "执行期限", ""}
	sub := []string{"", "", "", "开始日期", "结束日期"}
	person := []string{"张三", idZhang, "社区戒毒", "2024-05-03", "2027-05-03"}
	for i, row := range [][]string{top, sub, person} {
		for j, v := range row {
			cell, _ := excelize.CoordinatesToCellName(j+1, i+1)
			f.SetCellStr("Sheet1", cell, v)
		}
	}
	for _, col := range []string{"A", "B", "C"} {
		f.MergeCell("Sheet1", col+"1", col+"2")
	}
	f.MergeCell("Sheet1", "D1", "E1")
	var b bytes.Buffer
	f.Write(&b)
	s := newStore(t)
	rep := importBytes(t, s, b.Bytes())
	if rep.New != 1 || rep.Rows != 1 || len(rep.Problems) != 0 || len(rep.UnknownColumns) != 0 {
		t.Fatalf("report %+v", rep)
	}
	m := measureOf(t, s, personByID(t, s, idZhang).ID)
	if m.Fields["start_date"] != "2024-05-03" || m.Fields["planned_end"] != "2027-05-03" {
		t.Fatalf("measure %v", m.Fields)
	}
}
