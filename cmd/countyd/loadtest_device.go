package main

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"

	"rehabdesk/store"
	"rehabdesk/store/valid"
	"rehabdesk/sync/wire"
)

// simTownship is one township of the simulated province: its devices and
// the persons it keeps.
type simTownship struct {
	code    string
	devices []*simDevice
	persons []simPerson
}

// simPerson is a person as the township's devices know it after their
// first pull: the record id and the version its fields were created at.
type simPerson struct{ id, version string }

// simDevice plays one enrolled township laptop. It builds changes the way
// the desktop app does (store.Change with a hybrid clock of its own) and
// sends them through the real HTTP sync API; it keeps no database.
type simDevice struct {
	id, url, token string
	town           *simTownship
	clock          store.HLC
	cursor         int64
	mark, pushed   string
	auditCursor    int64
	audit          []wire.AuditEntry // entries not yet pushed
	rng            *rand.Rand
	got            map[string]bool // changes received in the working day, by hlc@device
	sent           []string        // own changes the server stored in the working day
}

func newSimDevice(n int, town *simTownship, seed uint64) *simDevice {
	return &simDevice{id: fmt.Sprintf("load-%s-%d", town.code, n), town: town,
		rng: rand.New(rand.NewPCG(seed, uint64(n))), got: map[string]bool{}}
}

// tick reads the device's clock: wall time, or one step past its last
// reading when the wall clock has not moved on.
func (d *simDevice) tick() store.HLC {
	now := time.Now().UnixMilli()
	if now > d.clock.Wall {
		d.clock = store.HLC{Wall: now}
	} else {
		d.clock.Counter++
	}
	return d.clock
}

func (d *simDevice) change(kind store.Kind, entity, person string, fields map[string]string) *store.Change {
	return &store.Change{HLC: d.tick(), Device: d.id, Kind: kind, EntityID: entity, Township: d.town.code,
		PersonID: person, User: "officer", Fields: fields, Bases: map[string][]string{}}
}

func (lc *loadClient) enroll(ctx context.Context, d *simDevice, code string) error {
	var rep wire.EnrollReply
	req := wire.EnrollRequest{Code: code, Township: d.town.code, Device: d.id, Label: "loadtest"}
	if err := lc.call(ctx, "enroll", d.url+wire.PathEnroll, "", wire.TypeEnrollRequest, req, wire.TypeEnrollReply, &rep); err != nil {
		return fmt.Errorf("enroll %s: %w", d.id, err)
	}
	d.token = rep.Token
	return nil
}

// push sends one page and returns how many changes the server stored; a
// refused change fails the run, since every simulated change is legitimate.
func (lc *loadClient) push(ctx context.Context, kind string, d *simDevice, page []*store.Change) (int, error) {
	var rep wire.PushReply
	req := wire.PushRequest{Changes: wire.EncodeChanges(page)}
	if err := lc.call(ctx, kind, d.url+wire.PathPush, d.token, wire.TypePushRequest, req, wire.TypePushReply, &rep); err != nil {
		return 0, fmt.Errorf("push %s: %w", d.id, err)
	}
	if len(rep.Rejected) > 0 {
		return 0, fmt.Errorf("push %s: %d changes refused, first: %s", d.id, len(rep.Rejected), rep.Rejected[0].Reason)
	}
	d.pushed = page[len(page)-1].HLC.String()
	return rep.Accepted, nil
}

// pullAll pulls until the server has nothing more, as a sync does, and
// returns the changes received; keep records their keys in d.got.
func (lc *loadClient) pullAll(ctx context.Context, kind string, d *simDevice, keep bool) ([]*store.Change, error) {
	req := wire.PullRequest{Cursor: d.cursor, Mark: d.mark, Pushed: d.pushed, Limit: wire.MaxPullPage}
	var all []*store.Change
	for {
		var rep wire.PullReply
		if err := lc.call(ctx, kind, d.url+wire.PathPull, d.token, wire.TypePullRequest, req, wire.TypePullReply, &rep); err != nil {
			return nil, fmt.Errorf("pull %s: %w", d.id, err)
		}
		if rep.Rewound {
			return nil, fmt.Errorf("pull %s: the server says it was restored (rewound)", d.id)
		}
		changes, err := rep.Changes.Changes()
		if err != nil {
			return nil, fmt.Errorf("pull %s: %w", d.id, err)
		}
		for _, c := range changes {
			if keep {
				d.got[c.Version().String()] = true
			}
		}
		all = append(all, changes...)
		d.cursor, d.mark = rep.Next, rep.Mark
		if !rep.More {
			return all, nil
		}
		req = wire.PullRequest{Cursor: d.cursor, Mark: d.mark, Limit: wire.MaxPullPage}
	}
}

