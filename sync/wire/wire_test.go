package wire

import (
	"bytes"
	"compress/gzip"
	"encoding/base64"
	"encoding/json"
	"errors"
	"math/rand/v2"
	"reflect"
	"slices"
	"testing"

	"github.com/google/uuid"

	"rehabdesk/store"
)

func sampleChanges() []*store.Change {
	dev := "0192a1b2-0000-7000-8000-000000000001"
	p := "0192a1b2-0000-7000-8000-0000000000aa"
	return []*store.Change{
		{HLC: store.HLC{Wall: 1764400000000}, Device: dev, Kind: store.KindPerson, EntityID: p, Township: "520102016",
			PersonID: p, User: "officer", Fields: map[string]string{"name": "张三", "id_number": "520102199001011234",
				"birth_date": "1990-01-01", "sex": "male"}, Bases: map[string][]string{}},
		{HLC: store.HLC{Wall: 1764400000000, Counter: 1}, Device: dev, Kind: store.KindVisit,
			EntityID: "0192a1b2-0000-7000-8000-0000000000bb", Township: "520102016", PersonID: p, User: "officer",
			Fields: map[string]string{"person": p, "notes": "入户"}, Bases: map[string][]string{}},
		{HLC: store.HLC{Wall: 1764400005000}, Device: "other", Kind: store.KindPerson, EntityID: p, Township: "520102016",
			PersonID: p, Fields: map[string]string{"name": "张叁"},
			Bases: map[string][]string{"name": {"1764400000000.000000@" + dev}}},
		{HLC: store.HLC{Wall: 1764300000000}, Device: dev, Kind: store.KindStaff, EntityID: "s1", Township: "520102016",
			Fields: map[string]string{"name": "李四"}, Bases: map[string][]string{}},
		{HLC: store.HLC{Wall: 1764300000001}, Device: dev, Kind: store.KindVisit, EntityID: "v2", Township: "520102016",
			PersonID: "elsewhere", Fields: map[string]string{"notes": ""}, Bases: map[string][]string{}},
		{HLC: store.HLC{Wall: 1764300000002}, Device: dev, Kind: store.KindPerson, EntityID: p, Township: "520102016",
			PersonID: p, Fields: map[string]string{"_archived": "1"},
			Bases: map[string][]string{"_archived": {"weird-base"}, store.BaseSeen: {"1764300000000.000000@x=name,phone"}}},
	}
}

func TestBatchRoundTrip(t *testing.T) {
	in := sampleChanges()
	data, err := Marshal(TypePushRequest, PushRequest{Changes: EncodeChanges(in)})
	if err != nil {
		t.Fatal(err)
	}
	var req PushRequest
	if err := Unmarshal(data, TypePushRequest, &req); err != nil {
		t.Fatal(err)
	}
	out, err := req.Changes.Changes()
	if err != nil {
		t.Fatal(err)
	}
	for i := range in {
		in[i].Bases = nonNil(in[i].Bases)
		if !reflect.DeepEqual(in[i], out[i]) {
			t.Errorf("change %d:\n got %+v\nwant %+v", i, out[i], in[i])
		}
	}
}

func nonNil(m map[string][]string) map[string][]string {
	if m == nil {
		return map[string][]string{}
	}
	return m
}

func TestImpliedValuesAreLeftOutOnlyWhenExact(t *testing.T) {
	base := "1764400000000.000000@d"
	mk := func(sex string, bases map[string][]string) *store.Change {
		return &store.Change{HLC: store.HLC{Wall: 1764400000001}, Device: "d", Kind: store.KindPerson, EntityID: "p", PersonID: "p",
			Fields: map[string]string{"id_number": "52010219900101123X", "birth_date": "1990-01-01", "sex": sex}, Bases: bases}
	}
	same := map[string][]string{"id_number": {base}, "birth_date": {base}, "sex": {base}}
	cases := []struct {
		c       *store.Change
		implied bool
	}{
		{mk("male", same), true},                                      // 17th digit 3: male
		{mk("male", same), false},                                     // changed below to an even 17th digit
		{mk("male", map[string][]string{"id_number": {base}}), false}, // bases differ
	}
	cases[1].c.Fields["id_number"] = "52010219900101124X"
	for i, tc := range cases {
		b := EncodeChanges([]*store.Change{tc.c})
		if (len(b.Impl) == 1 && len(b.Impl[0]) == 1) != tc.implied {
			t.Errorf("case %d: implied %v", i, b.Impl)
		}
		out, err := b.Changes()
		if err != nil || !reflect.DeepEqual(out[0], tc.c) {
			t.Errorf("case %d: round trip %+v, %v", i, out, err)
		}
	}
}

