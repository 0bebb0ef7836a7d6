package msg

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"rehabdesk/internal/i18n"
	"rehabdesk/store"
	"rehabdesk/store/valid"
)

// Every field has a name (every language has the same keys: assets'
// TestTranslationsSortedAndComplete).
func TestEverySchemaFieldHasAName(t *testing.T) {
	for _, k := range store.Kinds() {
		for _, f := range store.SpecOf(k).Fields {
			if key := "field." + f.Name; i18n.Text("zh", key) == key {
				t.Errorf("%s (%s) has no translation", key, k)
			}
		}
	}
}

func TestErrorsBecomeSentencesInTheUsersLanguage(t *testing.T) {
	idErr := &valid.Error{Field: "id_number", Code: valid.CodeIDChecksum, Value: "520102199001011235"}
	cases := []struct {
		err      error
		zh, en   string
		notInAny string
	}{
		{fmt.Errorf("save: %w", idErr), "身份证号：“520102199001011235”校验位不正确", "ID number: the check digit", "id_number"},
		{store.ErrBadPassword, "用户名或密码错误", "Wrong user name or password", ""},
		{&store.DuplicateError{Number: "520102199001011234"}, "5201**********1234", "5201**********1234", "520102199001011234"},
		{errors.New("boom"), "发生意外错误：boom", "Unexpected error: boom", ""},
		{fmt.Errorf("attach: %w", &store.TooLargeError{Size: 25 << 20, Max: store.MaxAttachment}), "文件太大（25.0 MB），附件最大 20.0 MB", "at most 20.0 MB", ""},
	}
	for _, c := range cases {
		zh, en := Error("zh", c.err), Error("en", c.err)
		if !strings.Contains(zh, c.zh) || !strings.Contains(en, c.en) {
			t.Errorf("%v:\n zh %q\n en %q", c.err, zh, en)
		}
		if c.notInAny != "" && (strings.Contains(zh, c.notInAny) || strings.Contains(en, c.notInAny)) {
			t.Errorf("%v leaks %q", c.err, c.notInAny)
		}
	}
}

func TestEveryValidationCodeHasAMessage(t *testing.T) {
	codes := []string{valid.CodeRequired, valid.CodeIDLength, valid.CodeIDChars, valid.CodeIDRegion, valid.CodeIDBirth,
		valid.CodeIDChecksum, valid.CodeIDScientific, valid.CodePhone, valid.CodeDate, valid.CodeDateOrder,
		valid.CodeEnum, valid.CodeName, valid.CodeTooLong, valid.CodeRange}
	for _, c := range codes {
		for _, lang := range []string{"zh", "en"} {
			if Text(lang, "error.valid."+c) == "error.valid."+c {
				t.Errorf("%s: no message for %s", lang, c)
			}
		}
	}
}

func TestLangFromEnvironment(t *testing.T) {
	env := func(m map[string]string) func(string) string { return func(k string) string { return m[k] } }
	if Lang(env(nil)) != "zh" || Lang(env(map[string]string{"LANG": "en_US.UTF-8"})) != "en" ||
		Lang(env(map[string]string{"LANG": "en_US.UTF-8", "REHABDESK_LANG": "zh"})) != "zh" {
		t.Fatal("language choice from environment is wrong")
	}
}
