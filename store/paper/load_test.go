package paper

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"rehabdesk/assets"
	"rehabdesk/internal/storetest"
	"rehabdesk/store"
)

// TestLoadReadsTheFileFromTheStore: the township's and village's names,
// the assigned officer's name and every kind of event come from the store,
// and the summary printed from them names the person.
func TestLoadReadsTheFileFromTheStore(t *testing.T) {
	ctx := context.Background()
	const township = "520102016"
	st, err := store.Create(ctx, filepath.Join(t.TempDir(), "p.db"), township, "officer", "secret-pass",
		store.Options{KDF: storetest.FastKDF})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	village := assets.Villages(township)[0]
	put := func(k store.Kind, fields map[string]string) string {
		t.Helper()
		id, err := st.Put(ctx, k, "", fields)
		if err != nil {
			t.Fatalf("put %s: %v", k, err)
		}
		return id
	}
	staff := put(store.KindStaff, map[string]string{"name": "周专干", "role": "officer"})
	p := put(store.KindPerson, map[string]string{"name": "龙德华", "id_number": "520102197501011114", "village": village.Code, "staff": staff})
	m := put(store.KindMeasure, map[string]string{"person": p, "type": "detox", "received_date": "2026-03-02", "report_in_date": "2026-03-10", "status": "active"})
	put(store.KindAgreement, map[string]string{"person": p, "measure": m, "signed_date": "2026-03-12"})
	put(store.KindDrugTest, map[string]string{"person": p, "date": "2026-04-10", "sample": "urine", "result": "negative"})

	f, err := Load(ctx, st, p)
	if err != nil {
		t.Fatal(err)
	}
	tn, _ := assets.Township(township)
	if f.Township != tn.Name || f.Names[staff] != "周专干" || len(f.Events[store.KindDrugTest]) != 1 || len(f.Events[store.KindAgreement]) != 1 {
		t.Fatalf("loaded township %q, names %v, events %v", f.Township, f.Names, f.Events)
	}
	readBack(t, "", printPaper(t, f, DocFile, ""), "龙德华", "520102197501011114", village.Name, "周专干", "2026-04-10", "阴性")
	readBack(t, "", printPaper(t, f, DocReportNotice, m), "龙德华", "请于2026年3月17日前", gov(tn.Name))
	if _, err := Load(ctx, st, m); err == nil {
		t.Error("a measure's id loaded as a person's file")
	}
	exportIsAudited(t, st, f, m)
}

// exportIsAudited: Export writes the chosen file and logs the export
// against the record; a paper that cannot be printed leaves the file.
func exportIsAudited(t *testing.T, st *store.Store, f *File, measure string) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "notice.pdf")
	if err := Export(ctx, st, path, f, Paper{Doc: DocAgreement, RecordID: measure}, printedAt); err != nil {
		t.Fatal(err)
	}
	pdf, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	readBack(t, "", pdf, "社区戒毒协议书", "龙德华")
	log, err := st.AuditLog(ctx, store.AuditFilter{Action: store.ActionExport})
	if err != nil {
		t.Fatal(err)
	}
	if len(log) != 1 || log[0].RecordID != measure || log[0].Detail != AuditDetail(DocAgreement) || log[0].PersonID != f.Person.ID {
		t.Errorf("audit after an export: %+v", log)
	}
	if err := os.WriteFile(path, []byte("kept"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := Export(ctx, st, path, f, Paper{Doc: DocWarning, RecordID: "none"}, printedAt); err == nil {
		t.Error("a warning for no violation exported")
	}
	if b, _ := os.ReadFile(path); string(b) != "kept" {
		t.Errorf("a failed export left %q in the file", b)
	}
}
