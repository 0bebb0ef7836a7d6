package search

import (
	"strings"
	"testing"
)

// FuzzNameFindsItself checks that any name is found by its own text and,
// when every character has pinyin and the pinyin is shorter than maxQuery,
// by its full pinyin and its initials.
func FuzzNameFindsItself(f *testing.F) {
	for _, s := range []string{"张三", "单雄", "阿依古丽·买买提", "Tom李", "𠮷田", "万俟德", "吕 小梅", "\xff张", "嗯嗯"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, name string) {
		x := New()
		x.Put(Entry{ID: "id", Name: name})
		if x.Search(Query{Text: name}).Total != 1 {
			t.Errorf("%q not found by itself", name)
		}
		full, initials := Pinyin(name)
		if !allHavePinyin(name) || full == "" || len(full) >= maxQuery {
			return
		}
		for _, text := range []string{full, initials, strings.ToUpper(full)} {
			if x.Search(Query{Text: text}).Total != 1 {
				t.Errorf("%q not found by %q", name, text)
			}
		}
	})
}

// allHavePinyin reports whether every kept rune of name is an ASCII letter
// or has a reading.
func allHavePinyin(name string) bool {
	for _, r := range name {
		r = fold(r)
		if r >= 0 && !(r < 0x80 && isLetter(byte(r))) && readings(r) == nil {
			return false
		}
	}
	return true
}

// FuzzSearchText checks that any query text gives a consistent page.
func FuzzSearchText(f *testing.F) {
	for _, s := range []string{"zs", "张s", "123x", "ｚｈａｎｇ", "·", "\xff\xfe", "nnnn"} {
		f.Add(s, 2, 3)
	}
	x := New()
	x.PutAll(fixture)
	f.Fuzz(func(t *testing.T, text string, offset, limit int) {
		r := x.Search(Query{Text: text, Offset: offset, Limit: limit})
		if r.Total > len(fixture) || len(r.Entries) > r.Total || limit > 0 && len(r.Entries) > limit {
			t.Errorf("%q: total %d, %d entries", text, r.Total, len(r.Entries))
		}
	})
}
