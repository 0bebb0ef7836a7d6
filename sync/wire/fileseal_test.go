package wire

import (
	"bytes"
	"crypto/rand"
	"errors"
	"testing"
)

func newKey(t *testing.T) []byte {
	t.Helper()
	k := make([]byte, ExchangeKeyLen)
	rand.Read(k)
	return k
}

func TestSealedFileOpensOnlyWithItsKeyDirectionAndDevice(t *testing.T) {
	key, other := newKey(t), newKey(t)
	msg, err := Marshal(TypeFileRequest, FileRequest{ID: "r1", Device: "devA"})
	if err != nil {
		t.Fatal(err)
	}
	file, err := SealFile(key, FileToServer, "devA", msg)
	if err != nil {
		t.Fatal(err)
	}
	if dev, err := FileDevice(file); err != nil || dev != "devA" {
		t.Fatalf("device %q, %v", dev, err)
	}
	got, err := OpenFile(key, FileToServer, file)
	if err != nil || !bytes.Equal(got, msg) {
		t.Fatalf("open: %v", err)
	}
	if bytes.Contains(file, msg[headerLen:]) || bytes.Contains(file, []byte(Magic)) {
		t.Fatal("the message shows through the seal")
	}
	renamed := bytes.Replace(bytes.Clone(file), []byte("devA"), []byte("devB"), 1)
	flipped := bytes.Clone(file)
	flipped[len(flipped)/2] ^= 1
	bad := map[string]struct {
		key  []byte
		dir  FileDirection
		data []byte
	}{
		"other key":        {other, FileToServer, file},
		"reply direction":  {key, FileToDevice, file},
		"other device":     {key, FileToServer, renamed},
		"one bit flipped":  {key, FileToServer, flipped},
		"truncated":        {key, FileToServer, file[:len(file)-1]},
		"header only":      {key, FileToServer, file[:10]},
		"empty":            {key, FileToServer, nil},
		"old unsealed":     {key, FileToServer, msg},
		"short key":        {key[:16], FileToServer, file},
		"trailing garbage": {key, FileToServer, append(bytes.Clone(file), 0)},
	}
	for name, c := range bad {
		if _, err := OpenFile(c.key, c.dir, c.data); !errors.Is(err, ErrBadFile) {
			t.Errorf("%s: %v, want ErrBadFile", name, err)
		}
	}
}

func FuzzOpenFile(f *testing.F) {
	key := make([]byte, ExchangeKeyLen)
	good, err := SealFile(key, FileToDevice, "dev", []byte("RDSY\x02\x0bhello"))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(good)
	f.Fuzz(func(t *testing.T, data []byte) {
		if msg, err := OpenFile(key, FileToDevice, data); err == nil && !bytes.Equal(data, good) {
			t.Fatalf("forged file opened: %q", msg)
		}
	})
}
