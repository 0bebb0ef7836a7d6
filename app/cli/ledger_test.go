package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const messyLedger = "../../store/ledger/testdata/messy.csv"

func TestImportReportsEveryRejectedRowWithItsReason(t *testing.T) {
	db := initDB(t)
	report := filepath.Join(t.TempDir(), "problems.csv")
	out, errs, code := runEnv(t, officerEnv(), nil, "import", "--db", db, "--report", report, messyLedger)
	if code != 0 {
		t.Fatalf("import: %d %s", code, errs)
	}
	for _, want := range []string{
		"新增 8 人", "未导入 4 行", "重复跳过 1 行", "户籍派出所",
		"第 9 行：身份证号码：",
		"第 10 行：身份证号码：“5.20102199001011E+17”被 Excel 存成了数字",
		"第 12 行：身份证号 5201**********",
		"第 17 行：姓 名：必须填写。\n",
		"第 14 行：“红星村”不在本乡镇",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	b, err := os.ReadFile(report)
	if err != nil || !strings.Contains(string(b), "9,身份证号码,未导入,") || strings.Count(string(b), "\n") != 9 {
		t.Fatalf("problem report: %v\n%s", err, b)
	}
	out, _, _ = runEnv(t, officerEnv(), nil, "import", "--db", db, messyLedger)
	if !strings.Contains(out, "新增 0 人，更新 0 人，未变 8 人") {
		t.Fatalf("second import must change nothing:\n%s", out)
	}
}

func TestImportInEnglish(t *testing.T) {
	db := initDB(t)
	out, _, code := runEnv(t, officerEnv("REHABDESK_LANG", "en"), nil, "import", "--db", db, messyLedger)
	if code != 0 || !strings.Contains(out, "8 new") || !strings.Contains(out, "Row 9: 身份证号码: the check digit") {
		t.Fatalf("%d\n%s", code, out)
	}
}

func TestImportFailsClearlyWhenTheFileIsNoLedger(t *testing.T) {
	db := initDB(t)
	dir := t.TempDir()
	notLedger := filepath.Join(dir, "notes.csv")
	os.WriteFile(notLedger, []byte("日期,事项\n2024-05-03,开会\n"), 0o644)
	broken := filepath.Join(dir, "broken.xlsx")
	os.WriteFile(broken, []byte("PK\x03\x04 this is not a zip"), 0o644)
	for file, want := range map[string]string{
		filepath.Join(dir, "missing.xlsx"): "找不到文件",
		notLedger:                          "这不是人员台账",
		broken:                             "文件已损坏",
	} {
		_, errs, code := runEnv(t, officerEnv(), nil, "import", "--db", db, file)
		if code != 1 || !strings.Contains(errs, want) {
			t.Errorf("%s: exit %d, %q; want 1 and %q", filepath.Base(file), code, errs, want)
		}
	}
}

func TestExportWritesTheLedgerAndNoTemporaryFile(t *testing.T) {
	db := initDB(t)
	runEnv(t, officerEnv(), nil, "import", "--db", db, messyLedger)
	dir := t.TempDir()
	for _, name := range []string{"台账.csv", "台账.xlsx"} {
		out, errs, code := runEnv(t, officerEnv(), nil, "export", "--db", db, "--out", filepath.Join(dir, name))
		if code != 0 || !strings.Contains(out, "已导出 8 人") {
			t.Fatalf("export %s: %d %q %q", name, code, out, errs)
		}
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 2 {
		t.Fatalf("export left other files: %v", entries)
	}
	b, _ := os.ReadFile(filepath.Join(dir, "台账.csv"))
	if !strings.HasPrefix(string(b), "\ufeff姓名,性别,民族,身份证号,") {
		t.Fatalf("csv must open in Excel: %q", b[:min(len(b), 40)])
	}
	_, errs, code := runEnv(t, officerEnv(), nil, "export", "--db", db, "--out", filepath.Join(dir, "a.txt"))
	if code != 1 || !strings.Contains(errs, ".xlsx 或 .csv") {
		t.Fatalf("bad extension: %d %q", code, errs)
	}
}
