package assets

import (
	"bytes"
	"encoding/json"
	"image/png"
	"io/fs"
	"slices"
	"testing"
)

func TestFontIsSingleTrueTypeFace(t *testing.T) {
	// sfnt version 0x00010000 is one TrueType face; "ttcf" would be a
	// collection, which Fyne cannot load as a theme font.
	if !bytes.HasPrefix(FontRegular, []byte{0, 1, 0, 0}) {
		t.Errorf("font starts with % x; want a single TrueType face (00 01 00 00)", FontRegular[:4])
	}
}

func TestIconIs512PNG(t *testing.T) {
	cfg, err := png.DecodeConfig(bytes.NewReader(Icon))
	if err != nil {
		t.Fatalf("icon is not a PNG: %v", err)
	}
	if cfg.Width != 512 || cfg.Height != 512 {
		t.Errorf("icon is %d×%d; want 512×512", cfg.Width, cfg.Height)
	}
}

func TestTranslationsSortedAndComplete(t *testing.T) {
	areas, err := fs.Glob(Translations, "translations/*")
	if err != nil || len(areas) == 0 {
		t.Fatalf("translation areas = %v, %v", areas, err)
	}
	for _, area := range areas {
		files, err := fs.Glob(Translations, area+"/*.json")
		if err != nil || len(files) < 2 {
			t.Fatalf("%s: files = %v, %v; want zh.json and en.json at least", area, files, err)
		}
		var first []string
		for _, name := range files {
			keys := translationKeys(t, name)
			if !slices.IsSorted(keys) || len(slices.Compact(slices.Clone(keys))) != len(keys) {
				t.Errorf("%s: keys must be sorted and unique: %q", name, keys)
			}
			if first == nil {
				first = keys
			} else if !slices.Equal(keys, first) {
				t.Errorf("%s has keys %q; %s has %q: every language needs every key",
					name, keys, files[0], first)
			}
		}
	}
}

// translationKeys returns the top-level keys of a Fyne language file in file
// order, checking that each value is a string or a plural object of strings.
func translationKeys(t *testing.T, name string) []string {
	t.Helper()
	data, err := Translations.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		t.Fatalf("%s: want a JSON object, got %v, %v", name, tok, err)
	}
	var keys []string
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		key := tok.(string)
		var value any
		if err := dec.Decode(&value); err != nil {
			t.Fatalf("%s: %s: %v", name, key, err)
		}
		if !isTranslation(value) {
			t.Errorf("%s: %s: want a string or a plural object of strings, got %v", name, key, value)
		}
		keys = append(keys, key)
	}
	return keys
}

func isTranslation(v any) bool {
	switch v := v.(type) {
	case string:
		return v != ""
	case map[string]any:
		for _, form := range v {
			if s, ok := form.(string); !ok || s == "" {
				return false
			}
		}
		return len(v) > 0
	}
	return false
}
