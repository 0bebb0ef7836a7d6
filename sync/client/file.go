package client

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"rehabdesk/store"
	"rehabdesk/sync/wire"
)

// ErrBadFile means a reply file cannot be used: damaged on the stick,
// truncated, empty, of the unsealed format of older versions, or made for
// another device. One message for all: the remedy is the same (exchange
// again), and nothing was changed.
var ErrBadFile = &Error{"bad_file", wire.ErrBadFile.Error()}

// ErrNoExchangeKey means the device was enrolled before exchange files were
// sealed and has not synced online since, so it holds no exchange key.
var ErrNoExchangeKey = &Error{"no_exchange_key", "this device has no exchange key yet: sync online once, or enroll again"}

// maxFileChanges bounds one request file; more waits for the next file.
const maxFileChanges = 200000

// WriteRequestFile writes, for a county office to run `countyd exchange`
// on, every pending local change and this device's pull cursor, sealed with
// the device's exchange key. It moves no cursor: only the reply does.
func WriteRequestFile(ctx context.Context, st *store.Store, path string) (int, error) {
	s, err := loadState(ctx, st)
	if err != nil {
		return 0, err
	}
	key, err := exchangeKey(ctx, st)
	if err != nil {
		return 0, err
	}
	changes, err := pendingChanges(ctx, st, s.Push)
	if err != nil {
		return 0, err
	}
	req := wire.FileRequest{ID: randomID(), Device: st.Device(), Created: nowMs(), Push: wire.EncodeChanges(changes),
		PushUpTo: s.Push, Cursor: s.Pull, Mark: s.Mark, Pushed: s.Pushed}
	if req.Blobs, req.Missing, err = fileBlobs(ctx, st); err != nil {
		return 0, err
	}
	if len(changes) > 0 {
		req.PushUpTo = changes[len(changes)-1].Seq
	}
	data, err := wire.Marshal(wire.TypeFileRequest, req)
	if err != nil {
		return 0, err
	}
	sealed, err := wire.SealFile(key, wire.FileToServer, st.Device(), data)
	if err != nil {
		return 0, err
	}
	return len(changes), writeAtomic(path, sealed)
}

// exchangeKey reads the device's exchange key (sealed under its data key).
func exchangeKey(ctx context.Context, st *store.Store) ([]byte, error) {
	key, err := st.SyncSecret(ctx, keyExchange)
	if err != nil {
		return nil, err
	}
	if len(key) != wire.ExchangeKeyLen {
		return nil, ErrNoExchangeKey
	}
	return key, nil
}

func pendingChanges(ctx context.Context, st *store.Store, after int64) ([]*store.Change, error) {
	var all []*store.Change
	for len(all) < maxFileChanges {
		page, err := st.LocalChanges(ctx, after, wire.MaxPushPage)
		if err != nil || len(page) == 0 {
			return all, err
		}
		all = append(all, page...)
		after = page[len(page)-1].Seq
	}
	return all, nil
}

// ReadReplyFile applies a reply written by `countyd exchange`: it checks the
// seal and the device, merges the changes, then moves both cursors forward
// (never back, so an old reply read late is harmless). Reading the same
// reply twice has the effect of reading it once.
func ReadReplyFile(ctx context.Context, st *store.Store, path string) (Result, error) {
	var res Result
	s, err := loadState(ctx, st)
	if err != nil {
		return res, err
	}
	rep, err := readReply(ctx, st, path)
	if err != nil {
		return res, err
	}
	if res.ServerRestored, err = fileRestored(ctx, st, s, &rep.Pull); err != nil {
		return res, err
	}
	// A reply read a second time acknowledges nothing new; after a restore
	// the push cursor stays at the start, for the next file to carry all.
	if s.Push < rep.PushUpTo && !res.ServerRestored {
		if err := countAck(ctx, st, &rep.Push, &res); err != nil {
			return res, err
		}
		if err := raiseInt(ctx, st, keyPush, rep.PushUpTo); err != nil {
			return res, err
		}
	}
	fileClockOffset(st, rep.Pull.ServerTime)
	err = applyPage(ctx, st, &rep.Pull, &res)
	if err == nil {
		err = keepFileBlobs(ctx, st, rep, &res)
	}
	if err == nil {
		err = purgeTransferred(ctx, st, max(s.Push, rep.PushUpTo))
	}
	recordOutcome(st, nowTime(), err)
	return res, err
}

// maxFileBlobs bounds the attachment bytes of one request file.
const maxFileBlobs = 64 << 20

// fileBlobs picks the attachments to carry (not yet known to be on the
// server, within budget) and lists those this device lacks.
func fileBlobs(ctx context.Context, st *store.Store) ([]wire.FileBlob, []string, error) {
	have, missing, err := st.BlobHashes(ctx)
	if err != nil {
		return nil, nil, err
	}
	if have, err = st.BlobsNotUploaded(ctx, have); err != nil {
		return nil, nil, err
	}
	var out []wire.FileBlob
	total := 0
	for _, h := range have {
		data, err := st.Blob(ctx, h)
		if err != nil {
			return nil, nil, err
		}
		if total += len(data); total > maxFileBlobs {
			break
		}
		out = append(out, wire.FileBlob{Hash: h, Data: data})
	}
	return out, missing, nil
}

// keepFileBlobs marks what the server stored and keeps what it sent, each
// only if its content matches its hash.
func keepFileBlobs(ctx context.Context, st *store.Store, rep *wire.FileReply, res *Result) error {
	if err := st.MarkBlobsUploaded(ctx, rep.Stored); err != nil {
		return err
	}
	res.BlobsSent = len(rep.Stored)
	if rep.OverQuota {
		res.BlobError = &wire.Error{Code: wire.CodeQuota}
	}
	for _, b := range rep.Blobs {
		sum := sha256.Sum256(b.Data)
		if hex.EncodeToString(sum[:]) != b.Hash {
			res.BlobsPending++
			continue
		}
		if _, err := st.PutBlob(ctx, b.Data); err != nil {
			return err
		}
		res.BlobsReceived++
	}
	return nil
}

// readReply opens a reply file. Its seal is checked before anything inside
// is read; a file that fails it, or answers another device, is ErrBadFile.
func readReply(ctx context.Context, st *store.Store, path string) (*wire.FileReply, error) {
	key, err := exchangeKey(ctx, st)
	if err != nil {
		return nil, err
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, wire.MaxFile+1))
	if err != nil {
		return nil, err
	}
	msg, err := wire.OpenFile(key, wire.FileToDevice, data)
	if err != nil {
		return nil, ErrBadFile
	}
	var rep wire.FileReply
	if err := wire.UnmarshalFile(msg, wire.TypeFileReply, &rep); err != nil {
		return nil, err
	}
	if rep.Device != st.Device() {
		return nil, ErrBadFile
	}
	return &rep, nil
}

// writeAtomic writes through a temporary file and a rename, so a stick
// pulled out mid-write never leaves a half file under the final name.
func writeAtomic(path string, data []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".rehabdesk-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

func randomID() string {
	b := make([]byte, 12)
	if _, err := rand.Read(b); err != nil {
		panic(fmt.Sprintf("random: %v", err))
	}
	return hex.EncodeToString(b)
}
