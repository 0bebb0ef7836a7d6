package search

import (
	"strings"
	"sync"
	"unicode"

	"github.com/mozillazg/go-pinyin"
)

// surnameReadings lists the reading of polyphonic characters when they are a
// family name (单 is Shàn, not dān). The first reading decides pinyin order;
// all of them are matched.
var surnameReadings = map[rune][]string{
	'单': {"shan"}, '曾': {"zeng"}, '解': {"xie"}, '区': {"ou"},
	'仇': {"qiu"}, '朴': {"piao"}, '查': {"zha"}, '翟': {"zhai", "di"},
	'盖': {"ge"}, '乐': {"yue"}, '缪': {"miao"}, '覃': {"qin"},
	'召': {"shao"}, '尉': {"wei", "yu"}, '长': {"chang"}, '重': {"chong"},
	'种': {"chong"}, '沈': {"shen"}, '柏': {"bai"}, '薄': {"bo"},
	'任': {"ren"}, '石': {"shi"}, '冼': {"xian"}, '宓': {"mi"},
	'员': {"yun"}, '贲': {"ben"}, '秘': {"bi"}, '句': {"gou"},
	'黑': {"he"}, '都': {"du"}, '能': {"nai"}, '繁': {"po"},
	'藏': {"zang"}, '蔚': {"yu"}, '燕': {"yan"}, '眭': {"sui"},
}

// compoundSurnames gives the readings of two-character family names whose
// first character alone would be read differently.
var compoundSurnames = map[string][]string{
	"万俟": {"mo", "qi"}, "尉迟": {"yu", "chi"}, "长孙": {"zhang", "sun"},
	"单于": {"chan", "yu"},
}

// readingCache maps a rune to its toneless readings, most common first:
// go-pinyin takes microseconds per call, the cache tens of nanoseconds.
var readingCache struct {
	sync.RWMutex
	m map[rune][]string
}

// readings returns every toneless pinyin reading of r, most common first,
// with "u" variants of "v" (lv and lu both find 吕). Nil if r has none.
func readings(r rune) []string {
	readingCache.RLock()
	rs, ok := readingCache.m[r]
	readingCache.RUnlock()
	if ok {
		return rs
	}
	rs = lookupReadings(r)
	readingCache.Lock()
	if readingCache.m == nil {
		readingCache.m = make(map[rune][]string)
	}
	readingCache.m[r] = rs
	readingCache.Unlock()
	return rs
}

// lookupReadings asks go-pinyin for the readings of r.
func lookupReadings(r rune) []string {
	rs := pinyin.SinglePinyin(r, pinyin.Args{Style: pinyin.Normal, Heteronym: true})
	for _, s := range rs {
		if strings.Contains(s, "v") {
			rs = appendNew(rs, strings.ReplaceAll(s, "v", "u"))
		}
	}
	if len(rs) == 0 {
		return nil
	}
	return rs
}

// appendNew appends s to list unless list holds it already.
func appendNew(list []string, s string) []string {
	if contains(list, s) {
		return list
	}
	return append(list, s)
}

func contains(list []string, s string) bool {
	for _, t := range list {
		if t == s {
			return true
		}
	}
	return false
}

// fold maps a rune to the form used for matching: lower case, half-width
// ASCII, ü as v. It returns -1 for runes ignored by search: spaces,
// punctuation such as the "·" in minority names, symbols and controls.
func fold(r rune) rune {
	switch {
	case r >= 'A' && r <= 'Z':
		return r + 'a' - 'A'
	case r < 0x80:
		if isASCIIAlnum(byte(r)) {
			return r
		}
		return -1
	case r >= 0xFF01 && r <= 0xFF5E: // full-width ASCII from Chinese IMEs
		return fold(r - 0xFEE0)
	case r == 'ü' || r == 'Ü':
		return 'v'
	case unicode.IsSpace(r), unicode.IsPunct(r), unicode.IsSymbol(r), unicode.IsControl(r):
		return -1
	}
	return unicode.ToLower(r)
}

func isASCIIAlnum(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= '0' && c <= '9'
}

func isLetter(c byte) bool { return c >= 'a' && c <= 'z' }

// Pinyin returns the full pinyin and the initials of a name, lower case and
// without spaces: "zhangsan", "zs". Polyphonic characters use their most
// common reading, a leading family name its surname reading (单 shan).
// Latin letters and digits are kept; other characters without pinyin are
// dropped.
func Pinyin(name string) (full string, initials string) {
	var a analyzer
	a.analyze(name)
	return string(a.full), string(a.inits)
}
