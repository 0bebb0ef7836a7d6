package store

import "fmt"

// NormalizeField returns the stored form of one value typed into a field,
// or the *valid.Error Put would return for it, so the GUI can check each
// field as the officer types. Checks that need the whole record (required
// fields, date order, duplicate ID numbers) stay with Put.
func (s *Store) NormalizeField(kind Kind, field, raw string) (string, error) {
	spec := SpecOf(kind)
	if spec == nil {
		return "", fmt.Errorf("unknown kind %q", kind)
	}
	f, ok := spec.Field(field)
	if !ok {
		return "", fmt.Errorf("%s has no field %q", kind, field)
	}
	return s.normalize(f, raw)
}
