package store

import (
	"errors"
	"slices"
	"strings"
)

// The versions column of a record names, for each field, the version
// (hlc@device) of its current value. Written as a JSON object, the same
// 57-byte version was repeated for every field of a new record: 43 % of
// the bytes an import writes per person. Since migration 0011 it is
// written grouped by version instead,
//
//	version=field,field;version=field
//
// groups in version order, fields in name order, so that a new record
// holds its one version once. Rows written before keep their JSON object,
// which starts with '{' where a grouped text starts with a version's
// digits, and both are read. Names or versions containing one of the
// separators (only possible in a change from a broken or hostile peer)
// are written as JSON as before.

// encodeVersions returns the column text of a record's versions.
func encodeVersions(v map[string]string) (string, error) {
	if len(v) == 0 {
		return "{}", nil
	}
	if !groupable(v) {
		return stringsJSON(v)
	}
	var room [keysRoom]string
	var verRoom [4]string
	fields, versions, size := room[:0], verRoom[:0], 0
	for f, ver := range v {
		fields = append(fields, f)
		size += len(f) + 1
		if !slices.Contains(versions, ver) {
			versions = append(versions, ver)
			size += len(ver) + 2
		}
	}
	slices.Sort(fields)
	slices.Sort(versions)
	b := make([]byte, 0, size)
	for i, ver := range versions {
		if i > 0 {
			b = append(b, ';')
		}
		b = append(append(b, ver...), '=')
		first := true
		for _, f := range fields {
			if len(versions) > 1 && v[f] != ver {
				continue
			}
			if !first {
				b = append(b, ',')
			}
			b, first = append(b, f...), false
		}
	}
	return ownedString(b), nil
}

// groupable reports whether the grouped text can hold v: no name is empty
// and no name or version contains a separator or starts with '{'. Most
// versions are one string, checked once.
func groupable(v map[string]string) bool {
	checked := ""
	for f, ver := range v {
		if f == "" || hasSeparator(f) || ver != checked && (hasSeparator(ver) || strings.HasPrefix(ver, "{")) {
			return false
		}
		checked = ver
	}
	return true
}

func hasSeparator(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c == '=' || c == ',' || c == ';' {
			return true
		}
	}
	return false
}

// decodeVersions reads the column text written by encodeVersions or, in
// older rows, the JSON object. The map's strings are substrings of s.
func decodeVersions(s string) (map[string]string, error) {
	if s == "null" {
		return map[string]string{}, nil // a nil map written as JSON, read by encoding/json as empty
	}
	if strings.HasPrefix(s, "{") || s == "" {
		return decodeObject(s)
	}
	m := make(map[string]string, 16)
	for group := range strings.SplitSeq(s, ";") {
		ver, fields, ok := strings.Cut(group, "=")
		if !ok || fields == "" {
			return nil, errMalformedVersions
		}
		for f := range strings.SplitSeq(fields, ",") {
			if f == "" {
				return nil, errMalformedVersions
			}
			m[f] = ver
		}
	}
	return m, nil
}

// errMalformedVersions is a versions column in neither form.
var errMalformedVersions = errors.New("malformed versions")
