package client

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/google/uuid"

	"rehabdesk/internal/storetest"
	"rehabdesk/store"
	"rehabdesk/sync/wire"
)

// hostile is an enrolled device of a township that speaks the protocol by
// hand: its own real token, hand-made wire messages.
type hostile struct {
	t     *testing.T
	c     *conn
	id    string
	town  string
	clock int64
}

func (c *county) hostile(t *testing.T, township string) *hostile {
	t.Helper()
	// Ahead, so its changes win merges, but within the bound on clocks
	// ahead (store.DefaultMaxClockAhead) that both sides enforce.
	h := &hostile{t: t, id: uuid.NewString(), town: township, clock: time.Now().Add(30 * time.Minute).UnixMilli()}
	var rep wire.EnrollReply
	req := wire.EnrollRequest{Code: c.code(t, township), Township: township, Device: h.id}
	if err := newConn(c.url, "", "", fastOpt.withDefaults()).call(context.Background(), wire.PathEnroll, wire.TypeEnrollRequest, req, wire.TypeEnrollReply, &rep); err != nil {
		t.Fatal(err)
	}
	h.c = newConn(c.url, rep.Token, "", fastOpt.withDefaults())
	return h
}

// change makes a change stamped an hour ahead, so that it wins every merge.
func (h *hostile) change(kind store.Kind, id, person string, f map[string]string) *store.Change {
	h.clock += 1000
	return &store.Change{HLC: store.HLC{Wall: h.clock}, Device: h.id, Kind: kind, EntityID: id, PersonID: person,
		Township: h.town, User: "officer", Fields: f, Bases: map[string][]string{}}
}

func (h *hostile) send(cs ...*store.Change) *wire.PushReply {
	h.t.Helper()
	var rep wire.PushReply
	req := wire.PushRequest{Changes: wire.EncodeChanges(cs)}
	if err := h.c.call(context.Background(), wire.PathPush, wire.TypePushRequest, req, wire.TypePushReply, &rep); err != nil {
		h.t.Fatal(err)
	}
	return &rep
}

// push sends account changes ({"id": record id, fields...}); the server
// must accept them (they stay inside the township).
func (h *hostile) push(changes ...map[string]string) {
	h.t.Helper()
	var cs []*store.Change
	for _, f := range changes {
		id := f["id"]
		delete(f, "id")
		cs = append(cs, h.change(store.KindAccount, id, "", f))
	}
	if rep := h.send(cs...); rep.Accepted != len(cs) {
		h.t.Fatalf("the server refused the township's own account changes: %+v", rep)
	}
}

func signsInAs(t *testing.T, st *store.Store, user, password, role string) {
	t.Helper()
	st.Lock()
	if err := st.Unlock(context.Background(), user, password); err != nil {
		t.Fatalf("%s can no longer sign in: %v", user, err)
	}
	if got := st.Session().Role; got != role {
		t.Fatalf("%s signs in as %s, want %s", user, got, role)
	}
}

// A device of the same township (which the server rightly lets change the
// township's accounts) tries to lock the officer out of a laptop: disable,
// archive, rename or demote their account, or add a disabled account of
// the same name. The laptop refuses each, reports it, and merges the rest.
func TestHostileDeviceCannotLockTheOfficerOut(t *testing.T) {
	c := newCounty(t)
	ctx := context.Background()
	a := c.enrolled(t, townA)
	mustSync(t, a)
	accts, err := a.Accounts(ctx)
	if err != nil || len(accts) != 1 {
		t.Fatalf("accounts %v %v", accts, err)
	}
	own := accts[0].ID
	h := c.hostile(t, townA)
	colleague, vol := uuid.NewString(), uuid.NewString()
	h.send(h.change(store.KindVolunteer, vol, "", map[string]string{"name": "志愿者", "source": "other"}))
	h.push(
		map[string]string{"id": own, "disabled": "1"},
		map[string]string{"id": own, store.FieldArchived: "1"},
		map[string]string{"id": own, "username": "someone-else"},
		map[string]string{"id": own, "role": "volunteer", "volunteer": vol},
		map[string]string{"id": uuid.NewString(), "username": "Officer", "role": "officer", "disabled": "1"},
		map[string]string{"id": colleague, "username": "colleague", "role": "officer"},
		map[string]string{"id": colleague, "disabled": "1"}, // no key slot here: merges
	)
	res := mustSync(t, a)
	if res.Refused != 5 {
		t.Fatalf("refused %d account changes, want 5 (%+v)", res.Refused, res)
	}
	signsInAs(t, a, "officer", "secret-pass", "officer")
	got := map[string]store.Account{}
	if accts, err = a.Accounts(ctx); err != nil {
		t.Fatal(err)
	}
	for _, acct := range accts {
		got[acct.User] = acct
	}
	if !got["colleague"].Disabled || got["officer"].Disabled || len(got) != 2 {
		t.Fatalf("accounts after the sync: %+v", got)
	}
	// A second officer with a key slot here may be disabled from elsewhere:
	// the laptop keeps one officer who can sign in.
	if err := a.AddAccount(ctx, "deputy", "deputy-pass-1", "officer", "", storetest.FastKDF); err != nil {
		t.Fatal(err)
	}
	mustSync(t, a)
	if accts, err = a.Accounts(ctx); err != nil {
		t.Fatal(err)
	}
	for _, acct := range accts {
		if acct.User == "deputy" {
			h.push(map[string]string{"id": acct.ID, "disabled": "1"})
		}
	}
	if res := mustSync(t, a); res.Refused != 0 {
		t.Fatalf("disabling one of two officers refused: %+v", res)
	}
	a.Lock()
	if err := a.Unlock(ctx, "deputy", "deputy-pass-1"); !errors.Is(err, store.ErrDisabled) {
		t.Fatalf("disabled deputy signs in: %v", err)
	}
	signsInAs(t, a, "officer", "secret-pass", "officer")
}

// The attacks end to end: a hostile device of A reaches B's records
// through one of A's own persons (PersonID), renaming B's person and
// disabling B's officer. The server refuses both; B's laptop, after its
// sync, holds its person unchanged and its officer signs in.
func TestHostileDeviceCannotReachAnotherTownshipsLaptop(t *testing.T) {
	c := newCounty(t)
	ctx := context.Background()
	a, b := c.enrolled(t, townA), c.enrolled(t, townB)
	pa := put(t, a, store.KindPerson, "", map[string]string{"name": "张三", "id_number": idFor(1)})
	pb := put(t, b, store.KindPerson, "", map[string]string{"name": "李四", "id_number": idFor(2)})
	mustSync(t, a)
	mustSync(t, b)
	accts, err := b.Accounts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	h := c.hostile(t, townA)
	rep := h.send(
		h.change(store.KindPerson, pb, pa, map[string]string{"name": "改名"}),
		h.change(store.KindAccount, accts[0].ID, pa, map[string]string{"disabled": "1"}),
		h.change(store.KindPerson, pb, pb, map[string]string{store.FieldTownship: townA}),
	)
	if rep.Accepted != 0 || len(rep.Rejected) != 3 {
		t.Fatalf("the server accepted a hostile change: %+v", rep)
	}
	if res := mustSync(t, b); res.Refused != 0 {
		t.Fatalf("B had to defend itself: %+v", res)
	}
	signsInAs(t, b, "officer", "secret-pass", "officer")
	if got := snapshot(t, b)[pb]["name"]; got != "李四" {
		t.Fatalf("B's person is now %q", got)
	}
	mustSync(t, a)
	if snapshot(t, a)[pb] != nil {
		t.Fatal("A received B's person")
	}
}
