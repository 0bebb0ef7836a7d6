package report

import (
	"context"
	"strings"
	"testing"

	"rehabdesk/store/ledger"
)

// The case: a township starts with its ledger on December 7.
// The persons it brings are existing caseload from their measures' start:
// November counts them in measure, December does not count them as new
// decisions, and the ledger's 务农/外出务工/灵活就业 are counted as placed.
func TestLedgerImportedOnDecember7IsCaseloadNotNew(t *testing.T) {
	f := emptyFixture(t, "2026-12-07 09:00")
	csv := strings.Join([]string{
		"姓名,身份证号,所属村(社区),人员类型,执行开始日期,就业状况,报到日期",
		"王强,52010219850312001X,纪念塔社区,社区戒毒,2025-03-01,务农,2025-03-01",
		"刘芳,520102199001010026,纪念塔社区,社区康复,2026-02-10,外出务工,2026-02-10",
		"陈军,520102198807070031,新华路社区,社区戒毒,2026-06-15,灵活就业,2026-06-15",
	}, "\n") + "\n"
	if _, err := ledger.Import(context.Background(), f.s, strings.NewReader(csv), ledger.Options{}); err != nil {
		t.Fatal(err)
	}
	nov := generate(t, f.s, "2026-11").Total.Counts
	dec := generate(t, f.s, "2026-12").Total.Counts
	if nov["persons"] != 3 || nov["detox_active"] != 2 || nov["rehab_active"] != 1 || nov["new_detox"] != 0 || nov["new_rehab"] != 0 {
		t.Errorf("November, before the import day: %v", nov)
	}
	if nov["emp_farming"] != 1 || nov["emp_migrant"] != 1 || nov["emp_flexible"] != 1 || nov["placed"] != 3 || nov["emp_unknown"] != 0 {
		t.Errorf("November's employment: %v", nov)
	}
	if dec["new_detox"] != 0 || dec["new_rehab"] != 0 || dec["report_ins"] != 0 || dec["persons"] != 3 {
		t.Errorf("December, the import month: %v", dec)
	}
}
