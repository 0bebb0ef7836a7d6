package wire

import (
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"strings"
	"testing"

	"rehabdesk/store"
)

// gzipEnvelope wraps plain JSON in an envelope of type t.
func gzipEnvelope(t *testing.T, typ Type, plain string) []byte {
	t.Helper()
	var buf bytes.Buffer
	buf.WriteString(Magic)
	buf.Write([]byte{Version, byte(typ)})
	zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	zw.Write([]byte(plain))
	zw.Close()
	return buf.Bytes()
}

// fullPushPage is the biggest page an honest device sends: MaxPushPage
// person changes that set every field of a person, each field with two
// base versions (a merge of two edits).
func fullPushPage() []*store.Change {
	var out []*store.Change
	for i := range MaxPushPage {
		c := &store.Change{HLC: store.HLC{Wall: 1764400000000 + int64(i)}, Device: "dev", Kind: store.KindPerson,
			EntityID: fmt.Sprintf("p%d", i), Township: "520102016", User: "officer",
			Fields: map[string]string{}, Bases: map[string][]string{}}
		c.PersonID = c.EntityID
		for _, f := range store.SpecOf(store.KindPerson).Fields {
			c.Fields[f.Name] = "值" + f.Name
			c.Bases[f.Name] = []string{
				store.Version{HLC: store.HLC{Wall: 1764300000000}, Device: "dev"}.String(),
				store.Version{HLC: store.HLC{Wall: 1764300000001}, Device: "other"}.String()}
		}
		out = append(out, c)
	}
	return out
}

func TestAFullHonestPushPageFitsItsLimits(t *testing.T) {
	data, err := Marshal(TypePushRequest, PushRequest{Changes: EncodeChanges(fullPushPage())})
	if err != nil {
		t.Fatal(err)
	}
	var req PushRequest
	if err := Unmarshal(data, TypePushRequest, &req); err != nil {
		t.Fatalf("a full honest push page is refused: %v", err)
	}
	if cs, err := req.Changes.Changes(); err != nil || len(cs) != MaxPushPage {
		t.Fatalf("%d changes: %v", len(cs), err)
	}
}

// Each request is refused once it holds more values, or inflates to more
// bytes, than its type allows, before anything is decoded; the same
// message within the bounds is read.
func TestRequestsPastTheirLimitsAreRefused(t *testing.T) {
	zeros := func(n int) string { return `{"changes":{"w":[` + strings.Repeat("0,", n-1) + `0]}}` }
	code := func(n int) string { return `{"code":"` + strings.Repeat("A", n) + `"}` }
	cases := []struct {
		name  string
		typ   Type
		plain string
		want  error
	}{
		{"push array within bound", TypePushRequest, zeros(1000), nil},
		{"push array of too many values", TypePushRequest, zeros(LimitOf(TypePushRequest).Values + 1), ErrTooLarge},
		{"enroll code of 1 KB", TypeEnrollRequest, code(1 << 10), nil},
		{"enroll code of 64 KB", TypeEnrollRequest, code(64 << 10), ErrTooLarge},
		{"blob have of 3000 hashes", TypeBlobHave, `{"hashes":[` + strings.Repeat(`"",`, 3000) + `""]}`, ErrTooLarge},
	}
	for _, c := range cases {
		var v map[string]any
		err := Unmarshal(gzipEnvelope(t, c.typ, c.plain), c.typ, &v)
		if (c.want == nil && err != nil) || (c.want != nil && !errors.Is(err, c.want)) {
			t.Errorf("%s: got %v, want %v", c.name, err, c.want)
		}
	}
}

// Commas, brackets and braces inside strings are text, not values: a
// field value full of them is not counted against the bound.
func TestValuesInsideStringsAreNotCounted(t *testing.T) {
	text := strings.Repeat(`a,[{\"\\,`, 100)
	vc := valueCounter{max: 4}
	if err := vc.count([]byte(`{"a":"` + text + `","b":[1,2]}`)); err != nil {
		t.Fatalf("string contents counted: %v", err)
	}
	if vc.n != 4 { // the object, its comma, the array, its comma
		t.Fatalf("counted %d, want 4", vc.n)
	}
	vc = valueCounter{max: 4}
	if err := vc.count([]byte(`{"a":"x","b":[1,2,3]}`)); !errors.Is(err, ErrTooLarge) {
		t.Fatalf("5 counted within 4: %v", err)
	}
}
