package wire

import (
	"bytes"
	"errors"
	"reflect"
	"testing"

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
		if (len(b.Impl) == 1) != tc.implied {
			t.Errorf("case %d: implied %v", i, b.Impl)
		}
		out, err := b.Changes()
		if err != nil || !reflect.DeepEqual(out[0], tc.c) {
			t.Errorf("case %d: round trip %+v, %v", i, out, err)
		}
	}
}

func TestUUIDEntitiesArePacked(t *testing.T) {
	var in []*store.Change
	for _, id := range []string{"019ad0f2-6d2a-7c41-9b7e-2f1d3c4b5a69", "019ad0f2-6d2b-7001-8000-000000000000", "019ad0f2-6d2a-7c41-9b7e-2f1d3c4b5a69"} {
		in = append(in, &store.Change{HLC: store.HLC{Wall: 1764400000000}, Device: "d", Kind: store.KindPerson,
			EntityID: id, PersonID: id, Township: "520102016", Fields: map[string]string{"name": "x"}, Bases: map[string][]string{}})
	}
	b := EncodeChanges(in)
	if b.EntP == "" || b.Ent != nil {
		t.Fatal("uuids not packed")
	}
	out, err := b.Changes()
	if err != nil {
		t.Fatal(err)
	}
	for i := range in {
		if !reflect.DeepEqual(in[i], out[i]) {
			t.Fatalf("change %d: %+v != %+v", i, out[i], in[i])
		}
	}
	b = EncodeChanges(in)
	b.EntP = b.EntP[:len(b.EntP)-3]
	if _, err := b.Changes(); !errors.Is(err, ErrMalformed) {
		t.Fatalf("cut packed ids: %v", err)
	}
}

func TestBadEnvelopesAreRefused(t *testing.T) {
	good, _ := Marshal(TypePushRequest, PushRequest{Changes: EncodeChanges(sampleChanges())})
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
		"implied":        func(b *Batch) { b.Impl = []int{1} },
	}
	for name, mutate := range mutations {
		b := EncodeChanges(sampleChanges())
		mutate(b)
		if _, err := b.Changes(); !errors.Is(err, ErrMalformed) {
			t.Errorf("%s: got %v", name, err)
		}
	}
}

func TestSeal(t *testing.T) {
	key := TokenHash("tok")
	sealed := Seal([]byte("RDSY\x01\x0bhello"), key)
	msg, mac, err := SplitSealed(sealed)
	if err != nil || !CheckSeal(msg, mac, key) || CheckSeal(msg, mac, TokenHash("other")) {
		t.Fatal("seal does not verify as it should")
	}
}

func FuzzUnmarshalPush(f *testing.F) {
	good, _ := Marshal(TypePushRequest, PushRequest{Changes: EncodeChanges(sampleChanges())})
	f.Add(good)
	f.Fuzz(func(t *testing.T, data []byte) {
		var req PushRequest
		if Unmarshal(data, TypePushRequest, &req) == nil {
			req.Changes.Changes() // must not panic
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
