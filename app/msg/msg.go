// Package msg turns keys and typed errors into words a township officer
// understands, in Chinese or English, from the translation files under
// assets/translations (loaded by internal/i18n). The GUI hands the same
// keys to Fyne's lang; the command line uses T directly. No Fyne import.
//
// Texts use fmt verbs (%s, %d) for their arguments.
package msg

import (
	"strings"

	"rehabdesk/internal/i18n"
)

// Lang picks "zh" or "en" from the environment: REHABDESK_LANG, then
// LC_ALL, LC_MESSAGES, LANG. Chinese is the default.
func Lang(getenv func(string) string) string {
	for _, k := range []string{"REHABDESK_LANG", "LC_ALL", "LC_MESSAGES", "LANG"} {
		v := strings.ToLower(getenv(k))
		if strings.HasPrefix(v, "en") {
			return "en"
		}
		if strings.HasPrefix(v, "zh") {
			return "zh"
		}
	}
	return "zh"
}

// Text returns the raw text of a key in a language, falling back to
// Chinese and then to the key itself (internal/i18n holds the table).
func Text(lang, key string) string { return i18n.Text(lang, key) }

// T formats the text of a key with arguments.
func T(lang, key string, args ...any) string { return i18n.T(lang, key, args...) }