func changesOf(ids []string) []*store.Change {
	var out []*store.Change
	for _, id := range ids {
		out = append(out, &store.Change{HLC: store.HLC{Wall: 1764400000000}, Device: "d", Kind: store.KindPerson,
			EntityID: id, PersonID: id, Township: "520102016", Fields: map[string]string{"name": "x"}, Bases: map[string][]string{}})
	}
	return out
}

func roundTrip(t *testing.T, in []*store.Change) *Batch {
	t.Helper()
	b := EncodeChanges(in)
	data, err := Marshal(TypePullReply, PullReply{Changes: b})
	if err != nil {
		t.Fatal(err)
	}
	var rep PullReply
	if err := Unmarshal(data, TypePullReply, &rep); err != nil {
		t.Fatal(err)
	}
	out, err := rep.Changes.Changes()
	if err != nil {
		t.Fatal(err)
	}
	for i := range in {
		if !reflect.DeepEqual(in[i], out[i]) {
			t.Fatalf("change %d: %+v != %+v", i, out[i], in[i])
		}
	}
	return b
}

// run makes n version-7 ids the way store/ids.go does: one random start,
// then random steps of 1..2^24, the timestamp moving now and then.
func run(r *rand.Rand, n int) []string {
	ts := int64(1764400000000 + r.IntN(1000))
	c := counter{hi: int64(r.IntN(hiMax >> 1)), lo: r.Int64N(loMask)}
	var out []string
	for range n {
		out = append(out, v7(ts, c).String())
		ts += int64(r.IntN(3) / 2)
		c, _ = c.plus(1 + r.Int64N(1<<24))
	}
	return out
}

func TestSequentialIDsTravelAsSmallSteps(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	ids := run(r, 1000)
	b := roundTrip(t, changesOf(ids))
	raw, _ := base64.RawStdEncoding.DecodeString(b.R)
	if len(raw) != 10 {
		t.Fatalf("%d bytes of whole ids for one run, want only the first id's 10 (it has no predecessor)", len(raw))
	}
	js, _ := json.Marshal(b.packedIDs)
	if per := float64(gzLen(js)) / 1000; per > 4.5 {
		t.Fatalf("a run's ids cost %.1f bytes each gzipped", per)
	}
}

func gzLen(b []byte) int {
	var buf bytes.Buffer
	w, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	w.Write(b)
	w.Close()
	return buf.Len()
}

func TestAnyCanonicalUUIDsRoundTrip(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	var ids []string
	for range 50 {
		switch r.IntN(5) {
		case 0: // random v7 of an older database
			ids = append(ids, uuid.Must(uuid.NewV7()).String())
		case 1: // not version 7
			ids = append(ids, uuid.New().String())
		case 2: // the same record again
			if len(ids) > 0 {
				ids = append(ids, ids[r.IntN(len(ids))])
			}
		case 3: // a run, maybe going back in time from the last id
			ids = append(ids, run(r, 1+r.IntN(20))...)
		case 4: // a run reversed: steps down
			rs := run(r, 1+r.IntN(5))
			slices.Reverse(rs)
			ids = append(ids, rs...)
		}
	}
	// counters at the edges of their 12+62 bits
	ids = append(ids, v7(1, counter{0, 0}).String(), v7(1, counter{0, loMask}).String(),
		v7(1, counter{1, 0}).String(), v7(1<<48-1, counter{hiMax, loMask}).String())
	roundTrip(t, changesOf(ids))
	mixed := append(slices.Clone(ids), "s1") // not a UUID: the ids go as text
	if b := roundTrip(t, changesOf(mixed)); b.S != nil || b.Ent == nil {
		t.Fatal("ids that are not all UUIDs must go as text")
	}
}

