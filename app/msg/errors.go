package msg

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"strings"
	"syscall"

	"rehabdesk/store"
	"rehabdesk/store/rules"
	"rehabdesk/store/valid"
)

// keyed is implemented by errors of other packages (sync, ledger) that know
// their own translation key.
type keyed interface {
	MessageKey() (key string, args []any)
}

var sentinels = []struct {
	err error
	key string
}{
	{store.ErrLocked, "error.locked"},
	{store.ErrBadPassword, "error.bad_password"},
	{store.ErrLockedOut, "error.locked_out"},
	{store.ErrUnknownTown, "error.unknown_township"},
	{store.ErrExists, "error.db_exists"},
	{store.ErrUserExists, "error.user_exists"},
	{store.ErrWeakPassword, "error.weak_password"},
	{store.ErrCommonPassword, "error.common_password"},
	{store.ErrNewerSchema, "error.newer_schema"},
	{store.ErrNotInitialized, "error.not_initialized"},
	{store.ErrTampered, "error.tampered"},
	{store.ErrNotFound, "error.not_found"},
	{store.ErrForbidden, "error.forbidden"},
	{store.ErrNotStaff, "error.not_staff"},
	{rules.ErrBadBaseline, "error.bad_baseline"},
	{context.Canceled, "error.cancelled"},
	{syscall.ENOSPC, "error.disk_full"},
	{fs.ErrNotExist, "error.file_missing"},
	{fs.ErrPermission, "error.permission"},
}

// ErrorKey finds the translation key and arguments describing err. Unknown
// errors get "error.unexpected" with the Go text as argument, so nothing is
// hidden, but the sentence around it is still in the user's language.
func ErrorKey(err error) (string, []any) {
	var k keyed
	if errors.As(err, &k) {
		return k.MessageKey()
	}
	var ve *valid.Error
	if errors.As(err, &ve) {
		if ve.Code == valid.CodeRequired || ve.Code == valid.CodeTooLong {
			// Their texts name only the field; a second argument would
			// print as "%!(EXTRA string=...)".
			return "error.valid." + ve.Code, []any{FieldName(ve.Field)}
		}
		return "error.valid." + ve.Code, []any{FieldName(ve.Field), ve.Value}
	}
	var dup *store.DuplicateError
	if errors.As(err, &dup) {
		return "error.duplicate_person", []any{valid.MaskID(dup.Number)}
	}
	for _, s := range sentinels {
		if errors.Is(err, s.err) {
			return s.key, nil
		}
	}
	if store.IsDiskFull(err) || strings.Contains(err.Error(), "disk is full") {
		return "error.disk_full", nil
	}
	if store.IsBusy(err) {
		return "error.busy", nil
	}
	var pe *os.PathError
	if errors.As(err, &pe) {
		return "error.file", []any{pe.Path}
	}
	return "error.unexpected", []any{err.Error()}
}

// fieldLang is the language FieldName uses; the GUI sets it with SetLang.
var fieldLang = "zh"

// SetLang sets the language of field names inside error messages.
func SetLang(lang string) { fieldLang = lang }

// FieldName is the translated name of a record field ("field.<name>").
func FieldName(field string) string { return Text(fieldLang, "field."+field) }

// Error renders err as a sentence in a language.
func Error(lang string, err error) string {
	if err == nil {
		return ""
	}
	prev := fieldLang
	fieldLang = lang
	defer func() { fieldLang = prev }()
	key, args := ErrorKey(err)
	return T(lang, key, args...)
}
