package report

import (
	"encoding/json"
	"fmt"
	"sync"

	"rehabdesk/assets"
)

// texts are assets/translations/report/<lang>.json, loaded once.
var texts = sync.OnceValue(func() map[string]map[string]string {
	out := map[string]map[string]string{}
	for _, lang := range []string{"zh", "en"} {
		b, err := assets.Translations.ReadFile("translations/report/" + lang + ".json")
		if err != nil {
			panic("report: missing translation file: " + err.Error())
		}
		m := map[string]string{}
		if err := json.Unmarshal(b, &m); err != nil {
			panic("report: invalid translation file: " + err.Error())
		}
		out[lang] = m
	}
	return out
})

// T formats the text of a key in a language ("zh" or "en"), falling back
// to Chinese and then to the key.
func T(lang, key string, args ...any) string {
	s, ok := texts()[lang][key]
	if !ok {
		if s, ok = texts()["zh"][key]; !ok {
			s = key
		}
	}
	if len(args) == 0 {
		return s
	}
	return fmt.Sprintf(s, args...)
}