func TestDamagedPackedIDsAreRefused(t *testing.T) {
	low := []string{v7(1764400000000, counter{0, 5}).String(), v7(1764400000000, counter{0, 9}).String()}
	ids := append(append(low, run(rand.New(rand.NewPCG(5, 6)), 5)...), uuid.New().String())
	mutations := map[string]func(b *Batch){
		"raw cut":       func(b *Batch) { b.R = b.R[:len(b.R)-4] },
		"raw extra":     func(b *Batch) { b.R += "AAAAAAAAAAAAAA" },
		"step column":   func(b *Batch) { b.S = b.S[:3] },
		"time column":   func(b *Batch) { b.T = append(b.T, 0) },
		"huge step":     func(b *Batch) { b.S[2] = 1 << 60 },
		"counter under": func(b *Batch) { b.S[1] = -6 }, // 5 - 6 < 0
		"time garbage":  func(b *Batch) { b.T[1] = 1 << 62 },
		"also as text":  func(b *Batch) { b.Ent = ids },
		"not base64":    func(b *Batch) { b.R = "!!" + b.R[2:] },
	}
	for name, mutate := range mutations {
		b := EncodeChanges(changesOf(ids))
		mutate(b)
		if _, err := b.Changes(); !errors.Is(err, ErrMalformed) {
			t.Errorf("%s: got %v", name, err)
		}
	}
}

func TestBadEnvelopesAreRefused(t *testing.T) {
	good, err := Marshal(TypePushRequest, PushRequest{Changes: EncodeChanges(sampleChanges())})
	if err != nil {
		t.Fatal(err)
	}
	garbled := bytes.Clone(good)
	garbled[len(garbled)/2] ^= 0x55
	cases := map[string]struct {
		data []byte
		want error
	}{
		"truncated":     {good[:len(good)-9], ErrMalformed},
		"garbled":       {garbled, ErrMalformed},
		"trailing":      {append(bytes.Clone(good), 0, 1, 2), ErrMalformed},
		"empty":         {nil, ErrMalformed},
		"not ours":      {[]byte("GET / HTTP/1.1\r\n\r\n"), ErrMalformed},
		"newer version": {append([]byte(Magic), 9, byte(TypePushRequest)), ErrVersion},
		"older version": {asVersion(good, 1), ErrVersion}, // ids packed as version 1 did
		"oversized":     {make([]byte, MaxMessage+1), ErrTooLarge},
	}
	for name, c := range cases {
		var req PushRequest
		err := Unmarshal(c.data, TypePushRequest, &req)
		if !errors.Is(err, c.want) {
			t.Errorf("%s: got %v, want %v", name, err, c.want)
		}
	}
	var rep PushReply
	if err := Unmarshal(good, TypePushReply, &rep); !errors.Is(err, ErrMalformed) {
		t.Errorf("wrong type accepted: %v", err)
	}
}

