package store

import (
	"strings"
	"sync"
	"unicode/utf8"
)

// fieldOrders keeps, per kind, the sorted field names of the last record
// whose names had to be sorted. The records of a bulk import mostly have
// the same fields, and finding each remembered name in a record's map
// costs less than sorting its names again (sorting was a sixth of sealing
// a staged record). A stored slice is never modified.
var fieldOrders sync.Map // Kind → []string

// sortedFields is sortedStrings(nil, fields) for a record of the kind.
func sortedFields(kind Kind, fields map[string]string) (names []string, size int, ok bool) {
	if last, hit := fieldOrders.Load(kind); hit {
		if size, ok := sameNames(last.([]string), fields); ok {
			return last.([]string), size, true
		}
	}
	names, size, ok = sortedStrings(nil, fields)
	if ok && len(names) > 0 {
		fieldOrders.Store(kind, names)
	}
	return names, size, ok
}

// sameNames reports whether m has exactly the names (valid UTF-8, sorted)
// and only valid UTF-8 values, with the encoded size sortedStrings gives.
func sameNames(names []string, m map[string]string) (size int, ok bool) {
	if len(names) != len(m) {
		return 0, false
	}
	size = 2
	for _, k := range names {
		v, ok := m[k]
		if !ok || !utf8.ValidString(v) {
			return 0, false
		}
		size += len(k) + len(v) + 6
	}
	return size, true
}

// versionsOf is encodeVersions(v) for a record whose field names are
// names, sorted. When every field has one version, as a new record's
// fields have, the column is written from names without sorting them
// again; otherwise encodeVersions decides.
func versionsOf(names []string, v map[string]string) (string, error) {
	if len(names) == 0 || len(v) != len(names) {
		return encodeVersions(v)
	}
	ver := v[names[0]]
	if ver == "" || hasSeparator(ver) || strings.HasPrefix(ver, "{") {
		return encodeVersions(v)
	}
	size := len(ver) + 1
	for _, f := range names {
		if x, ok := v[f]; !ok || x != ver || f == "" || hasSeparator(f) {
			return encodeVersions(v)
		}
		size += len(f) + 1
	}
	b := append(make([]byte, 0, size), ver...)
	for i, f := range names {
		b = append(append(b, "=,"[min(i, 1)]), f...)
	}
	return ownedString(b), nil
}
