// Package app is RehabDesk's desktop GUI: one file per screen on top of the
// store. It turns keys into words with Fyne's lang, and store results into
// list models; it never builds SQL.
package app

import (
	"fmt"
	"io/fs"
	"os"
	"path"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"

	"rehabdesk/app/msg"
	"rehabdesk/assets"
	"rehabdesk/store"
)

// Languages the GUI offers; Chinese is the default.
const (
	LangZH = "zh"
	LangEN = "en"
)

// fyneLocales are the locales Fyne's matcher may pick from the system
// settings (its own built-in translations plus ours). Fyne chooses the
// language from the operating system and has no setter, so the language
// the officer chose is registered under every one of them: whichever the
// matcher picks, our keys come out in the chosen language.
var fyneLocales = []fyne.Locale{"en", "zh", "zh-Hans", "zh-Hant", "cs", "de", "el", "es", "fr",
	"ja", "ko", "pl", "pt", "pt-BR", "ru", "sv", "ta", "uk"}

// currentLang is the language last loaded by useLanguage.
var currentLang = LangZH

// useLanguage loads every translation area of one language into Fyne's
// lang, so lang.L(key) answers in it. Calling it again switches language;
// screens built afterwards use the new words.
func useLanguage(code string) error {
	if code != LangEN {
		code = LangZH
	}
	setLocaleEnv(code)
	data, err := mergedTranslations(code)
	if err != nil {
		return err
	}
	for _, l := range fyneLocales {
		if err := lang.AddTranslationsForLocale(data, l); err != nil {
			return fmt.Errorf("load %s translations as %s: %w", code, l, err)
		}
	}
	currentLang = code
	msg.SetLang(code)
	return nil
}

// setLocaleEnv points Fyne's own strings (dialog buttons) at the chosen
// language on Linux, where the locale comes from these variables.
func setLocaleEnv(code string) {
	if code == LangZH {
		os.Setenv("LANGUAGE", "zh_CN")
		return
	}
	os.Setenv("LANGUAGE", "en_US")
}

// mergedTranslations joins translations/<area>/<code>.json of every area
// into one JSON object, since Fyne keeps one message file per locale.
func mergedTranslations(code string) ([]byte, error) {
	var parts []string
	err := fs.WalkDir(assets.Translations, "translations", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || path.Base(p) != code+".json" {
			return err
		}
		b, err := fs.ReadFile(assets.Translations, p)
		if err != nil {
			return err
		}
		body := strings.TrimSpace(string(b))
		body = strings.TrimSpace(strings.TrimSuffix(strings.TrimPrefix(body, "{"), "}"))
		if body != "" {
			parts = append(parts, body)
		}
		return nil
	})
	return []byte("{" + strings.Join(parts, ",\n") + "}"), err
}

// T translates a key and formats its fmt arguments.
func T(key string, args ...any) string {
	text := lang.L(key)
	if len(args) == 0 {
		return text
	}
	return fmt.Sprintf(text, args...)
}

// errText is the sentence shown for an error: never a Go error string on
// its own, always a translated sentence around it.
func errText(err error) string {
	key, args := msg.ErrorKey(err)
	return T(key, args...)
}

// fieldName is the translated name of a record field.
func fieldName(name string) string { return T("field." + name) }

// enumLabel is the translated label of an enumeration code.
func enumLabel(enum, code string) string {
	if code == "" {
		return ""
	}
	key := "enum." + enum + "." + code
	if t := T(key); t != key {
		return t
	}
	return store.EnumLabel(enum, code)
}

// enumSetLabel translates a comma-separated set of codes.
func enumSetLabel(enum, codes string) string {
	if codes == "" {
		return ""
	}
	parts := strings.Split(codes, ",")
	for i, c := range parts {
		parts[i] = enumLabel(enum, c)
	}
	sep := "、"
	if currentLang == LangEN {
		sep = ", "
	}
	return strings.Join(parts, sep)
}

// formatDate shows a stored date ("2026-11-29") as 2026年11月29日 in
// Chinese and 29 Nov 2026 in English; other text is returned as is.
func formatDate(stored string) string {
	t, err := time.Parse("2006-01-02", stored)
	if err != nil {
		return stored
	}
	return formatTime(t)
}

// formatTime shows the date part of a time in the current language.
func formatTime(t time.Time) string {
	if currentLang == LangEN {
		return t.Format("2 Jan 2006")
	}
	return fmt.Sprintf("%d年%d月%d日", t.Year(), int(t.Month()), t.Day())
}

// chinaTime is the township's clock for times shown to officers.
var chinaTime = time.FixedZone("CST", 8*3600)

// formatDateTime shows a moment with minutes, for change history.
func formatDateTime(t time.Time) string {
	return formatTime(t) + " " + t.Format("15:04")
}
