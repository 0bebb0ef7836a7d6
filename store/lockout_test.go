package store

import (
	"context"
	"math/rand"
	"testing"
	"time"

	"github.com/google/uuid"
)

// Property: whatever account changes arrive from other devices — disables,
// archives, renames, demotions, new records reusing a name, in any order,
// with versions older or newer than the values they replace — a device
// that had an officer able to sign in keeps one, and every change it does
// not refuse is merged.
func TestRemoteAccountChangesNeverLockTheDeviceOut(t *testing.T) {
	ctx := context.Background()
	s := newTestStore(t)
	if err := s.AddAccount(ctx, "deputy", "deputy-on-duty", "officer", "", fastKDF); err != nil {
		t.Fatal(err)
	}
	accts, err := s.Accounts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	ids := []string{accts[0].ID, accts[1].ID, uuid.NewString(), uuid.NewString()}
	rng := rand.New(rand.NewSource(12))
	base := time.Now().UnixMilli()
	rounds := 60
	if testing.Short() {
		rounds = 20
	}
	for round := 0; round < rounds; round++ {
		batch := randomAccountChanges(rng, ids, base)
		st, err := s.ApplyRemote(ctx, batch)
		if err != nil {
			t.Fatal(err)
		}
		if st.Applied+st.Duplicate+len(st.Refused)+len(st.Rejected) != len(batch) {
			t.Fatalf("round %d: %d changes, stats %+v", round, len(batch), st)
		}
		if !anOfficerSignsIn(ctx, s) {
			t.Fatalf("round %d: no officer can sign in after %d changes (%d refused)", round, len(batch), len(st.Refused))
		}
	}
}

func randomAccountChanges(rng *rand.Rand, ids []string, base int64) []*Change {
	pick := func(vs ...string) string { return vs[rng.Intn(len(vs))] }
	var out []*Change
	for i := 0; i < 1+rng.Intn(4); i++ {
		f := map[string]string{}
		for len(f) == 0 {
			if rng.Intn(2) == 0 {
				f["username"] = pick("officer", "deputy", "Officer", "other")
			}
			if rng.Intn(2) == 0 {
				f["role"] = pick("officer", "volunteer")
			}
			if rng.Intn(2) == 0 {
				f["disabled"] = pick("", "1")
			}
			if rng.Intn(3) == 0 {
				f[FieldArchived] = pick("", "1")
			}
		}
		wall := base + int64(rng.Intn(200000)) - 100000
		out = append(out, &Change{HLC: HLC{Wall: wall}, Device: pick("dev-x", "dev-y"), Kind: KindAccount,
			EntityID: ids[rng.Intn(len(ids))], Township: testTownship, User: "x", Fields: f, Bases: map[string][]string{}})
	}
	return out
}

// anOfficerSignsIn tries both officers' passwords; it leaves the store
// signed in when one works.
func anOfficerSignsIn(ctx context.Context, s *Store) bool {
	for _, u := range [][2]string{{"officer", "secret-pass"}, {"deputy", "deputy-on-duty"}} {
		s.Lock()
		if s.Unlock(ctx, u[0], u[1]) == nil && s.Session().Role == "officer" {
			return true
		}
	}
	return false
}

// A change merges field by field: where it is older than a field's value,
// that value stays. The check must judge the merged result, not the change
// alone: here the rename to "officer" wins but the newer "disabled" stays,
// which would make the officer's name a disabled account.
func TestLockoutCheckJudgesTheMergedFields(t *testing.T) {
	ctx := context.Background()
	s := newTestStore(t)
	id := uuid.NewString()
	// Newer than the officer's own records, yet well inside the hour a
	// change may be ahead of this clock (DefaultMaxClockAhead): at exactly
	// an hour ahead, whether these changes merged depended on how fast
	// the test ran.
	base := time.Now().Add(time.Minute).UnixMilli()
	at := func(ms int64, f map[string]string) *Change {
		return &Change{HLC: HLC{Wall: base + ms}, Device: "dev-x", Kind: KindAccount, EntityID: id, Township: testTownship,
			User: "x", Fields: f, Bases: map[string][]string{}}
	}
	if _, err := s.ApplyRemote(ctx, []*Change{at(10, map[string]string{"username": "temp", "role": "officer"}), at(30, map[string]string{"disabled": "1"})}); err != nil {
		t.Fatal(err)
	}
	st, err := s.ApplyRemote(ctx, []*Change{at(20, map[string]string{"username": "officer", "disabled": ""})})
	if err != nil || len(st.Refused) != 1 {
		t.Fatalf("stale re-enable with a rename: %+v %v", st, err)
	}
	if !anOfficerSignsIn(ctx, s) {
		t.Fatal("the officer is locked out")
	}
}
