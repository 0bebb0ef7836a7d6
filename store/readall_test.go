package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"path/filepath"
	"reflect"
	"testing"
	"time"
)

// stepClock is a settable clock for tests of "as of" reads.
type stepClock struct{ t time.Time }

func (c *stepClock) now() time.Time { return c.t }

func TestLoadAllGroupsKinds(t *testing.T) {
	s := newTestStore(t)
	p := mustPut(t, s, KindPerson, "", map[string]string{"name": "张三", "id_number": idWithCheck("52010219900101123")})
	mustPut(t, s, KindDrugTest, "", map[string]string{"person": p, "date": "2026-10-01", "sample": "urine", "result": "negative"})
	gone := mustPut(t, s, KindDrugTest, "", map[string]string{"person": p, "date": "2026-10-02", "sample": "urine", "result": "negative"})
	if err := s.Archive(context.Background(), gone); err != nil {
		t.Fatal(err)
	}
	got, err := s.LoadAll(context.Background(), KindPerson, KindDrugTest)
	if err != nil {
		t.Fatal(err)
	}
	if len(got[KindPerson]) != 1 || len(got[KindDrugTest]) != 1 || len(got[KindAccount]) != 0 {
		t.Fatalf("got %d persons, %d tests, %d accounts", len(got[KindPerson]), len(got[KindDrugTest]), len(got[KindAccount]))
	}
	if got[KindDrugTest][0].Get("date") != "2026-10-01" || got[KindDrugTest][0].PersonID != p {
		t.Fatalf("test %+v", got[KindDrugTest][0])
	}
}

func TestRecordsAsOfIgnoresLaterEdits(t *testing.T) {
	defer func(n int) { eachBatch = n }(eachBatch)
	eachBatch = 2 // replay across decryption batches
	clk := &stepClock{time.Date(2026, 10, 10, 2, 0, 0, 0, time.UTC)}
	s := newTestStoreAt(t, filepath.Join(t.TempDir(), "s.db"), clk.now)
	ctx := context.Background()
	p := mustPut(t, s, KindPerson, "", map[string]string{"name": "张三", "id_number": idWithCheck("52010219900101123"), "risk": "low"})
	test := mustPut(t, s, KindDrugTest, "", map[string]string{"person": p, "date": "2026-10-05", "sample": "urine", "result": "negative"})
	monthEnd := time.Date(2026, 10, 31, 16, 0, 0, 0, time.UTC).Add(-time.Millisecond) // Oct 31 23:59:59.999 CST

	clk.t = time.Date(2026, 11, 2, 1, 0, 0, 0, time.UTC)
	mustPut(t, s, KindPerson, p, map[string]string{"risk": "high"})
	mustPut(t, s, KindDrugTest, test, map[string]string{"result": "positive"})
	late := mustPut(t, s, KindDrugTest, "", map[string]string{"person": p, "date": "2026-10-30", "sample": "urine", "result": "negative"})
	if err := s.Archive(ctx, test); err != nil {
		t.Fatal(err)
	}

	snap, err := s.RecordsAsOf(ctx, monthEnd, KindPerson, KindDrugTest)
	if err != nil {
		t.Fatal(err)
	}
	if len(snap[KindPerson]) != 1 || snap[KindPerson][0].Get("risk") != "low" {
		t.Fatalf("person as of October: %+v", snap[KindPerson])
	}
	if len(snap[KindDrugTest]) != 1 || snap[KindDrugTest][0].Get("result") != "negative" || snap[KindDrugTest][0].ID != test {
		t.Fatalf("tests as of October: %+v", snap[KindDrugTest])
	}
	now, err := s.RecordsAsOf(ctx, clk.t, KindDrugTest)
	if err != nil {
		t.Fatal(err)
	}
	if len(now[KindDrugTest]) != 1 || now[KindDrugTest][0].ID != late {
		t.Fatalf("tests now: %+v", now[KindDrugTest])
	}
}

func TestEachRecordAcrossBatches(t *testing.T) {
	defer func(n int) { eachBatch = n }(eachBatch)
	eachBatch = 3
	s := newTestStore(t)
	p := mustPut(t, s, KindPerson, "", map[string]string{"name": "张三", "id_number": idWithCheck("52010219900101123")})
	for i := range 7 {
		mustPut(t, s, KindVisit, "", map[string]string{"person": p, "date": fmt.Sprintf("2026-10-%02d", i+1), "visitor_kind": "staff", "mode": "home"})
	}
	var dates []string
	err := s.EachRecord(context.Background(), []Kind{KindVisit}, func(r *Record) error {
		dates = append(dates, r.Get("date"))
		return nil
	})
	if err != nil || len(dates) != 7 || dates[0] != "2026-10-01" || dates[6] != "2026-10-07" {
		t.Fatalf("got %v, %v", dates, err)
	}
	stop := errors.New("stop")
	n := 0
	if err := s.EachRecord(context.Background(), []Kind{KindVisit}, func(*Record) error { n++; return stop }); !errors.Is(err, stop) || n != 1 {
		t.Fatalf("stop: %v after %d", err, n)
	}
}

// FuzzDecodeFields: the fast path agrees with encoding/json on every input
// it accepts, and on every map json.Marshal writes, over bytes and strings.
func FuzzDecodeFields(f *testing.F) {
	for _, seed := range []string{`{}`, `{"name":"张三","date":"2026-10-01"}`, `{"notes":"a\nb"}`, `{"a":"<&>"}`,
		`{"a":"b",}`, `{"a":"b"} `, `{"a" :"b"}`, `{"a":"b","a":"c"}`, "{\"a\":\"\xff\"}"} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		var want map[string]string
		wantErr := json.Unmarshal(b, &want)
		got, ok := plainJSON(b)
		if ok && (wantErr != nil || !reflect.DeepEqual(got, want)) {
			t.Fatalf("%q: fast %v, json %v (%v)", b, got, want, wantErr)
		}
		// The merge reads strings: the same splitter must agree on them.
		if gotS, okS := plainJSON(string(b)); okS != ok || !reflect.DeepEqual(gotS, got) {
			t.Fatalf("%q: over bytes %v %v, over a string %v %v", b, got, ok, gotS, okS)
		}
		if wantErr != nil {
			return
		}
		// Whatever json accepted, re-marshalled, must decode the same.
		again, _ := json.Marshal(want)
		got, err := decodeFields(again)
		if err != nil || !reflect.DeepEqual(got, want) {
			t.Fatalf("%s: %v %v", again, got, err)
		}
	})
}
