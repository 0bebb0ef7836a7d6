package app

import (
	"rehabdesk/internal/audittext"
	"rehabdesk/store"
)

// auditDetail is an audit entry's detail in the officer's language.
func auditDetail(e store.AuditEntry) string { return audittext.Detail(T, e.Detail) }

// auditRecord notes a record change made through the GUI in the audit
// log, so the audit view lists tests, visits, volunteers and assignments
// with views and exports. A failure to note it does not undo the change.
func (u *UI) auditRecord(verb string, kind store.Kind, id string) {
	if err := u.st.Audit(u.ctx, store.ActionRecord, id, store.AuditDetail("record_"+verb, string(kind))); err != nil {
		u.showError(err)
	}
}
