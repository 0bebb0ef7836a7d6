package client

import (
	"context"
	"testing"

	"rehabdesk/store"
)

func TestAuditLogReachesTheTownshipAndCounty(t *testing.T) {
	c := newCounty(t)
	ctx := context.Background()
	a, b := c.enrolled(t, townA), c.enrolled(t, townA)
	p := put(t, a, store.KindPerson, "", map[string]string{"name": "张三", "id_number": idFor(3)})
	if err := a.Audit(ctx, store.ActionViewPerson, p, ""); err != nil {
		t.Fatal(err)
	}
	mustSync(t, a)
	code, err := c.srv.NewEnrollCode(ctx, townA, true, 3600e9)
	if err != nil {
		t.Fatal(err)
	}
	office := newDevice(t, townA)
	if _, err := Enroll(ctx, office, c.url, code, "", fastOpt); err != nil {
		t.Fatal(err)
	}
	for _, st := range []*store.Store{b, office} {
		mustSync(t, st)
		log, err := st.AuditLog(ctx, store.AuditFilter{Action: store.ActionViewPerson})
		if err != nil {
			t.Fatal(err)
		}
		if len(log) != 1 || log[0].Device != a.Device() || log[0].RecordID != p {
			t.Fatalf("audit log on %s: %+v", st.Device(), log)
		}
	}
}
