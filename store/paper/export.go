package paper

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"time"

	"rehabdesk/store"
)

// AuditDetail is the audit log's detail of a printed paper: the code
// store.AuditPaper with the document.
func AuditDetail(d Doc) string { return store.AuditDetail(store.AuditPaper, string(d)) }

// Export prints paper p of file f into the file at path, a place the user
// chose, and records the export in the audit log first (a paper with
// personal data leaves the machine; better an entry too many than one
// missing). The paper is rendered in memory, then written through a
// temporary file renamed into place, so that a paper that cannot be
// printed, a full disk or a cancelled ctx leaves no half-written PDF at
// path and a file already there as it was.
func Export(ctx context.Context, st *store.Store, path string, f *File, p Paper, printed time.Time) error {
	var buf bytes.Buffer
	if err := Write(&buf, f, p, printed); err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("export %s: %w", p.Doc, err)
	}
	id := p.RecordID
	if id == "" {
		id = f.Person.ID
	}
	if err := st.Audit(ctx, store.ActionExport, id, AuditDetail(p.Doc)); err != nil {
		return fmt.Errorf("export %s: %w", p.Doc, err)
	}
	if err := saveAtomic(ctx, path, func(w io.Writer) error {
		_, err := buf.WriteTo(w)
		return err
	}); err != nil {
		return fmt.Errorf("export %s: %w", p.Doc, err)
	}
	return nil
}
