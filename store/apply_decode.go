package store

// decodeObject is decodeFields for JSON held in a string. A merge decodes
// two objects per record it reads (fields and versions); plain ones are
// sliced out of one string instead of copying every key and value
// (plainJSON over a string converts its substrings without a copy).
func decodeObject(s string) (map[string]string, error) {
	if m, ok := plainJSON(s); ok {
		return m, nil
	}
	return decodeFields([]byte(s))
}
