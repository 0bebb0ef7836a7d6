// Package i18n holds the program's words: every translation file
// assets/translations/<area>/<lang>.json, loaded once into one table per
// language, and the error type that names its own translation key. The GUI
// (through app/msg), the command line, the alert rules and the monthly
// report all read the same table. No Fyne import: the store uses it.
//
// Texts use fmt verbs (%s, %d) for their arguments.
package i18n

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"path"
	"strings"
	"sync"

	"rehabdesk/assets"
)

// tables maps a language to its keys and texts, every area merged.
var tables = sync.OnceValue(func() map[string]map[string]string {
	out := map[string]map[string]string{}
	err := fs.WalkDir(assets.Translations, "translations", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || path.Ext(p) != ".json" {
			return err
		}
		b, err := fs.ReadFile(assets.Translations, p)
		if err != nil {
			return err
		}
		m := map[string]string{}
		if err := json.Unmarshal(b, &m); err != nil {
			return fmt.Errorf("%s: %w", p, err)
		}
		lang := strings.TrimSuffix(path.Base(p), ".json")
		if out[lang] == nil {
			out[lang] = map[string]string{}
		}
		for k, v := range m {
			out[lang][k] = v
		}
		return nil
	})
	if err != nil {
		panic("i18n: translation files: " + err.Error()) // embedded: a build broken by hand
	}
	return out
})

// Text returns the raw text of a key in a language ("zh" or "en"), falling
// back to Chinese and then to the key itself, so a missing translation shows
// something readable rather than nothing.
func Text(lang, key string) string {
	if t, ok := tables()[lang][key]; ok {
		return t
	}
	if t, ok := tables()["zh"][key]; ok {
		return t
	}
	return key
}

// T formats the text of a key with arguments.
func T(lang, key string, args ...any) string {
	if len(args) == 0 {
		return Text(lang, key)
	}
	return fmt.Sprintf(Text(lang, key), args...)
}

// Error is an error that names its own translation key: Error gives the
// English text for logs, MessageKey the key the edge translates.
type Error struct {
	key, text string
	args      []any
}

// NewError returns an Error with a translation key and its English text.
func NewError(key, text string) *Error { return &Error{key: key, text: text} }

// Errorf returns an Error whose text is the key's English translation
// formatted with args; the edge formats the user's language with the same
// args.
func Errorf(key string, args ...any) *Error {
	return &Error{key: key, text: T("en", key, args...), args: args}
}

// Error is the English text, for logs.
func (e *Error) Error() string { return e.text }

// MessageKey gives the translation key of the error and its arguments.
func (e *Error) MessageKey() (string, []any) { return e.key, e.args }
