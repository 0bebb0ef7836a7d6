package rules

import (
	"encoding/json"
	"fmt"
	"strings"
	"sync"

	"rehabdesk/assets"
)

// texts are assets/translations/rules/<lang>.json, loaded once. The GUI
// loads the same files into Fyne; the engine renders explanations itself so
// that the CLI, JSON output and reports share one wording.
var texts = sync.OnceValue(func() map[string]map[string]string {
	out := map[string]map[string]string{}
	for _, lang := range []string{"zh", "en"} {
		b, err := assets.Translations.ReadFile("translations/rules/" + lang + ".json")
		if err != nil {
			panic("rules: missing translation file: " + err.Error())
		}
		m := map[string]string{}
		if err := json.Unmarshal(b, &m); err != nil {
			panic("rules: invalid translation file: " + err.Error())
		}
		out[lang] = m
	}
	return out
})

// Text returns the text of a key in a language ("zh" or "en"), falling back
// to Chinese and then to the key.
func Text(lang, key string) string {
	if s, ok := texts()[lang][key]; ok {
		return s
	}
	if s, ok := texts()["zh"][key]; ok {
		return s
	}
	return key
}

// Explain renders why the alert fired, with its evidence, in a language.
func (a Alert) Explain(lang string) string {
	args := make([]any, len(a.Args))
	for i, arg := range a.Args {
		args[i] = renderArg(lang, arg)
	}
	return fmt.Sprintf(Text(lang, a.Key), args...)
}

// Title is the rule's short name in a language.
func (a Alert) Title(lang string) string { return Text(lang, "rules."+a.Rule+".title") }

func renderArg(lang string, arg any) any {
	switch v := arg.(type) {
	case Day:
		return DayText(lang, v)
	case []Day:
		parts := make([]string, len(v))
		for i, d := range v {
			parts[i] = DayText(lang, d)
		}
		return strings.Join(parts, Text(lang, "rules.list_sep"))
	case Term:
		return Text(lang, "rules.term."+string(v))
	}
	return arg
}

// SeverityText is a severity's name in a language.
func SeverityText(lang string, s Severity) string { return Text(lang, "rules.severity."+s.String()) }

// DayText writes a date the way the language's readers write it: 2026年8月2日
// in Chinese, as the rest of the Chinese interface does; ISO otherwise.
func DayText(lang string, d Day) string {
	if lang != "zh" {
		return d.String()
	}
	y, m, dd := d.Date()
	return fmt.Sprintf("%d年%d月%d日", y, m, dd)
}
