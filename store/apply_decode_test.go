package store

import (
	"encoding/json"
	"reflect"
	"testing"
)

// The merge decodes stored records with its own reader of plain objects;
// whatever the stored text, it must read what encoding/json reads.
func TestDecodeObjectReadsWhatJSONReads(t *testing.T) {
	for _, s := range []string{
		`{}`, `null`, `{"name":"张三","phone":"13800000001"}`, `{"a":"1","a":"2"}`, `{"a":""}`,
		`{"notes":"line\nbreak"}`, `{"q":"say \"hi\""}`, `{"u":"\u5f20"}`, `{"bad":"` + "\xff" + `"}`,
		`{"emoji":"😀","mixed":"a·b"}`, `{ "spaced" : "x" }`, `{"a":"1",}`, `{"a":1}`, `{"a":"1"}x`,
		`[]`, `{"a":"1"`, `{"p":"0001795947879214-000000@dev-a","r":"0001795947879215-000001@dev-b"}`,
	} {
		var want map[string]string
		wantErr := json.Unmarshal([]byte(s), &want)
		got, err := decodeObject(s)
		if (err != nil) != (wantErr != nil) || err == nil && !reflect.DeepEqual(got, want) {
			t.Errorf("decodeObject(%q) = %v, %v; encoding/json: %v, %v", s, got, err, want, wantErr)
		}
	}
}

func FuzzDecodeObject(f *testing.F) {
	f.Add(`{"name":"张三","phone":"13800000001"}`)
	f.Add(`{"notes":"a\"b"}`)
	f.Fuzz(func(t *testing.T, s string) {
		var want map[string]string
		wantErr := json.Unmarshal([]byte(s), &want)
		got, err := decodeObject(s)
		if (err != nil) != (wantErr != nil) || err == nil && !reflect.DeepEqual(got, want) {
			t.Fatalf("decodeObject(%q) = %v, %v; encoding/json: %v, %v", s, got, err, want, wantErr)
		}
	})
}
