// Package audittext words the audit log's entries in the reader's
// language: the township app's audit view and the county workbench's page
// of the entries devices pushed show the same sentences. Entries store
// codes with arguments (store.AuditDetail) or, written before codes, short
// English forms; both are read here.
package audittext

import (
	"regexp"
	"strings"

	"rehabdesk/assets"
	"rehabdesk/store"
)

// Translate renders a translation key with fmt arguments in the reader's
// language.
type Translate func(key string, args ...any) string

// Action is an audit action's name (store.ActionSignIn …) in words; an
// action this release does not know is shown as stored.
func Action(T Translate, action string) string {
	key := "audit.action." + action
	if text := T(key); text != key {
		return text
	}
	return action
}

// auditDetailForms map the details the store, ledger, report and sync
// code write (short English codes with arguments) to translated
// sentences; the submatches are the arguments. An unknown form is shown
// as stored.
var auditDetailForms = []struct {
	re  *regexp.Regexp
	key string
}{
	{regexp.MustCompile(`^(` + strings.Join(store.SignInFailureReasons, "|") + `)$`), ""}, // audit.reason.<code>
	{regexp.MustCompile(`^monthly (\S+)$`), "audit.detail.monthly"},
	{regexp.MustCompile(`^paper (\S+)$`), "audit.detail.paper"}, // store/paper.AuditDetail
	{regexp.MustCompile(`^(\d+) bytes$`), "audit.detail.backup"},
	{regexp.MustCompile(`^add (\S+) (\S+)$`), "audit.detail.add_account"},
	{regexp.MustCompile(`^password (\S+)$`), "audit.detail.password"},
	{regexp.MustCompile(`^reset password (\S+)$`), "audit.detail.reset_password"},
	{regexp.MustCompile(`^disable (\S+)$`), "audit.detail.disable"},
	{regexp.MustCompile(`^refused remote change (\S+): (.*)$`), "audit.detail.refused_remote"},
	{regexp.MustCompile(`^ledger (.+), (\d+) of (\d+) rows: (\d+) new, (\d+) updated, (\d+) rejected$`), "audit.detail.ledger_import"},
	{regexp.MustCompile(`^ledger (.+), (\d+) persons$`), "audit.detail.ledger_export"},
	{regexp.MustCompile(`^restored (\S+) from device (\S+)$`), "audit.detail.restored"},
	{regexp.MustCompile(`^pushed=(\d+) pulled=(\d+) rejected=(\d+)(?: refused_lockout=(\d+))?( failed)?$`), "audit.detail.sync"},
	{regexp.MustCompile(`^(add|edit|archive) (\S+)$`), "audit.detail.record"},
	{regexp.MustCompile(`^duty (\S+)$`), "audit.detail.duty"},
}

// recordVerbs word the ActionRecord details.
var recordVerbs = map[string]string{"add": "audit.detail.record_add", "edit": "audit.detail.record_edit",
	"archive": "audit.detail.record_archive"}

// Detail is an audit entry's detail in the officer's language: a
// code with arguments (store.AuditDetail), or the free text of entries
// written before codes, read by its old form.
func Detail(T Translate, detail string) string {
	if code, args, ok := store.ParseAuditDetail(detail); ok {
		return codedDetail(T, code, args)
	}
	for _, f := range auditDetailForms {
		m := f.re.FindStringSubmatch(detail)
		if m == nil {
			continue
		}
		args := make([]any, len(m)-1)
		for i, a := range m[1:] {
			args[i] = a
		}
		switch f.key {
		case "":
			return T("audit.reason." + m[1])
		case "audit.detail.paper":
			args[0] = T("person.paper." + m[1])
		case "audit.detail.add_account":
			args[1] = T("role." + m[2])
		case "audit.detail.record":
			return T(recordVerbs[m[1]], T("kind."+m[2]))
		case "audit.detail.sync":
			return syncDetail(T, m)
		case "audit.detail.duty":
			return T("audit.duty." + m[1])
		}
		return T(f.key, args...)
	}
	return detail
}

// codedDetail words a detail code with its arguments. A code this release
// does not know, or with other arguments, is shown as stored rather than
// as a broken sentence.
func codedDetail(T Translate, code string, args []string) string {
	if code == store.AuditDuty && len(args) == 1 && T("audit.duty."+args[0]) != "audit.duty."+args[0] {
		return T("audit.duty." + args[0]) // the action's own name says it all
	}
	key := "audit.detail." + code
	text := T(key)
	if text == key || strings.Count(text, "%s") != len(args) && code != store.AuditSync {
		return strings.Join(append([]string{code}, args...), " ")
	}
	a := make([]any, len(args))
	for i, s := range args {
		a[i] = s
	}
	switch code {
	case store.AuditRecordAdd, store.AuditRecordEdit, store.AuditRecordArchive, store.AuditPaperSheet:
		a[0] = T("kind." + args[0])
	case store.AuditAddAccount:
		a[1] = T("role." + args[1])
	case store.AuditAssignVillage:
		a[0] = assets.Name(args[0])
	case store.AuditPaper:
		a[0] = T("person.paper." + args[0])
	case store.AuditSync:
		if len(args) != 5 {
			return strings.Join(append([]string{code}, args...), " ")
		}
		return syncDetail(T, append([]string{""}, args...))
	}
	return T(key, a...)
}

// syncDetail words a sync's counts, adding the lock-out refusals and the
// failure only when there were any.
func syncDetail(T Translate, m []string) string {
	s := T("audit.detail.sync", m[1], m[2], m[3])
	if m[4] != "" && m[4] != "0" {
		s += T("audit.detail.sync_refused", m[4])
	}
	if m[5] != "" {
		s += T("audit.detail.sync_failed")
	}
	return s
}
