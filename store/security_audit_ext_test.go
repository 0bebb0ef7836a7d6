package store_test

import (
	"bytes"
	"context"
	"path/filepath"
	"testing"

	"rehabdesk/internal/storetest"
	"rehabdesk/store"
	"rehabdesk/store/ledger"
	"rehabdesk/store/report"
)

// The libraries that move personal data in bulk record it themselves, so
// the GUI and the command line cannot forget to.
func TestExportImportAndReportAreAudited(t *testing.T) {
	ctx := context.Background()
	s, err := store.Create(ctx, filepath.Join(t.TempDir(), "e.db"), "520102016", "officer", "secret-pass",
		store.Options{KDF: storetest.FastKDF})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if _, err := s.Put(ctx, store.KindPerson, "", map[string]string{"name": "张三", "id_number": "52010219900101123X"}); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if _, err := ledger.Export(ctx, s, &buf, ledger.CSV); err != nil {
		t.Fatal(err)
	}
	if _, err := ledger.ImportBytes(ctx, s, buf.Bytes(), ledger.Options{}); err != nil {
		t.Fatal(err)
	}
	m, err := report.ParseMonth("2026-10")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := report.Generate(ctx, s, m); err != nil {
		t.Fatal(err)
	}
	for _, a := range []string{store.ActionExport, store.ActionImport, store.ActionReport} {
		es, err := s.AuditLog(ctx, store.AuditFilter{Action: a})
		if err != nil || len(es) != 1 || es[0].User != "officer" || es[0].Detail == "" {
			t.Errorf("%s: %+v %v", a, es, err)
		}
	}
}
