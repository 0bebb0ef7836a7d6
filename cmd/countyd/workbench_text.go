package main

import (
	"encoding/json"
	"fmt"
	"sync"

	"rehabdesk/assets"
)

// wbTexts are assets/translations/workbench/<lang>.json, loaded once.
var wbTexts = sync.OnceValue(func() map[string]map[string]string {
	out := map[string]map[string]string{}
	for _, lang := range []string{"zh", "en"} {
		b, err := assets.Translations.ReadFile("translations/workbench/" + lang + ".json")
		if err != nil {
			panic("countyd: missing workbench translation file: " + err.Error())
		}
		m := map[string]string{}
		if err := json.Unmarshal(b, &m); err != nil {
			panic("countyd: invalid workbench translation file: " + err.Error())
		}
		out[lang] = m
	}
	return out
})

// wbT is the workbench's text of a key in a language, falling back to
// Chinese and then to the key.
func wbT(lang, key string, args ...any) string {
	s, ok := wbTexts()[lang][key]
	if !ok {
		if s, ok = wbTexts()["zh"][key]; !ok {
			s = key
		}
	}
	if len(args) == 0 {
		return s
	}
	return fmt.Sprintf(s, args...)
}
