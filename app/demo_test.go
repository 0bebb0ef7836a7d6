package app

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"testing"

	"rehabdesk/assets"
	"rehabdesk/internal/ledgertest"
	"rehabdesk/internal/storetest"
	"rehabdesk/store"
	"rehabdesk/store/ledger"
	"rehabdesk/store/search"
)

// demoDB builds a township database of n generated persons (the ledger
// generator's synthetic names and valid ID numbers, no real people), with
// a few volunteers, tests and visits so every screen has something to show.
func demoDB(tb testing.TB, path string, n int, kdf store.KDFParams) {
	tb.Helper()
	ctx := context.Background()
	st, err := store.Create(ctx, path, testTownship, testUser, testPassword, store.Options{KDF: kdf})
	if err != nil {
		tb.Fatal(err)
	}
	defer st.Close()
	var csv bytes.Buffer
	if err := ledgertest.Generate(&csv, n, 7); err != nil {
		tb.Fatal(err)
	}
	rep, err := ledger.ImportBytes(ctx, st, csv.Bytes(), ledger.Options{Batch: 5000})
	if err != nil || rep.New == 0 {
		tb.Fatalf("import: %v %+v", err, rep)
	}
	demoEvents(tb, st)
	demoVillages(tb, st)
}

// demoVillages places the first persons in the township's own villages:
// the generated ledger names villages of elsewhere, which the import
// rightly leaves out, and screenshots with an empty village column (and
// no village to pick in batch entry) would mislead.
func demoVillages(tb testing.TB, st *store.Store) {
	vs := assets.Villages(testTownship)
	err := st.Update(context.Background(), func(tx *store.Tx) error {
		for i, p := range st.Search(search.Query{Limit: 500}).Entries {
			if _, err := tx.Put(store.KindPerson, p.ID, map[string]string{"village": vs[i%min(len(vs), 6)].Code}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		tb.Fatal(err)
	}
}

func demoEvents(tb testing.TB, st *store.Store) {
	ctx := context.Background()
	today := st.Today()
	day := func(d int) string { return today.AddDate(0, 0, d).Format("2006-01-02") }
	put := func(kind store.Kind, f map[string]string) string {
		id, err := st.Put(ctx, kind, "", f)
		if err != nil {
			tb.Fatalf("%s %v: %v", kind, f, err)
		}
		return id
	}
	vols := []string{
		put(store.KindVolunteer, map[string]string{"name": "杨德明", "source": "elder_teacher", "phone": "13885012345", "trained_date": day(-200), "insurance_expiry": day(20), "active": "1"}),
		put(store.KindVolunteer, map[string]string{"name": "吴秀英", "source": "elder_party", "trained_date": day(-400), "insurance_expiry": day(-5), "active": "1"}),
		put(store.KindVolunteer, map[string]string{"name": "龙小芳", "source": "student", "trained_date": day(-30), "insurance_expiry": day(300), "active": "1"}),
	}
	persons := st.Search(search.Query{Limit: 12}).Entries
	for i, p := range persons {
		put(store.KindAssignment, map[string]string{"person": p.ID, "role": "volunteer", "member": vols[i%3], "start_date": day(-100)})
		result := "negative"
		if i == 2 {
			result = "positive"
		}
		put(store.KindDrugTest, map[string]string{"person": p.ID, "date": day(-10 - i), "sample": "urine", "method": "onsite", "plan": "planned", "result": result})
		put(store.KindVisit, map[string]string{"person": p.ID, "date": day(-20 - i), "visitor_kind": "volunteer", "visitor": "杨德明", "mode": "home", "notes": "家中走访，情况稳定"})
	}
}

// TestWriteDemoDatabase writes a demo database for screenshots when
// REHABDESK_DEMO_DB names a new file (user officer, password "correct horse").
func TestWriteDemoDatabase(t *testing.T) {
	path := os.Getenv("REHABDESK_DEMO_DB")
	if path == "" {
		t.Skip("set REHABDESK_DEMO_DB to write a demo database")
	}
	n := 80
	if v := os.Getenv("REHABDESK_DEMO_N"); v != "" {
		fmt.Sscan(v, &n)
	}
	demoDB(t, path, n, storetest.FastKDF)
}
