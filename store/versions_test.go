package store

import (
	"context"
	"maps"
	"strings"
	"testing"
	"unicode/utf8"

	"pgregory.net/rapid"
)

// TestVersionsRoundTrip: whatever a record's versions hold — one version,
// several, names or versions with the separators, empty strings, any
// bytes — the column reads back as the same map.
func TestVersionsRoundTrip(t *testing.T) {
	rapid.Check(t, func(rt *rapid.T) {
		text := rapid.SampledFrom([]string{"", "a", "=", ",", ";", "{", "name", "1795964561748.000001@dev", "住址", "\xff"})
		word := rapid.Custom(func(rt *rapid.T) string {
			return strings.Join(rapid.SliceOfN(text, 0, 3).Draw(rt, "parts"), "")
		})
		versions := rapid.SliceOfN(word, 1, 3).Draw(rt, "versions")
		v := map[string]string{}
		for _, f := range rapid.SliceOfN(word, 0, 12).Draw(rt, "fields") {
			v[f] = rapid.SampledFrom(versions).Draw(rt, "version")
		}
		col, err := encodeVersions(v)
		if err != nil {
			rt.Fatalf("encode %q: %v", v, err)
		}
		got, err := decodeVersions(col)
		if err != nil {
			rt.Fatalf("decode %q of %q: %v", col, v, err)
		}
		if !maps.Equal(got, v) && !(strings.HasPrefix(col, "{") && invalidUTF8(v)) {
			rt.Fatalf("%q → %q → %q", v, col, got)
		}
	})
}

// invalidUTF8 reports a map JSON cannot carry as it is (the fallback
// replaces bad bytes, as the JSON column always did).
func invalidUTF8(v map[string]string) bool {
	for f, ver := range v {
		if !utf8.ValidString(f) || !utf8.ValidString(ver) {
			return true
		}
	}
	return false
}

// TestNewRecordHoldsItsVersionOnce: a new person's fields share one
// version, which the column names once instead of once per field.
func TestNewRecordHoldsItsVersionOnce(t *testing.T) {
	s := newTestStore(t)
	id := newPerson(t, s, "张三", 1)
	var col string
	if err := s.db.QueryRow("SELECT versions FROM records WHERE id = ?", id).Scan(&col); err != nil {
		t.Fatal(err)
	}
	r := mustGet(t, s, id)
	version := r.Versions["name"]
	if version == "" || strings.Count(col, version) != 1 || strings.Contains(col, "{") {
		t.Fatalf("versions column %q: want the version %q once, grouped", col, version)
	}
	if len(r.Versions) < 3 {
		t.Fatalf("versions %v: want one per field", r.Versions)
	}
}

// TestVersionsWrittenAsJSONStillMerge: a database written before the
// grouped column keeps JSON objects in its rows; they are read, and a
// merge into such a row decides as it always did.
func TestVersionsWrittenAsJSONStillMerge(t *testing.T) {
	rs := newReplicas(t, 2)
	a, b := rs[0], rs[1]
	id := newPerson(t, a, "张三", 1)
	pull(t, b, a)
	ctx := context.Background()
	if _, err := a.Put(ctx, KindPerson, id, map[string]string{"phone": "13800138000"}); err != nil {
		t.Fatal(err)
	}
	before := mustGet(t, b, id).Versions
	old, err := stringsJSON(before)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := b.db.Exec("UPDATE records SET versions = ? WHERE id = ?", old, id); err != nil {
		t.Fatal(err)
	}
	if got := mustGet(t, b, id).Versions; !maps.Equal(got, before) {
		t.Fatalf("JSON column read as %v, want %v", got, before)
	}
	pull(t, b, a)
	r := mustGet(t, b, id)
	if r.Get("phone") != "13800138000" || r.Versions["phone"] == before["phone"] {
		t.Fatalf("merge into a JSON row: phone %q version %q", r.Get("phone"), r.Versions["phone"])
	}
	syncAll(t, a, b)
	assertSameRecords(t, a, b)
}

// TestEmptyVersions: a record without versions is written as "{}", and a
// column holding JSON null (a nil map, as older versions could write it)
// reads as empty, as encoding/json read it.
func TestEmptyVersions(t *testing.T) {
	for _, v := range []map[string]string{nil, {}} {
		if col, err := encodeVersions(v); col != "{}" || err != nil {
			t.Errorf("encodeVersions(%v) = %q, %v", v, col, err)
		}
	}
	if m, err := decodeVersions("null"); err != nil || len(m) != 0 {
		t.Errorf("decodeVersions(null) = %v, %v", m, err)
	}
}

// TestMalformedVersionsAreAnError: a column in neither form is reported,
// not read as an empty record.
func TestMalformedVersionsAreAnError(t *testing.T) {
	for _, col := range []string{"v1", "v1=", "v1=a,,b", "v1=a;", "{\"a\":"} {
		if _, err := decodeVersions(col); err == nil {
			t.Errorf("decodeVersions(%q): no error", col)
		}
	}
}

// FuzzDecodeVersions: any column text either is refused or reads as a map
// that writes back to a column reading the same.
func FuzzDecodeVersions(f *testing.F) {
	for _, s := range []string{"{}", "null", `{"a":"v1"}`, "v1=a,b;v2=c", "v1=", "=a", "v=a;v=b", "{"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		m, err := decodeVersions(s)
		if err != nil {
			return
		}
		col, err := encodeVersions(m)
		if err != nil {
			t.Fatalf("encode %q: %v", m, err)
		}
		again, err := decodeVersions(col)
		if err != nil || !maps.Equal(again, m) && !invalidUTF8(m) {
			t.Fatalf("%q → %q → %q → %q, %v", s, m, col, again, err)
		}
	})
}
