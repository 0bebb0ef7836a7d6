package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"github.com/google/uuid"

	"rehabdesk/assets"
	"rehabdesk/store/search"
)

// Errors of opening and unlocking. The GUI and CLI translate them.
var (
	ErrLocked       = errors.New("database is locked: sign in first")
	ErrBadPassword  = errors.New("wrong user name or password")
	ErrLockedOut    = errors.New("too many wrong passwords; wait before trying again")
	ErrUnknownTown  = errors.New("unknown township code")
	ErrExists       = errors.New("database already exists")
	ErrUserExists   = errors.New("user name already taken")
	ErrWeakPassword = errors.New("password must have at least 10 characters")
)

// Session is who is signed in on this store.
type Session struct {
	User      string
	Role      string // officer, volunteer or county
	Volunteer string // volunteer record id for volunteer accounts
}

// Store is an open township database. It starts locked; Unlock with an
// account's password makes records readable and writable.
type Store struct {
	db       *sql.DB
	path     string
	device   string
	township string
	clock    *Clock
	now      func() time.Time
	maxAhead time.Duration // see Options.MaxClockAhead
	// clockOffset is the server's clock minus this one, in nanoseconds
	// (see SetClockOffset).
	clockOffset atomic.Int64
	kdf         KDFParams // cost of new key slots and backup keys

	mu      sync.RWMutex
	seal    *sealer
	session Session
	index   *search.Index
	hold    *IndexHold      // see HoldIndex
	scope   map[string]bool // persons a volunteer session may see; nil = all
	away    awaySet         // persons transferred to a township not served here (transfer_away.go)

	writeMu sync.Mutex  // one writer at a time keeps the clock and diffs consistent
	shared  sharedClock // the clock other handles of the database store, see clock_shared.go

	mergeStmts stmtCache // statements of ApplyRemote, see apply_stmts.go
}

// Options tune a store; the zero value is right for the app.
type Options struct {
	Now func() time.Time // clock source, for tests of wrong clocks
	KDF KDFParams        // password hashing cost for new passwords
	// MaxClockAhead: a remote change stamped further ahead of this
	// computer's clock is refused (see clock_skew.go); 0: DefaultMaxClockAhead.
	MaxClockAhead time.Duration
}

func (o Options) withDefaults() Options {
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.MaxClockAhead <= 0 {
		o.MaxClockAhead = DefaultMaxClockAhead
	}
	if o.KDF.Time == 0 {
		o.KDF = DefaultKDF
	}
	return o
}

// Create makes a new database for one township with its first officer
// account, and returns it unlocked. An existing initialized file is refused.
func Create(ctx context.Context, path, township, user, password string, opt Options) (*Store, error) {
	opt = opt.withDefaults()
	if _, ok := assets.Township(township); !ok {
		return nil, fmt.Errorf("%w: %q", ErrUnknownTown, township)
	}
	if err := CheckPassword(user, password); err != nil {
		return nil, err
	}
	db, err := openDB(ctx, path)
	if err != nil {
		return nil, err
	}
	restrictToOwner(path)
	if t, _ := metaGet(ctx, db, "township"); t != "" {
		db.Close()
		return nil, fmt.Errorf("%w: %s belongs to township %s", ErrExists, path, t)
	}
	dataKey := randomBytes(dataKeyLen)
	if err := initMeta(ctx, db, township, dataKey, user, password, opt.KDF); err != nil {
		db.Close()
		return nil, err
	}
	s, err := newStore(ctx, db, path, opt)
	if err != nil {
		return nil, err
	}
	if err := s.Unlock(ctx, user, password); err != nil {
		s.Close()
		return nil, err
	}
	if _, err := s.Put(ctx, KindAccount, "", map[string]string{"username": user, "role": "officer"}); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

func initMeta(ctx context.Context, db *sql.DB, township string, dataKey []byte, user, password string, kdf KDFParams) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	facts := map[string]string{"township": township, "device": uuid.Must(uuid.NewV7()).String(), "hlc": HLC{}.String()}
	for k, v := range facts {
		if err := metaSet(ctx, tx, k, v); err != nil {
			return err
		}
	}
	if err := insertKeySlot(ctx, tx, dataKey, user, password, kdf); err != nil {
		return err
	}
	return tx.Commit()
}

// Open opens an existing database, locked.
func Open(ctx context.Context, path string, opt Options) (*Store, error) {
	opt = opt.withDefaults()
	db, err := openDB(ctx, path)
	if err != nil {
		return nil, err
	}
	return newStore(ctx, db, path, opt)
}

func newStore(ctx context.Context, db *sql.DB, path string, opt Options) (*Store, error) {
	s := &Store{db: db, path: path, now: opt.Now, kdf: opt.KDF, maxAhead: opt.MaxClockAhead}
	var err error
	if s.township, err = metaGet(ctx, db, "township"); err == nil && s.township == "" {
		err = ErrNotInitialized
	}
	if err == nil {
		s.device, err = metaGet(ctx, db, "device")
	}
	var last HLC
	if err == nil {
		var h string
		if h, err = metaGet(ctx, db, "hlc"); err == nil {
			last, err = ParseHLC(h)
		}
	}
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("open database: %w", err)
	}
	s.clock = NewClock(last, opt.Now)
	s.shared.stored, s.shared.foreign, s.shared.seen = last, last, last
	return s, nil
}

// Close releases the database. The data key is dropped from memory.
func (s *Store) Close() error {
	// Lock folds this session's writes (a command-line import, say) into the
	// sealed search snapshot, so the next sign-in need not rebuild it.
	s.Lock()
	return s.db.Close()
}

// Path is the database file.
func (s *Store) Path() string { return s.path }

// Device is this database's device id, stamped on every change it writes.
func (s *Store) Device() string { return s.device }

// Township is the 9-digit code of the township this database serves.
func (s *Store) Township() string { return s.township }

// Clock is the store's hybrid logical clock; sync observes remote readings on it.
func (s *Store) Clock() *Clock { return s.clock }

// Session is who signed in; the zero Session means locked.
func (s *Store) Session() Session {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.session
}

// Now is the store's clock (time.Now unless a test set Options.Now).
func (s *Store) Now() time.Time { return s.now() }

// Today is the current date at the township (China Standard Time).
func (s *Store) Today() time.Time {
	t := s.now().In(chinaTime)
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
}

var chinaTime = time.FixedZone("CST", 8*3600)

func (s *Store) sealerOrErr() (*sealer, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if s.seal == nil {
		return nil, ErrLocked
	}
	return s.seal, nil
}