// syncAudit pushes the audit entries the device wrote and pulls its
// township's, as every sync of the app ends.
func (lc *loadClient) syncAudit(ctx context.Context, d *simDevice) error {
	if len(d.audit) > 0 {
		var rep wire.AuditPushReply
		req := wire.AuditPushRequest{Entries: d.audit}
		if err := lc.call(ctx, "audit-push", d.url+wire.PathAuditPush, d.token, wire.TypeAuditPush, req, wire.TypeAuditPushReply, &rep); err != nil {
			return fmt.Errorf("audit push %s: %w", d.id, err)
		}
		d.audit = nil
	}
	for {
		var rep wire.AuditPullReply
		req := wire.AuditPullRequest{Cursor: d.auditCursor}
		if err := lc.call(ctx, "audit-pull", d.url+wire.PathAuditPull, d.token, wire.TypeAuditPull, req, wire.TypeAuditPullReply, &rep); err != nil {
			return fmt.Errorf("audit pull %s: %w", d.id, err)
		}
		d.auditCursor = rep.Next
		if !rep.More {
			return nil
		}
	}
}

// newPersons makes n person records of the device's township, each with
// the fields a ledger import fills.
func (d *simDevice) newPersons(n int) []*store.Change {
	out := make([]*store.Change, n)
	for i := range out {
		id := uuid.Must(uuid.NewV7()).String()
		body := fmt.Sprintf("%s19%02d%02d%02d%03d", d.town.code[:6], 70+d.rng.IntN(30), 1+d.rng.IntN(12), 1+d.rng.IntN(28), d.rng.IntN(1000))
		out[i] = d.change(store.KindPerson, id, "", map[string]string{
			"name": "测试" + hanDigits(i), "id_number": body + string(valid.CheckDigit(body)),
			"phone": fmt.Sprintf("138%08d", d.rng.IntN(1e8)), "current_address": "某某村" + strconv.Itoa(d.rng.IntN(50)) + "组",
			"category": "social", "risk": "low", "drug_types": "heroin", "first_found": "2020-03-01",
		})
	}
	return out
}

// dayChanges makes n changes of a working day: visits recorded and one
// field of a person's file edited (seen at its first version), in turn.
func (d *simDevice) dayChanges(n int) []*store.Change {
	out := make([]*store.Change, n)
	for i := range out {
		p := d.town.persons[d.rng.IntN(len(d.town.persons))]
		if i%2 == 0 {
			out[i] = d.change(store.KindVisit, uuid.Must(uuid.NewV7()).String(), p.id, map[string]string{
				"person": p.id, "date": time.Now().Format(time.DateOnly), "visitor_kind": "staff", "mode": "home",
				"notes": "走访正常，家属配合。"})
		} else {
			c := d.change(store.KindPerson, p.id, "", map[string]string{"phone": fmt.Sprintf("139%08d", d.rng.IntN(1e8))})
			c.Bases["phone"] = []string{p.version}
			out[i] = c
		}
		d.audit = append(d.audit, wire.AuditEntry{HLC: d.tick().String(), Device: d.id, Township: d.town.code,
			User: "officer", Action: "view", Record: p.id, Person: p.id, Time: time.Now().UnixMilli()})
	}
	return out
}

// hanDigits writes n in Chinese digits: a person's name holds no Arabic
// digits (valid.ParseName), and the county refuses one that does.
func hanDigits(n int) string {
	var b strings.Builder
	for _, d := range strconv.Itoa(n) {
		b.WriteString(string([]rune("零一二三四五六七八九")[d-'0']))
	}
	return b.String()
}
