package paper

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"time"

	"rehabdesk/store"
)

// AuditDetail is the audit log's detail of a printed paper: the code
// store.AuditPaper with the document.
func AuditDetail(d Doc) string { return store.AuditDetail(store.AuditPaper, string(d)) }

// Export prints paper p of file f into the file at path, a place the user
// chose, and records the export in the audit log first (a paper with
// personal data leaves the machine; better an entry too many than one
// missing). The paper is rendered in memory before the file is written,
// so a paper that cannot be printed leaves the file as it was.
func Export(ctx context.Context, st *store.Store, path string, f *File, p Paper, printed time.Time) error {
	var buf bytes.Buffer
	if err := Write(&buf, f, p, printed); err != nil {
		return err
	}
	id := p.RecordID
	if id == "" {
		id = f.Person.ID
	}
	if err := st.Audit(ctx, store.ActionExport, id, AuditDetail(p.Doc)); err != nil {
		return fmt.Errorf("export %s: %w", p.Doc, err)
	}
	if err := os.WriteFile(path, buf.Bytes(), 0o600); err != nil {
		return fmt.Errorf("export %s: %w", p.Doc, err)
	}
	return nil
}
