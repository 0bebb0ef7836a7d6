package server

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"rehabdesk/sync/wire"
)

// A county server's database can be put back from an older copy (the usual
// recovery after a disk failure). The copy then lacks changes devices were
// told were stored, and hands out the lost feed numbers again to new
// changes. Three things let every device notice and repair it:
//
//   - The server has an identity (made once, kept by every copy) and an
//     epoch, both stored in the database. The epoch changes whenever the
//     server finds, at Open, that its database is not the one it last wrote:
//     a marker file beside the key file (PATH.generation) holds the epoch
//     and the feed's high-water mark after each write, so a database copied
//     back alone, or moved without its marker, gets a new epoch and the
//     restore is logged.
//   - Every pull names the feed entry at the device's cursor (a mark of its
//     change and township) and the last change of the device's own the
//     server acknowledged. A restored database no longer has one or the
//     other, even when the marker was copied back with it.
//   - A device that sees another epoch, or is told its cursor or its last
//     change is gone, sends all its own changes again (the server keeps
//     each (hlc, device) once) and reads the feed again from the start.

// generation is the server's identity and epoch.
type generation struct {
	ID, Epoch string
}

const (
	metaID    = "server_id"
	metaEpoch = "epoch"
)

// loadGeneration reads the identity and epoch, making them on a new
// database, and starts a new epoch when the marker says the database was
// replaced since this server last wrote it.
func (s *Server) loadGeneration(ctx context.Context, marker string) error {
	// The marker is read before the database: it is written after each
	// commit, so a live database is never behind what it says.
	mEpoch, mHigh, mErr := readMarker(marker)
	g, high, err := s.storedGeneration(ctx)
	if err != nil {
		return err
	}
	s.marker = marker
	switch {
	case g.ID == "":
		g = generation{ID: randomHex(8), Epoch: randomHex(8)}
		s.log.Info("server identity created", "server", g.ID, "epoch", g.Epoch)
	case errors.Is(mErr, os.ErrNotExist), mErr == nil && (mEpoch != g.Epoch || high < mHigh), mErr != nil:
		old := g.Epoch
		g.Epoch = randomHex(8)
		s.log.Warn("server database was restored from a copy or replaced: new epoch; devices will send their changes again and re-read the feed",
			"server", g.ID, "old_epoch", old, "epoch", g.Epoch, "feed_high", high, "marker_high", mHigh, "marker", markerState(mErr))
	default:
		s.setGen(g)
		return nil
	}
	if _, err := s.db.ExecContext(ctx, `INSERT INTO server_meta(key, value) VALUES(?, ?), (?, ?)
		ON CONFLICT(key) DO UPDATE SET value = excluded.value`, metaID, g.ID, metaEpoch, g.Epoch); err != nil {
		return fmt.Errorf("store server generation: %w", err)
	}
	s.setGen(g)
	return s.writeMarker(g.Epoch, high)
}

// storedGeneration reads the identity and epoch the database holds, and
// the feed's high-water mark. Several servers may share a PostgreSQL
// database: one that starts a new epoch changes it for all, and each
// reads it back after its writes (noteFeed) and in every pull.
func (s *Server) storedGeneration(ctx context.Context) (g generation, high int64, err error) {
	err = s.db.QueryRowContext(ctx, `SELECT coalesce((SELECT value FROM server_meta WHERE key = ?), ''),
		coalesce((SELECT value FROM server_meta WHERE key = ?), ''), coalesce((SELECT max(seq) FROM feed), 0)`,
		metaID, metaEpoch).Scan(&g.ID, &g.Epoch, &high)
	if err != nil {
		return g, 0, fmt.Errorf("read server generation: %w", err)
	}
	return g, high, nil
}

// currentGen is the server's identity and epoch as last read.
func (s *Server) currentGen() generation {
	s.genMu.Lock()
	defer s.genMu.Unlock()
	return s.gen
}

