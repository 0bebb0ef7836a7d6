package rules

import (
	"fmt"
	"strings"

	"rehabdesk/internal/i18n"
)

// Text returns the text of a key in a language ("zh" or "en"), falling back
// to Chinese and then to the key. The engine renders explanations itself
// (from internal/i18n's table, which the GUI reads too) so that the CLI,
// JSON output and reports share one wording.
func Text(lang, key string) string { return i18n.Text(lang, key) }

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
