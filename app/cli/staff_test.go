package cli

import (
	"encoding/json"
	"strings"
	"testing"
)

// A township adds its 专干 on the command line, assigns one to every person
// of a village in one step, and lists the roster with the persons each has.
func TestStaffAddAssignList(t *testing.T) {
	db := initDB(t)
	if _, errs, code := runEnv(t, officerEnv(), nil, "import", "--db", db, "../../store/ledger/testdata/dayone.csv"); code != 0 {
		t.Fatalf("import: %s", errs)
	}
	if _, errs, code := runEnv(t, officerEnv(), nil, "staff", "add", "--db", db, "--name", "吴专干", "--account", "wu"); code != 1 || !strings.Contains(errs, "没有登录账号“wu”") {
		t.Fatalf("a link to a missing account: %d %s", code, errs)
	}
	out, errs, code := runEnv(t, officerEnv(), nil, "staff", "add", "--db", db, "--name", "吴专干", "--phone", "13800000002", "--villages", "纪念塔社区", "--account", "officer")
	if code != 0 || !strings.Contains(out, "吴专干") {
		t.Fatalf("add (%d): %s %s", code, out, errs)
	}
	out, errs, code = runEnv(t, officerEnv(), nil, "staff", "assign", "--db", db, "--staff", "吴专干", "--village", "纪念塔")
	if code != 0 || !strings.Contains(out, "6 人") {
		t.Fatalf("assign (%d): %s %s", code, out, errs)
	}
	out, _, _ = runEnv(t, officerEnv(), nil, "staff", "list", "--db", db, "--json")
	var lines []staffLine
	if err := json.Unmarshal([]byte(out), &lines); err != nil || len(lines) != 1 {
		t.Fatalf("list: %v\n%s", err, out)
	}
	if l := lines[0]; l.Persons != 6 || l.Account != "officer" || l.Phone != "13800000002" || len(l.Villages) != 1 || l.Role != "officer" {
		t.Fatalf("listed %+v", l)
	}
	if _, errs, code := runEnv(t, officerEnv(), nil, "staff", "assign", "--db", db, "--staff", "无名", "--village", "纪念塔社区"); code != 1 || !strings.Contains(errs, "专干名册中没有") {
		t.Fatalf("unknown member: %d %s", code, errs)
	}
}