func (s *Server) setGen(g generation) {
	s.genMu.Lock()
	defer s.genMu.Unlock()
	s.gen = g
}

func markerState(err error) string {
	switch {
	case err == nil:
		return "behind the database's copy"
	case errors.Is(err, os.ErrNotExist):
		return "missing"
	}
	return err.Error()
}

// readMarker reads "epoch high" from the marker file.
func readMarker(path string) (string, int64, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return "", 0, err
	}
	f := strings.Fields(string(data))
	if len(f) != 2 {
		return "", 0, fmt.Errorf("marker %s damaged", path)
	}
	high, err := strconv.ParseInt(f[1], 10, 64)
	return f[0], high, err
}

// writeMarker records the epoch and the feed's high-water mark. It goes
// through a temporary file of its own, so a crash leaves the old or the
// new marker, and two servers sharing a key file's folder never mix their
// writes; an old one is never ahead of the database.
func (s *Server) writeMarker(epoch string, high int64) error {
	f, err := os.CreateTemp(filepath.Dir(s.marker), filepath.Base(s.marker)+".*.tmp")
	if err != nil {
		return fmt.Errorf("write generation marker: %w", err)
	}
	_, err = f.WriteString(epoch + " " + strconv.FormatInt(high, 10) + "\n")
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(f.Name(), s.marker)
	}
	if err != nil {
		os.Remove(f.Name())
		return fmt.Errorf("write generation marker: %w", err)
	}
	return nil
}

// noteFeed updates the marker after a write that may have grown the feed.
func (s *Server) noteFeed(ctx context.Context) {
	g, high, err := s.storedGeneration(ctx)
	if err == nil {
		s.setGen(g)
		err = s.writeMarker(g.Epoch, high)
	}
	if err != nil {
		s.log.Error("generation marker not updated", "err", err)
	}
}

// feedMark names the feed entry at seq: its township and change. A device
// keeps the mark of its cursor; the same seq with another mark means the
// feed was rewound and its numbers handed out again. The mark is keyed with
// the server's key: the entry at a cursor may be another township's, and
// an unkeyed hash of it would let a device test guesses of that township's
// devices and clock readings.
func feedMark(ctx context.Context, q interface {
	QueryRowContext(context.Context, string, ...any) *sql.Row
}, key []byte, seq int64) (string, error) {
	if seq <= 0 {
		return "", nil
	}
	var town, hlc, dev string
	err := q.QueryRowContext(ctx, `SELECT f.township, c.hlc, c.device FROM feed f JOIN changes c ON c.id = f.change_id
		WHERE f.seq = ?`, seq).Scan(&town, &hlc, &dev)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	if err != nil {
		return "", err
	}
	m := hmac.New(sha256.New, key)
	m.Write([]byte("feed-mark\x00" + town + "\x00" + hlc + "\x00" + dev))
	return hex.EncodeToString(m.Sum(nil)[:8]), nil
}

// rewound reports whether a device's pull shows the database lost what the
// device was told: the entry at its cursor is gone or another, or its last
// acknowledged change is not stored. Old devices send no mark.
func (s *Server) rewound(ctx context.Context, d *device, req *wire.PullRequest) (bool, string, error) {
	if req.Mark != "" {
		mark, err := feedMark(ctx, s.db, s.seal.key, req.Cursor)
		if err != nil || mark != req.Mark {
			return err == nil, "feed entry at the device's cursor is missing or different", err
		}
	}
	if req.Pushed != "" {
		var n int
		if err := s.db.QueryRowContext(ctx, "SELECT count(*) FROM changes WHERE hlc = ? AND device = ?", req.Pushed, d.ID).Scan(&n); err != nil || n == 0 {
			return err == nil, "the device's last acknowledged change is not stored", err
		}
	}
	return false, "", nil
}

func randomHex(n int) string {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic("countyd: system random source failed: " + err.Error())
	}
	return hex.EncodeToString(b)
}
