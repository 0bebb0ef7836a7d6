package ledger

import (
	"testing"
	"time"
)

// FuzzReadLedger feeds arbitrary files to the reader and row parser: a
// ledger from the field must never crash the import, only be refused or
// reported row by row.
func FuzzReadLedger(f *testing.F) {
	f.Add([]byte(string(ledgerCSV(rowZhang, rowLi))))
	f.Add([]byte("标题\n\n序号,姓名,身份证号码\n1,张三,５２０１０２\n\"多\n行\",x,1.2E+17\n"))
	f.Add([]byte("姓名\t身份证号\n李四\t520102199001010026\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		tbl, err := readTable(data)
		if err != nil {
			return
		}
		l, ok := findHeader(tbl.rows)
		if !ok {
			return
		}
		p := newParser(l, time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), newVillageMap(testTownship))
		for i := l.row + 1; i < len(tbl.rows); i++ {
			e, prob := p.parse(tbl.nums[i], tbl.rows[i])
			if e != nil && prob != nil {
				t.Fatal("a row is either an entry or a problem")
			}
			if e != nil && len(e.id) != 18 {
				t.Fatalf("accepted ID %q", e.id)
			}
		}
	})
}
