package search

import "unicode/utf8"

// Match units. A name is analysed into one unit per kept rune, encoded in a
// string as a length byte followed by alternatives; an alternative is a
// flag/length byte and its bytes. Flag altReading marks a pinyin reading, of
// which any non-empty prefix matches (initials, "zhangs"); the other
// alternative is the folded rune itself and matches only whole.
const (
	altReading = 0x80
	altLenMask = 0x7f
	maxUnitLen = 0xff
)

// analyzer turns a name into the strings and masks that matching and
// sorting need. Its buffers are reused from name to name.
type analyzer struct {
	hay   []byte // folded name without ignored runes
	units []byte // encoded match units
	key   []byte // primary syllables separated by keySep, for pinyin order
	full  []byte // primary readings run together, for Pinyin
	inits []byte // first letters of the primary readings, for Pinyin

	letters  uint32 // letters occurring in any alternative
	initials uint32 // first letters of any alternative
	runes    uint64 // hashed non-letter runes of the name

	latin bool // the previous unit was ASCII, so key continues its syllable

	cache map[rune][]string // readings seen by this analyzer, without locking
}

// keySep separates syllables in sort keys so that pinyin order compares
// syllable by syllable (zhan gu before zhang).
const keySep = 0x01

// analyze resets a and analyses name.
func (a *analyzer) analyze(name string) {
	a.reset()
	first, second := surnameExtras(name)
	i := 0
	for _, r := range name {
		if r = fold(r); r < 0 {
			continue
		}
		switch i {
		case 0:
			a.add(r, first)
		case 1:
			a.add(r, second)
		default:
			a.add(r, nil)
		}
		i++
	}
}

func (a *analyzer) reset() {
	*a = analyzer{hay: a.hay[:0], units: a.units[:0], key: a.key[:0],
		full: a.full[:0], inits: a.inits[:0], cache: a.cache}
}

// readings returns the readings of r, from the analyzer's own cache if it
// can.
func (a *analyzer) readings(r rune) []string {
	rs, ok := a.cache[r]
	if !ok {
		if a.cache == nil {
			a.cache = make(map[rune][]string)
		}
		rs = readings(r)
		a.cache[r] = rs
	}
	return rs
}

// surnameExtras returns the family-name readings of the first two kept runes
// of name, which come before their dictionary readings.
func surnameExtras(name string) (first, second []string) {
	var rs [2]rune
	n := 0
	for _, r := range name {
		if r = fold(r); r >= 0 {
			rs[n] = r
			if n++; n == 2 {
				break
			}
		}
	}
	if c, ok := compoundSurnames[string(rs[:n])]; ok {
		return c[:1], c[1:]
	}
	return surnameReadings[rs[0]], nil
}

// add appends one kept rune; extra are readings that take precedence.
func (a *analyzer) add(r rune, extra []string) {
	a.hay = utf8.AppendRune(a.hay, r)
	if r < utf8.RuneSelf {
		a.addASCII(byte(r))
		return
	}
	a.runes |= runeBit(r)
	rs := a.readings(r)
	a.addUnit(r, extra, rs)
	switch {
	case len(extra) > 0:
		a.syllable(extra[0])
	case len(rs) > 0:
		a.syllable(rs[0])
	default:
		a.nextSyllable()
		a.key = utf8.AppendRune(a.key, r)
	}
}

// addUnit appends the match unit of a non-ASCII rune: the rune itself,
// then its family-name readings extra, then its other readings rs.
func (a *analyzer) addUnit(r rune, extra, rs []string) {
	start := len(a.units)
	a.units = utf8.AppendRune(append(a.units, 0, 0), r)
	a.units[start+1] = byte(len(a.units) - start - 2)
	for _, s := range extra {
		a.addReading(start, s)
	}
	for _, s := range rs {
		if !contains(extra, s) {
			a.addReading(start, s)
		}
	}
	a.units[start] = byte(len(a.units) - start - 1)
}

// addReading appends reading s to the unit that starts at start.
func (a *analyzer) addReading(start int, s string) {
	if len(s) == 0 || len(a.units)-start+len(s) > maxUnitLen {
		return
	}
	a.units = append(append(a.units, byte(len(s))|altReading), s...)
	a.initials |= letterBit(s[0])
	for i := 0; i < len(s); i++ {
		a.letters |= letterBit(s[i])
	}
}

// addASCII appends a letter or digit, a unit of its own.
func (a *analyzer) addASCII(c byte) {
	a.units = append(a.units, 2, 1, c)
	if isLetter(c) {
		a.letters |= letterBit(c)
		a.initials |= letterBit(c)
	} else {
		a.runes |= runeBit(rune(c))
	}
	if !a.latin {
		a.nextSyllable()
	}
	a.key = append(a.key, c)
	a.full = append(a.full, c)
	a.inits = append(a.inits, c)
	a.latin = true
}

// syllable records the primary reading of a Han unit.
func (a *analyzer) syllable(s string) {
	a.nextSyllable()
	a.key = append(a.key, s...)
	a.full = append(a.full, s...)
	a.inits = append(a.inits, s[0])
}

func (a *analyzer) nextSyllable() {
	if len(a.key) > 0 {
		a.key = append(a.key, keySep)
	}
	a.latin = false
}

// letterBit is the mask bit of an ASCII lower-case letter, 0 for others.
func letterBit(c byte) uint32 {
	if !isLetter(c) {
		return 0
	}
	return 1 << (c - 'a')
}

// runeBit hashes a rune to one of 64 mask bits.
func runeBit(r rune) uint64 {
	return 1 << ((uint32(r) * 2654435761) >> 26)
}
