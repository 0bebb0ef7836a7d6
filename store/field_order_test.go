package store

import (
	"slices"
	"strings"
	"testing"

	"pgregory.net/rapid"
)

// fieldWord draws names and values with the versions column's separators,
// empty strings and invalid UTF-8 among them.
func fieldWord() *rapid.Generator[string] {
	text := rapid.SampledFrom([]string{"", "a", "b", "=", ",", ";", "{", "name", "1795964561748.000001@dev", "住址", "\xff"})
	return rapid.Custom(func(rt *rapid.T) string {
		return strings.Join(rapid.SliceOfN(text, 0, 3).Draw(rt, "parts"), "")
	})
}

// TestRememberedFieldOrderIsTheSortedOne: over a run of records of one
// kind, some with the same names as the one before and some not, the
// names sealing uses are those sorting would give, and so is the size.
func TestRememberedFieldOrderIsTheSortedOne(t *testing.T) {
	rapid.Check(t, func(rt *rapid.T) {
		kind := Kind("test-" + rapid.StringMatching(`[a-z]{1,3}`).Draw(rt, "kind"))
		base := map[string]string{}
		for _, f := range rapid.SliceOfN(fieldWord(), 0, 10).Draw(rt, "names") {
			base[f] = rapid.StringMatching(`[a-z张]{0,3}`).Draw(rt, "value")
		}
		for i := range rapid.IntRange(1, 6).Draw(rt, "records") {
			m := map[string]string{}
			for f := range base {
				m[f] = fieldWord().Draw(rt, "value")
			}
			if rapid.Bool().Draw(rt, "other names") {
				m[fieldWord().Draw(rt, "extra")] = "x"
			}
			want, wantSize, wantOK := sortedStrings(nil, m)
			got, size, ok := sortedFields(kind, m)
			if ok != wantOK || ok && (!slices.Equal(got, want) || size != wantSize) {
				rt.Fatalf("record %d %q: names %q size %d ok %v, sorted %q size %d ok %v", i, m, got, size, ok, want, wantSize, wantOK)
			}
		}
	})
}

// TestVersionsFromSortedNamesAsEncoded: writing a record's versions from
// its sorted field names gives the column encodeVersions gives, whether
// the fields share one version or not.
func TestVersionsFromSortedNamesAsEncoded(t *testing.T) {
	rapid.Check(t, func(rt *rapid.T) {
		// Mostly well-formed versions and names, as records have, so that
		// fields sharing one version and fields with two both come up.
		clean := rapid.SampledFrom([]string{"1795964561748.000001@dev", "1795964561749.000000@dev2"})
		version := rapid.OneOf(clean, clean, clean, fieldWord())
		cleanName := rapid.SampledFrom([]string{"name", "phone", "住址", "risk"})
		name := rapid.OneOf(cleanName, cleanName, cleanName, fieldWord())
		versions := rapid.SliceOfN(version, 1, 2).Draw(rt, "versions")
		v := map[string]string{}
		for _, f := range rapid.SliceOfN(name, 0, 12).Draw(rt, "fields") {
			v[f] = rapid.SampledFrom(versions).Draw(rt, "version")
		}
		names, _, ok := sortedStrings(nil, v)
		if !ok {
			names = nil // fieldsBuf passes no names when encoding/json encoded the fields
		}
		want, werr := encodeVersions(v)
		got, err := versionsOf(names, v)
		if got != want || (err == nil) != (werr == nil) {
			rt.Fatalf("%q: %q (%v), encodeVersions %q (%v)", v, got, err, want, werr)
		}
	})
}

func TestVersionsFromSortedNamesCases(t *testing.T) {
	const v1, v2 = "1795964561748.000001@dev", "1795964561749.000000@dev2"
	for _, v := range []map[string]string{
		{"name": v1, "phone": v1, "住址": v1},
		{"name": v1, "phone": v2},
		{"name": v2, "phone": v1, "risk": v1},
		{"a=b": v1, "phone": v1},
		{"name": "x,y", "phone": "x,y"},
		{"name": "{x", "phone": "{x"},
		{"": v1, "phone": v1},
	} {
		names, _, _ := sortedStrings(nil, v)
		want, err := encodeVersions(v)
		if err != nil {
			t.Fatal(err)
		}
		if got, err := versionsOf(names, v); got != want || err != nil {
			t.Errorf("%q: %q (%v), encodeVersions %q", v, got, err, want)
		}
	}
}
