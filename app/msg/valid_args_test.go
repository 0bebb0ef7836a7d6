package msg

import (
	"strings"
	"testing"

	"rehabdesk/store/valid"
)

// Every validation message must format cleanly, whatever its arguments.
func TestValidationMessagesHaveNoStrayArguments(t *testing.T) {
	codes := []string{valid.CodeRequired, valid.CodeIDLength, valid.CodeIDChars, valid.CodeIDRegion, valid.CodeIDBirth,
		valid.CodeIDChecksum, valid.CodeIDScientific, valid.CodePhone, valid.CodeDate, valid.CodeDateOrder,
		valid.CodeEnum, valid.CodeName, valid.CodeTooLong, valid.CodeRange}
	for _, c := range codes {
		for _, lang := range []string{"zh", "en"} {
			if s := Error(lang, &valid.Error{Field: "name", Code: c, Value: "x"}); strings.Contains(s, "%!") {
				t.Errorf("%s %s: %q", lang, c, s)
			}
		}
	}
}