func TestBatchWithBadIndexesIsRefused(t *testing.T) {
	mutations := map[string]func(b *Batch){
		"short column":   func(b *Batch) { b.Dev = b.Dev[:1] },
		"string index":   func(b *Batch) { b.Kind[0] = 99 },
		"person forward": func(b *Batch) { b.Per[1] = 3 },
		"ref forward":    func(b *Batch) { b.Cols[len(b.Cols)-1].Refs = []int{9} },
		"field count":    func(b *Batch) { b.NF[0] = 50 },
		"extra value":    func(b *Batch) { b.Cols[0].Vals = append(b.Cols[0].Vals, "x") },
		"clock garbage":  func(b *Batch) { b.Wall[0] = -5 },
		"base count":     func(b *Batch) { b.NB[0] = 3 },
		"implied":        func(b *Batch) { b.Impl = [][]int{{2}} }, // change 1, a visit: no ID number
		"implied past":   func(b *Batch) { b.Impl = [][]int{{1, 99}} },
		"implied back":   func(b *Batch) { b.Impl = [][]int{{1, 0}} },
		"implied twice":  func(b *Batch) { b.Impl = [][]int{{1}, {1}} }, // change 0 has no start date
		"unknown rule":   func(b *Batch) { b.Impl = [][]int{{1}, nil, {3}} },
	}
	for name, mutate := range mutations {
		b := EncodeChanges(sampleChanges())
		mutate(b)
		if _, err := b.Changes(); !errors.Is(err, ErrMalformed) {
			t.Errorf("%s: got %v", name, err)
		}
	}
}

func asVersion(msg []byte, v byte) []byte {
	out := bytes.Clone(msg)
	out[len(Magic)] = v
	return out
}

func TestRefusalsAreReadAcrossVersions(t *testing.T) {
	data, err := Marshal(TypeError, ErrorReply{Code: CodeVersion, Detail: "version 1"})
	if err != nil {
		t.Fatal(err)
	}
	if data[len(Magic)] != 1 {
		t.Fatalf("a refusal is written as version %d: a version-1 peer could not read it", data[len(Magic)])
	}
	for _, v := range []byte{1, Version} {
		var er ErrorReply
		if err := Unmarshal(asVersion(data, v), TypeError, &er); err != nil || er.Code != CodeVersion {
			t.Fatalf("refusal of version %d: %+v, %v", v, er, err)
		}
	}
	var er ErrorReply
	if err := Unmarshal(asVersion(data, Version+1), TypeError, &er); !errors.Is(err, ErrVersion) {
		t.Fatalf("refusal of a future version: %v", err)
	}
}

func FuzzUnmarshalPush(f *testing.F) {
	good, err := Marshal(TypePushRequest, PushRequest{Changes: EncodeChanges(sampleChanges())})
	if err != nil {
		f.Fatal(err)
	}
	f.Add(good)
	f.Fuzz(func(t *testing.T, data []byte) {
		var req PushRequest
		if Unmarshal(data, TypePushRequest, &req) == nil {
			req.Changes.Changes() // must not panic
		}
	})
}

// FuzzBatchChanges feeds the decoder batches that parse as JSON, past the
// gzip CRC that stops most mutations of whole messages: packed ids,
// implied values and references must be refused, never panic.
func FuzzBatchChanges(f *testing.F) {
	ids := append(run(rand.New(rand.NewPCG(7, 8)), 6), uuid.New().String())
	measure := &store.Change{HLC: store.HLC{Wall: 1764400000000}, Device: "d", Kind: store.KindMeasure, EntityID: ids[1],
		PersonID: ids[0], Fields: map[string]string{"person": ids[0], "start_date": "2024-02-29", "planned_end": "2027-02-28"}}
	for _, in := range [][]*store.Change{sampleChanges(), append(changesOf(ids), measure)} {
		seed, err := json.Marshal(EncodeChanges(in))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var b Batch
		if json.Unmarshal(data, &b) == nil {
			b.Changes() // must not panic
		}
	})
}

func TestChunksTravelRawAfterTheMessage(t *testing.T) {
	chunk := []byte{0, 1, 2, 0xff, 'R', 'D'}
	data, err := Marshal(TypeBlobGetReply, BlobGetReply{Size: 6, Data: chunk})
	if err != nil {
		t.Fatal(err)
	}
	var rep BlobGetReply
	if err := Unmarshal(data, TypeBlobGetReply, &rep); err != nil || !bytes.Equal(rep.Data, chunk) || rep.Size != 6 {
		t.Fatalf("chunk %v size %d: %v", rep.Data, rep.Size, err)
	}
}
