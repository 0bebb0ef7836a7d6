// Package msg turns keys and typed errors into words a township officer
// understands, in Chinese or English, from the translation files under
// assets/translations. The GUI hands the same keys to Fyne's lang; the
// command line uses T directly. No Fyne import.
//
// Texts use fmt verbs (%s, %d) for their arguments.
package msg

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"path"
	"strings"
	"sync"

	"rehabdesk/assets"
)

var (
	loadOnce sync.Once
	tables   map[string]map[string]string // lang -> key -> text
)

// load merges every translations/<area>/<lang>.json file.
func load() {
	tables = map[string]map[string]string{}
	fs.WalkDir(assets.Translations, "translations", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || path.Ext(p) != ".json" {
			return nil
		}
		lang := strings.TrimSuffix(path.Base(p), ".json")
		b, err := fs.ReadFile(assets.Translations, p)
		if err != nil {
			return nil
		}
		m := map[string]string{}
		if json.Unmarshal(b, &m) != nil {
			panic("msg: invalid translation file " + p)
		}
		if tables[lang] == nil {
			tables[lang] = map[string]string{}
		}
		for k, v := range m {
			tables[lang][k] = v
		}
		return nil
	})
}

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
// Chinese and then to the key itself, so a missing translation shows
// something readable rather than nothing.
func Text(lang, key string) string {
	loadOnce.Do(load)
	if t, ok := tables[lang][key]; ok {
		return t
	}
	if t, ok := tables["zh"][key]; ok {
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

// Keys lists every key defined for a language (for tests that check both
// languages define the same keys).
func Keys(lang string) []string {
	loadOnce.Do(load)
	out := make([]string, 0, len(tables[lang]))
	for k := range tables[lang] {
		out = append(out, k)
	}
	return out
}
