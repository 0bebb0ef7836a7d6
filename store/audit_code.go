package store

import (
	"encoding/json"
	"strings"
)

// Audit detail codes: what an entry's detail says, as a code with
// arguments that each reader words in its own language (see AuditDetail).
const (
	AuditRecordAdd     = "record_add"     // args: kind
	AuditRecordEdit    = "record_edit"    // args: kind
	AuditRecordArchive = "record_archive" // args: kind
	AuditMonthly       = "monthly"        // args: month ("2026-11")
	AuditBackup        = "backup"         // args: size in bytes
	AuditAddAccount    = "add_account"    // args: user, role
	AuditPassword      = "password"       // args: user
	AuditResetPassword = "reset_password" // args: user
	AuditDisable       = "disable"        // args: user
	AuditRefusedRemote = "refused_remote" // args: version, reason
	AuditLedgerImport  = "ledger_import"  // args: format, done, total, new, updated, rejected
	AuditLedgerExport  = "ledger_export"  // args: format, persons
	AuditRestored      = "restored"       // args: backup time, device
	AuditSync          = "sync"           // args: pushed, pulled, rejected, refused as lock-outs, "failed" or ""
	AuditAssignVillage = "assign_village" // args: village code, persons changed
	AuditPaperSheet    = "paper_sheet"    // args: kind, persons listed
	AuditPaper         = "paper"          // args: document (store/paper.Doc)
	AuditDuty          = "duty"           // args: workflow action or attachment opened
	AuditClockWarning  = "clock_warning"  // args: devices whose clock warning the officer cleared
)

// AuditDetail encodes an audit detail as a code and its arguments: a JSON
// array, code first. Officers read the log in Chinese and the county may
// read it in English, so the words are chosen when shown, never stored.
// Details written before codes are free text and never start with '['.
func AuditDetail(code string, args ...string) string {
	b, _ := json.Marshal(append([]string{code}, args...)) // strings always marshal
	return string(b)
}

// ParseAuditDetail splits a detail written by AuditDetail; ok is false for
// an older free-text detail, which readers show by its old form.
func ParseAuditDetail(detail string) (code string, args []string, ok bool) {
	if !strings.HasPrefix(detail, "[") {
		return "", nil, false
	}
	var parts []string
	if json.Unmarshal([]byte(detail), &parts) != nil || len(parts) == 0 || parts[0] == "" {
		return "", nil, false
	}
	return parts[0], parts[1:], true
}
