package server

import (
	"context"
	"testing"
	"time"

	"rehabdesk/store"
	"rehabdesk/sync/wire"
)

// Ids and names go into text columns, and PostgreSQL's text holds no NUL
// character, where SQLite's does. A device (hostile, or with a damaged
// database) sending one gets that change refused alone, as a bad entity,
// on both backends — not a failed page it would send again forever — and
// an enrolment with one in its label is refused as malformed.
func TestNULInAnIDOrNameIsRefusedAlone(t *testing.T) {
	eachBackend(t, func(t *testing.T, _ backend) {
		f := newFixture(t)
		tok := f.enroll("devA", townA, false)
		nulUser := change("devA", townA, store.KindPerson, "p3", "p3", map[string]string{"name": "王五"})
		nulUser.User = "offi\x00cer"
		rep := f.push(tok,
			change("devA", townA, store.KindPerson, "p1", "p1", map[string]string{"name": "张三"}),
			change("devA", townA, store.KindPerson, "p\x002", "p\x002", map[string]string{"name": "李四"}),
			nulUser)
		if rep.Accepted != 1 || len(rep.Rejected) != 2 || rep.Rejected[0].Reason != ReasonBadEntity || rep.Rejected[1].Reason != ReasonBadEntity {
			t.Fatalf("push reply %+v", rep)
		}
		code, err := f.srv.NewEnrollCode(context.Background(), townA, false, time.Hour)
		if err != nil {
			t.Fatal(err)
		}
		_, err = f.srv.Enroll(context.Background(), "127.0.0.1", &wire.EnrollRequest{Code: code, Township: townA, Device: "devB", Label: "lap\x00top"})
		if wire.AsError(err).Code != wire.CodeMalformed {
			t.Fatalf("label with NUL: %v", err)
		}
	})
}
