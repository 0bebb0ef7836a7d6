package app

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"rehabdesk/store"
)

func readJSON(t *testing.T, path string) map[string]string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	m := map[string]string{}
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return m
}

// TestEveryKeyTheGUIUsesIsTranslated reads the literal keys of T("…")
// calls and of the key columns in the source and checks both languages.
func TestEveryKeyTheGUIUsesIsTranslated(t *testing.T) {
	files, _ := filepath.Glob("*.go")
	key := regexp.MustCompile(`(?:\bT\(|key: |\{)"((?:app|assign|events|firstrun|form|history|home|kind|nav|people|person|role|settings|shell|signin|sync|syncscreen|transfer|volunteers|threshold|audit|accounts|monthly|duty|files|batch)\.[a-z_.0-9]*[a-z0-9_])"`)
	for _, lang := range []string{LangZH, LangEN} {
		if err := useLanguage(lang); err != nil {
			t.Fatal(err)
		}
		for _, f := range files {
			if strings.HasSuffix(f, "_test.go") {
				continue
			}
			src, _ := os.ReadFile(f)
			for _, m := range key.FindAllSubmatch(src, -1) {
				if k := string(m[1]); T(k) == k {
					t.Errorf("%s: %s: key %q has no text", lang, f, k)
				}
			}
		}
	}
	useLanguage(LangZH)
}

// TestEnumLabelsFollowTheStore: Chinese labels are the store's ledger
// words, and every code of every enumeration has an English label.
func TestEnumLabelsFollowTheStore(t *testing.T) {
	zh := readJSON(t, "../assets/translations/enums/zh.json")
	en := readJSON(t, "../assets/translations/enums/en.json")
	n := 0
	for enum, opts := range store.Enums {
		for _, o := range opts {
			k := "enum." + enum + "." + o.Code
			n++
			if zh[k] != o.Label {
				t.Errorf("%s: zh %q, store says %q", k, zh[k], o.Label)
			}
			if en[k] == "" {
				t.Errorf("%s: no English label", k)
			}
		}
	}
	if len(zh) != n {
		t.Errorf("enums/zh.json has %d keys, the store %d codes", len(zh), n)
	}
}

func TestEveryKindOfThePersonFileHasATabName(t *testing.T) {
	for _, lang := range []string{LangZH, LangEN} {
		useLanguage(lang)
		for _, k := range personTabs {
			if T("kind."+string(k)) == "kind."+string(k) {
				t.Errorf("%s: no tab name for %s", lang, k)
			}
		}
	}
	useLanguage(LangZH)
}
