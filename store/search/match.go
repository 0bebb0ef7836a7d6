package search

import (
	mathbits "math/bits"
	"strings"
	"unicode/utf8"
)

// matcher is Query.Text compiled once per search.
type matcher struct {
	q      string // folded text without ignored runes
	idLike bool   // only digits and x, at least one digit: also an ID fragment
	plain  bool   // no letters, or too long: match the folded name literally

	// Necessary conditions for a name match, checked against the masks of
	// an entry before its strings are touched.
	letters uint32 // letters of q
	first   uint32 // bit of q's first byte when it is a letter
	runes   uint64 // hashed non-letter runes of q
}

// newMatcher compiles a query text.
func newMatcher(text string) matcher {
	var b []byte
	for _, r := range text {
		if r = fold(r); r >= 0 {
			b = utf8.AppendRune(b, r)
		}
	}
	m := matcher{q: string(b), plain: true}
	digits, others := 0, 0
	for _, r := range m.q {
		m.addRune(r)
		switch {
		case r >= '0' && r <= '9':
			digits++
		case r != 'x':
			others++
		}
	}
	m.idLike = digits > 0 && others == 0
	m.plain = m.plain || len(m.q) >= maxQuery
	if m.q != "" {
		m.first = letterBit(m.q[0])
	}
	return m
}

func (m *matcher) addRune(r rune) {
	if r < utf8.RuneSelf && isLetter(byte(r)) {
		m.letters |= letterBit(byte(r))
		m.plain = false
		return
	}
	m.runes |= runeBit(r)
}

// match reports whether the entry r, with hot record h, matches.
func (m *matcher) match(r *rec, h *hot) bool {
	if m.q == "" {
		return true
	}
	if m.idLike && strings.Contains(h.idKey, m.q) {
		return true
	}
	if h.letters&m.letters != m.letters || h.runes&m.runes != m.runes ||
		h.initials&m.first != m.first {
		return false
	}
	switch {
	case m.plain:
		return strings.Contains(r.hay, m.q)
	case len(m.q) == 1:
		return true // the initials mask has settled a single letter
	}
	return matchUnits(h.units, m.q)
}

// matchUnits reports whether q matches a run of consecutive units: each
// unit consumes its whole folded rune or a non-empty prefix of one of its
// readings, the run may start at any unit and q may end inside a reading.
// It tracks the set of positions in q reachable after each unit, so the cost
// stays polynomial however many readings share a prefix. len(q) < maxQuery.
func matchUnits(units, q string) bool {
	var reach posSet
	for off := 0; off < len(units); {
		next := off + 1 + int(units[off])
		alts := units[off+1 : next]
		reach.add(0)
		var to posSet
		for w, bits := range reach {
			for ; bits != 0; bits &= bits - 1 {
				if advance(alts, q, w<<6+mathbits.TrailingZeros64(bits), &to) {
					return true
				}
			}
		}
		reach, off = to, next
	}
	return false
}

// advance adds to to the positions of q reachable from position p through
// one unit with alternatives alts, and reports whether q can end in it.
func advance(alts, q string, p int, to *posSet) bool {
	rest := q[p:]
	for i := 0; i < len(alts); {
		n := int(alts[i] & altLenMask)
		alt, reading := alts[i+1:i+1+n], alts[i]&altReading != 0
		i += 1 + n
		if !reading {
			if strings.HasPrefix(rest, alt) {
				if n == len(rest) {
					return true
				}
				to.add(p + n)
			}
			continue
		}
		c := commonPrefix(alt, rest)
		if c == len(rest) {
			return true
		}
		for k := 1; k <= c; k++ {
			to.add(p + k)
		}
	}
	return false
}

// maxQuery bounds the length of a folded query matched against units;
// longer text only matches the folded name literally.
const maxQuery = 256

// posSet is a set of positions in a query.
type posSet [maxQuery / 64]uint64

func (s *posSet) add(i int) { s[i>>6] |= 1 << (i & 63) }

// commonPrefix returns the length of the common prefix of a and b.
func commonPrefix(a, b string) int {
	n := min(len(a), len(b))
	for i := 0; i < n; i++ {
		if a[i] != b[i] {
			return i
		}
	}
	return n
}
