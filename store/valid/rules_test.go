package valid_test

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"rehabdesk/store/valid"
)

func TestNormalize(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", ""},
		{"abc", "abc"},
		{"  abc  ", "abc"},
		{"\u3000张三\u3000", "张三"},
		{"\u00a0x\u00a0", "x"},
		{"a \t\n b", "a b"},
		{"a\u3000\u3000b", "a b"},
		{"\ufeff\u200babc", "abc"},
		{"１２３ＡＢｃ", "123ABc"},
		{"（０８５１）", "(0851)"},
		{"２０２４．５．３", "2024.5.3"},
		{"贵州省 黔南州", "贵州省 黔南州"},
	}
	for _, tt := range tests {
		if got := valid.Normalize(tt.in); got != tt.want {
			t.Errorf("Normalize(%q) = %q, want %q", tt.in, got, tt.want)
		}
		if again := valid.Normalize(valid.Normalize(tt.in)); again != tt.want {
			t.Errorf("Normalize is not idempotent on %q: %q", tt.in, again)
		}
	}
}

func TestRequired(t *testing.T) {
	wantCode(t, valid.Required("village", "新寨村"), "", "")
	wantCode(t, valid.Required("village", ""), "village", valid.CodeRequired)
	wantCode(t, valid.Required("village", " \u3000 "), "village", valid.CodeRequired)
}

func TestMaxLen(t *testing.T) {
	wantCode(t, valid.MaxLen("note", "贵州省黔南州", 6), "", "")
	wantCode(t, valid.MaxLen("note", "贵州省黔南州都", 6), "note", valid.CodeTooLong)
	wantCode(t, valid.MaxLen("note", "𠀀𠀀", 2), "", "")
	wantCode(t, valid.MaxLen("note", "", 0), "", "")
}

func TestDateOrder(t *testing.T) {
	a, b := date(2024, 5, 3), date(2024, 5, 4)
	wantCode(t, valid.DateOrder("end", a, b), "", "")
	wantCode(t, valid.DateOrder("end", a, a), "", "")
	wantCode(t, valid.DateOrder("end", b, a), "end", valid.CodeDateOrder)
	wantCode(t, valid.DateOrder("end", time.Time{}, a), "", "")
	wantCode(t, valid.DateOrder("end", b, time.Time{}), "", "")
}

func TestErrorMessage(t *testing.T) {
	tests := []struct {
		err  *valid.Error
		want string
	}{
		{&valid.Error{Field: "id_number", Code: valid.CodeIDChecksum, Value: "520102199001011234"},
			`id_number: check digit does not match ("520102199001011234")`},
		{&valid.Error{Field: "name", Code: valid.CodeRequired}, "name: is required"},
		{&valid.Error{Code: "custom.code", Value: "v"}, `custom.code ("v")`},
	}
	for _, tt := range tests {
		if got := tt.err.Error(); got != tt.want {
			t.Errorf("Error() = %q, want %q", got, tt.want)
		}
	}
}

func TestErrorIsAndAs(t *testing.T) {
	_, err := valid.ParseID(wrongCheck("52010219900101123"), today)
	wrapped := fmt.Errorf("row 7: %w", err)
	if !errors.Is(wrapped, &valid.Error{Code: valid.CodeIDChecksum}) {
		t.Error("errors.Is by code failed")
	}
	if !errors.Is(wrapped, &valid.Error{Field: valid.FieldID, Code: valid.CodeIDChecksum}) {
		t.Error("errors.Is by field and code failed")
	}
	if errors.Is(wrapped, &valid.Error{Code: valid.CodeIDRegion}) {
		t.Error("errors.Is matched a different code")
	}
	if errors.Is(wrapped, &valid.Error{Field: "other", Code: valid.CodeIDChecksum}) {
		t.Error("errors.Is matched a different field")
	}
	var ve *valid.Error
	if !errors.As(wrapped, &ve) {
		t.Fatal("errors.As failed")
	}
	ve.Field = "guardian_id"
	if want := "guardian_id: check digit does not match"; ve.Error()[:len(want)] != want {
		t.Errorf("renamed field: %q", ve.Error())
	}
}
