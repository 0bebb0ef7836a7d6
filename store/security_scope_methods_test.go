package store

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"reflect"
	"sort"
	"strings"
	"testing"
	"time"

	"rehabdesk/store/search"
)

// What a volunteer session must get from an exported method.
const (
	// wantRead: it succeeds and what it returns holds nothing of a person
	// not assigned to the volunteer, nor a field hidden from volunteers.
	wantRead = "read"
	// wantRefused: ErrForbidden, or ErrNotFound / ErrNoConflict when the
	// target is out of the volunteer's sight.
	wantRefused = "refused"
	// wantAllowed: a write or session step a volunteer may make; it
	// succeeds and what it returns holds no secret either.
	wantAllowed = "allowed"
	// wantQueue: the push queue, complete whoever is signed in (never shown),
	// or the push cursor would skip changes for good.
	wantQueue = "push queue"
)

// volunteerCall exercises one exported method of *Store or *Tx as the
// volunteer vol1 of a crowded volunteerWorld. A call may return an error of
// its own to report a wrong result that no secret string would reveal.
type volunteerCall struct {
	want string
	// alone runs the call on a world of its own: it ends the session or
	// closes the store.
	alone bool
	run   func(ctx context.Context, w *volunteerWorld, c crowded) (any, error)
}

func read(run func(context.Context, *volunteerWorld, crowded) (any, error)) volunteerCall {
	return volunteerCall{want: wantRead, run: run}
}

func refused(run func(context.Context, *volunteerWorld, crowded) (any, error)) volunteerCall {
	return volunteerCall{want: wantRefused, run: run}
}

func allowed(run func(context.Context, *volunteerWorld, crowded) (any, error)) volunteerCall {
	return volunteerCall{want: wantAllowed, run: run}
}

// errOnly adapts a method that returns only an error.
func errOnly(err error) (any, error) { return nil, err }

// inTx runs fn in a write transaction of the world's store and returns
// what fn returned.
func inTx(ctx context.Context, w *volunteerWorld, fn func(tx *Tx) (any, error)) (any, error) {
	var out any
	err := w.s.Update(ctx, func(tx *Tx) error {
		var err error
		out, err = fn(tx)
		return err
	})
	return out, err
}

// volunteerCalls holds, for every exported method of *Store and *Tx (a
// method of Tx is named "Tx.Name"), how a volunteer session exercises it.
// TestEveryExportedStoreMethodIsClassifiedForVolunteerScope fails for a
// method missing here: check that a volunteer session only gets assigned
// persons from it, then add calls that show it.
var volunteerCalls = map[string][]volunteerCall{
	"Accounts": {read(func(ctx context.Context, w *volunteerWorld, c crowded) (any, error) { return w.s.Accounts(ctx) })},
	"AddAccount": {refused(func(ctx context.Context, w *volunteerWorld, c crowded) (any, error) {
		return errOnly(w.s.AddAccount(ctx, "x2", "secret-pass", "officer", "", fastKDF))
	})},
	// A volunteer device receives its persons' attachments chunk by chunk.
	"AddBlobChunk": {allowed(func(ctx context.Context, w *volunteerWorld, c crowded) (any, error) {
		photo := []byte("a photo")
		sum := sha256.Sum256(photo)
		return errOnly(w.s.AddBlobChunk(ctx, hex.EncodeToString(sum[:]), 0, int64(len(photo)), photo))
	})},
	"AddStaff": {refused(func(ctx context.Context, w *volunteerWorld, c crowded) (any, error) {
		return w.s.AddStaff(ctx, map[string]string{"name": "钱八", "role": "officer"})
	})},
	"ApplyRemote": {allowed(func(ctx context.Context, w *volunteerWorld, c crowded) (any, error) {
		return w.s.ApplyRemote(ctx, nil)
	})},
	"ApplyRemoteAudit": {refused(func(ctx context.Context, w *volunteerWorld, c crowded) (any, error) {
		return errOnly(w.s.ApplyRemoteAudit(ctx, nil))
	})},
	"AssignVillage": {refused(func(ctx context.Context, w *volunteerWorld, c crowded) (any, error) {
		return w.s.AssignVillage(ctx, c.staff, "520102016001")
	})},
	"AddAttachment": {refused(func(ctx context.Context, w *volunteerWorld, c crowded) (any, error) {
		return w.s.AddAttachment(ctx, w.mine, "", map[string]string{"kind": "photo", "filename": "a.png"}, []byte("\x89PNG\r\n\x1a\nx"))
	})},
	"Attachments": {refused(func(ctx context.Context, w *volunteerWorld, c crowded) (any, error) {
		return w.s.Attachments(ctx, w.mine)
	})},
	"OpenAttachment": {refused(func(ctx context.Context, w *volunteerWorld, c crowded) (any, error) {
		_, b, err := w.s.OpenAttachment(ctx, w.mine)
		return b, err
	})},
	"SignAgreement": {refused(func(ctx context.Context, w *volunteerWorld, c crowded) (any, error) {
		return w.s.SignAgreement(ctx, w.mine, map[string]string{"signed_date": "2025-02-01"})
	})},
	"RecordLeave": {refused(func(ctx context.Context, w *volunteerWorld, c crowded) (any, error) {
		return w.s.RecordLeave(ctx, w.mine, map[string]string{"depart_date": "2025-02-01", "expected_return": "2025-02-05"})
	})},
	"RecordReturn": {refused(func(ctx context.Context, w *volunteerWorld, c crowded) (any, error) {
		return errOnly(w.s.RecordReturn(ctx, w.test, "2025-02-05"))
	})},
	"MarkLostContact": {refused(func(ctx context.Context, w *volunteerWorld, c crowded) (any, error) {
		return errOnly(w.s.MarkLostContact(ctx, w.mine, "2025-02-01"))
	})},
	"MarkFound": {refused(func(ctx context.Context, w *volunteerWorld, c crowded) (any, error) {
		return errOnly(w.s.MarkFound(ctx, w.mine, "2026-01-01"))
	})},
	"SetMeasureOutcome": {refused(func(ctx context.Context, w *volunteerWorld, c crowded) (any, error) {
		return errOnly(w.s.SetMeasureOutcome(ctx, w.test, DutyCompleted, "2025-02-01"))
	})},
	"StartTransfer": {refused(func(ctx context.Context, w *volunteerWorld, c crowded) (any, error) {
		return errOnly(w.s.StartTransfer(ctx, w.mine, "520102017", "2025-02-01"))
	})},
	"Archive": {refused(func(ctx context.Context, w *volunteerWorld, c crowded) (any, error) {
		return errOnly(w.s.Archive(ctx, w.other))
	})},
	"Audit": {allowed(func(ctx context.Context, w *volunteerWorld, c crowded) (any, error) {
		return errOnly(w.s.Audit(ctx, ActionViewPerson, w.mine, ""))
	})},
	"AuditLog": {refused(func(ctx context.Context, w *volunteerWorld, c crowded) (any, error) {
		return w.s.AuditLog(ctx, AuditFilter{})
	})},
	"AuditSince": {read(func(ctx context.Context, w *volunteerWorld, c crowded) (any, error) {
		return w.s.AuditSince(ctx, 0, 1000)
	})},
	"BeginBulk": {refused(func(ctx context.Context, w *volunteerWorld, c crowded) (any, error) {
		bw, err := w.s.BeginBulk(ctx)
		if err != nil {
			return nil, err
		}
		defer bw.Close()
		return errOnly(bw.Update(ctx, func(tx *Tx) error {
			_, err := tx.Put(KindVisit, "", map[string]string{"person": w.other, "date": "2025-02-01", "visitor_kind": "volunteer", "mode": "home"})
			return err
		}))
	})},
	"Blob": {refused(func(ctx context.Context, w *volunteerWorld, c crowded) (any, error) {
		return w.s.Blob(ctx, c.otherBlob)
	})},
	"BlobHashes": {read(func(ctx context.Context, w *volunteerWorld, c crowded) (any, error) {
		have, missing, err := w.s.BlobHashes(ctx)
		return [][]string{have, missing}, err
	})},
	"BlobsNotUploaded": {read(func(ctx context.Context, w *volunteerWorld, c crowded) (any, error) {
		return w.s.BlobsNotUploaded(ctx, []string{c.otherBlob})
	})},
	"MarkBlobsUploaded": {allowed(func(ctx context.Context, w *volunteerWorld, c crowded) (any, error) {
		return errOnly(w.s.MarkBlobsUploaded(ctx, []string{c.otherBlob}))
	})},
	"ForgetBlobsUploaded": {allowed(func(ctx context.Context, w *volunteerWorld, c crowded) (any, error) {
		return errOnly(w.s.ForgetBlobsUploaded(ctx))
	})},
	"BlobProgress": {read(func(ctx context.Context, w *volunteerWorld, c crowded) (any, error) {
		return w.s.BlobProgress(ctx, c.otherBlob)
	})},
	"ChangeMark": {read(func(ctx context.Context, w *volunteerWorld, c crowded) (any, error) { return w.s.ChangeMark(ctx) })},
	"ChangePassword": {{want: wantAllowed, alone: true, run: func(ctx context.Context, w *volunteerWorld, c crowded) (any, error) {
		return errOnly(w.s.ChangePassword(ctx, "volunteer-pass", "new-volunteer-pass"))
	}}},
	"Clock": {read(func(ctx context.Context, w *volunteerWorld, c crowded) (any, error) {
		return w.s.Clock().Now().String(), nil
	})},
	"CatchUp": {read(func(ctx context.Context, w *volunteerWorld, c crowded) (any, error) {
		// Another program wrote: the volunteer's reloaded index still holds
		// only their persons.
		w.s.shared.mu.Lock()
		w.s.shared.stale = true
		w.s.shared.mu.Unlock()
		if reloaded, err := w.s.CatchUp(ctx); err != nil || !reloaded {
			return nil, fmt.Errorf("CatchUp reloaded %v: %v", reloaded, err)
		}
		return w.s.Search(searchAll()), nil
	})},
	"Close": {{want: wantAllowed, alone: true, run: func(ctx context.Context, w *volunteerWorld, c crowded) (any, error) {
		return errOnly(w.s.Close())
	}}},
	"Conflicts": {read(func(ctx context.Context, w *volunteerWorld, c crowded) (any, error) { return w.s.Conflicts(ctx) })},
	"CountLocalChanges": {read(func(ctx context.Context, w *volunteerWorld, c crowded) (any, error) {
		return w.s.CountLocalChanges(ctx, 0)
	})},
	// DB is the raw handle for the sync engine's own tables: records and
	// changes in it are sealed.
	"Device": {read(func(ctx context.Context, w *volunteerWorld, c crowded) (any, error) { return w.s.Device(), nil })},
	"DisableAccount": {refused(func(ctx context.Context, w *volunteerWorld, c crowded) (any, error) {
		return errOnly(w.s.DisableAccount(ctx, "officer"))
	})},
	"Draft": {read(func(ctx context.Context, w *volunteerWorld, c crowded) (any, error) {
		f, _, ok, err := w.s.Draft(ctx, "visit")
		return []any{f, ok}, err
	})},
	"DropDraft": {allowed(func(ctx context.Context, w *volunteerWorld, c crowded) (any, error) {
		return errOnly(w.s.DropDraft(ctx, "visit"))
	})},
	"DuplicatePairs": {read(func(ctx context.Context, w *volunteerWorld, c crowded) (any, error) { return w.s.DuplicatePairs(ctx) })},
	"EachRecord": {read(func(ctx context.Context, w *volunteerWorld, c crowded) (any, error) {
		var all []*Record
		err := w.s.EachRecord(ctx, Kinds(), func(r *Record) error { all = append(all, r); return nil })
		return all, err
	})},
	"Get": {
		read(func(ctx context.Context, w *volunteerWorld, c crowded) (any, error) { return w.s.Get(ctx, w.mine) }),
		read(func(ctx context.Context, w *volunteerWorld, c crowded) (any, error) { return w.s.Get(ctx, w.test) }),
		refused(func(ctx context.Context, w *volunteerWorld, c crowded) (any, error) { return w.s.Get(ctx, w.other) }),
		refused(func(ctx context.Context, w *volunteerWorld, c crowded) (any, error) { return w.s.Get(ctx, w.violation) }),
		refused(func(ctx context.Context, w *volunteerWorld, c crowded) (any, error) {
			return w.s.Get(ctx, w.otherVisit)
		}),
	},
	"History": {refused(func(ctx context.Context, w *volunteerWorld, c crowded) (any, error) { return w.s.History(ctx, w.mine) })},
	"HoldIndex": {allowed(func(ctx context.Context, w *volunteerWorld, c crowded) (any, error) {
		h, err := w.s.HoldIndex()
		if err == nil {
			h.Release(ctx)
		}
		return w.s.Search(searchAll()), err
	})},
	"KeyedPersons": {read(func(ctx context.Context, w *volunteerWorld, c crowded) (any, error) { return w.s.KeyedPersons(ctx) })},
	"List":         listCalls(),
	"LoadAll":      {read(func(ctx context.Context, w *volunteerWorld, c crowded) (any, error) { return w.s.LoadAll(ctx) })},
	"LocalChanges": {{want: wantQueue, run: func(ctx context.Context, w *volunteerWorld, c crowded) (any, error) {
		return w.s.LocalChanges(ctx, 0, 1000)
	}}},
	"Lock": {{want: wantAllowed, alone: true, run: func(ctx context.Context, w *volunteerWorld, c crowded) (any, error) {
		w.s.Lock()
		if _, err := w.s.Get(ctx, w.mine); !errors.Is(err, ErrLocked) {
			return nil, fmt.Errorf("Get after Lock: %v, want ErrLocked", err)
		}
		return nil, nil
	}}},
	"CombinePersons": {refused(func(ctx context.Context, w *volunteerWorld, c crowded) (any, error) {
		return errOnly(w.s.CombinePersons(ctx, w.other, c.otherTwin))
	})},
	"NormalizeField": {read(func(ctx context.Context, w *volunteerWorld, c crowded) (any, error) {
		return w.s.NormalizeField(KindPerson, "name", " 王 五 ")
	})},
	"Path": {read(func(ctx context.Context, w *volunteerWorld, c crowded) (any, error) { return w.s.Path(), nil })},
	// Housekeeping after a push, whoever is signed in: it erases files
	// of persons transferred away, and tells only how many.
	"PurgeTransferred": {allowed(func(ctx context.Context, w *volunteerWorld, c crowded) (any, error) {
		return w.s.PurgeTransferred(ctx, 1<<40)
	})},
	// A batch is a list of Puts: a volunteer adds visits to assigned
	// persons only, and one row for another person keeps the whole batch out.
	"AddEvents": {
		allowed(func(ctx context.Context, w *volunteerWorld, c crowded) (any, error) {
			return w.s.AddEvents(ctx, KindVisit, []map[string]string{{"person": w.mine, "date": "2025-02-01", "visitor_kind": "volunteer", "mode": "home"}})
		}),
		refused(func(ctx context.Context, w *volunteerWorld, c crowded) (any, error) {
			return w.s.AddEvents(ctx, KindVisit, []map[string]string{
				{"person": w.mine, "date": "2025-02-02", "visitor_kind": "volunteer", "mode": "home"},
				{"person": w.other, "date": "2025-02-02", "visitor_kind": "volunteer", "mode": "home"}})
		}),
	},
	"DepartedFile": {refused(func(ctx context.Context, w *volunteerWorld, c crowded) (any, error) {
		return w.s.DepartedFile(ctx, w.other)
	})},
	"EachChange": {refused(func(ctx context.Context, w *volunteerWorld, c crowded) (any, error) {
		var n int
		return n, w.s.EachChange(ctx, []Kind{KindPerson}, func(*Change) { n++ })
	})},
	"SealedStates": {refused(func(ctx context.Context, w *volunteerWorld, c crowded) (any, error) {
		return w.s.SealedStates(ctx, "report.")
	})},
	"SetSealedState": {refused(func(ctx context.Context, w *volunteerWorld, c crowded) (any, error) {
		return errOnly(w.s.SetSealedState(ctx, "report.kept.x", "{}"))
	})},
	"Put": {
		refused(func(ctx context.Context, w *volunteerWorld, c crowded) (any, error) {
			return w.s.Put(ctx, KindVisit, "", map[string]string{"person": w.other, "date": "2025-02-01", "visitor_kind": "volunteer", "mode": "home"})
		}),
		refused(func(ctx context.Context, w *volunteerWorld, c crowded) (any, error) {
			return w.s.Put(ctx, KindVisit, w.otherVisit, map[string]string{"notes": "x"})
		}),
		allowed(func(ctx context.Context, w *volunteerWorld, c crowded) (any, error) {
			return w.s.Put(ctx, KindVisit, "", map[string]string{"person": w.mine, "date": "2025-02-01", "visitor_kind": "volunteer", "mode": "home"})
		}),
	},
	"PutBlob": {allowed(func(ctx context.Context, w *volunteerWorld, c crowded) (any, error) {
		return w.s.PutBlob(ctx, []byte("a photo"))
	})},
	"ResolveConflict": {refused(func(ctx context.Context, w *volunteerWorld, c crowded) (any, error) {
		return errOnly(w.s.ResolveConflict(ctx, c.otherConflict, true))
	})},
	"RevealID": {refused(func(ctx context.Context, w *volunteerWorld, c crowded) (any, error) { return w.s.RevealID(ctx, w.mine) })},
	"Roster":   {read(func(ctx context.Context, w *volunteerWorld, c crowded) (any, error) { return w.s.Roster(ctx) })},
	"SaveDraft": {allowed(func(ctx context.Context, w *volunteerWorld, c crowded) (any, error) {
		return errOnly(w.s.SaveDraft(ctx, "visit", map[string]string{"notes": "draft"}))
	})},
	"Search": {
		read(func(ctx context.Context, w *volunteerWorld, c crowded) (any, error) {
			return w.s.Search(searchAll()), nil
		}),
		read(func(ctx context.Context, w *volunteerWorld, c crowded) (any, error) {
			return w.s.Search(search.Query{Text: w.otherName}), nil
		}),
	},
	"SearchEntry": {
		read(func(ctx context.Context, w *volunteerWorld, c crowded) (any, error) { return searchEntry(w.s, w.mine) }),
		read(func(ctx context.Context, w *volunteerWorld, c crowded) (any, error) { return searchEntry(w.s, w.other) }),
		read(func(ctx context.Context, w *volunteerWorld, c crowded) (any, error) { return searchEntry(w.s, c.gone) }),
	},
	"Session": {read(func(ctx context.Context, w *volunteerWorld, c crowded) (any, error) { return w.s.Session(), nil })},
	"SetPassword": {refused(func(ctx context.Context, w *volunteerWorld, c crowded) (any, error) {
		return errOnly(w.s.SetPassword(ctx, "officer", "new-secret-pass"))
	})},
	// The offset only moves the bound on remote clocks; it reads nothing.
	"SetClockOffset": {allowed(func(ctx context.Context, w *volunteerWorld, c crowded) (any, error) {
		w.s.SetClockOffset(0)
		return nil, nil
	})},
	"SetSyncSecret": {allowed(func(ctx context.Context, w *volunteerWorld, c crowded) (any, error) {
		return errOnly(w.s.SetSyncSecret(ctx, "test", []byte("s")))
	})},
	"SetSyncState": {allowed(func(ctx context.Context, w *volunteerWorld, c crowded) (any, error) {
		return errOnly(w.s.SetSyncState(ctx, map[string]string{"test": "1"}))
	})},
	"RecordsAsOf": {read(func(ctx context.Context, w *volunteerWorld, c crowded) (any, error) {
		return w.s.RecordsAsOf(ctx, time.Now().Add(time.Hour))
	})},
	"Stage": {refused(func(ctx context.Context, w *volunteerWorld, c crowded) (any, error) {
		sg, err := w.s.Stage()
		if err != nil {
			return nil, err
		}
		return sg.Put(KindPerson, "", map[string]string{"name": "赵七", "id_number": idWithCheck("52010219700101888")})
	})},
	"SyncSecret": {read(func(ctx context.Context, w *volunteerWorld, c crowded) (any, error) {
		return w.s.SyncSecret(ctx, "none")
	})},
	"SyncState": {read(func(ctx context.Context, w *volunteerWorld, c crowded) (any, error) {
		return w.s.SyncState(ctx, "none")
	})},
	"Now":      {read(func(ctx context.Context, w *volunteerWorld, c crowded) (any, error) { return w.s.Now(), nil })},
	"Today":    {read(func(ctx context.Context, w *volunteerWorld, c crowded) (any, error) { return w.s.Today(), nil })},
	"Township": {read(func(ctx context.Context, w *volunteerWorld, c crowded) (any, error) { return w.s.Township(), nil })},
	"TransferPerson": {refused(func(ctx context.Context, w *volunteerWorld, c crowded) (any, error) {
		return errOnly(w.s.TransferPerson(ctx, w.other, "520102017"))
	})},
	"Transfers": {read(func(ctx context.Context, w *volunteerWorld, c crowded) (any, error) { return w.s.Transfers(ctx) })},
	"Unlock": {
		{want: wantAllowed, alone: true, run: func(ctx context.Context, w *volunteerWorld, c crowded) (any, error) {
			w.s.Lock()
			return errOnly(w.s.Unlock(ctx, "vol1", "volunteer-pass"))
		}},
	},
	"Update": {read(func(ctx context.Context, w *volunteerWorld, c crowded) (any, error) {
		return inTx(ctx, w, func(tx *Tx) (any, error) { return tx.Get(w.mine) })
	})},
	"ViewPerson": {
		read(func(ctx context.Context, w *volunteerWorld, c crowded) (any, error) {
			return w.s.ViewPerson(ctx, w.mine)
		}),
		refused(func(ctx context.Context, w *volunteerWorld, c crowded) (any, error) {
			return w.s.ViewPerson(ctx, w.other)
		}),
	},
	"Tx.AppendChange": {{want: wantAllowed, run: func(ctx context.Context, w *volunteerWorld, c crowded) (any, error) {
		// The sync engine's own log write: a remote change already in the
		// log is ignored, whoever is signed in.
		return inTx(ctx, w, func(tx *Tx) (any, error) { return nil, tx.AppendChange(firstChange(ctx, w), false) })
	}}},
	"Tx.ApplyRemote": {allowed(func(ctx context.Context, w *volunteerWorld, c crowded) (any, error) {
		return inTx(ctx, w, func(tx *Tx) (any, error) { return nil, tx.ApplyRemote(firstChange(ctx, w)) })
	})},
	"Tx.Audit": {allowed(func(ctx context.Context, w *volunteerWorld, c crowded) (any, error) {
		return inTx(ctx, w, func(tx *Tx) (any, error) { return nil, tx.Audit(ActionViewPerson, w.mine, "") })
	})},
	"Tx.ChangeMark": {read(func(ctx context.Context, w *volunteerWorld, c crowded) (any, error) {
		return inTx(ctx, w, func(tx *Tx) (any, error) { return tx.ChangeMark() })
	})},
	"Tx.Changes": {read(func(ctx context.Context, w *volunteerWorld, c crowded) (any, error) {
		return inTx(ctx, w, func(tx *Tx) (any, error) { return tx.Changes(), nil })
	})},
	"Tx.Get": {
		read(func(ctx context.Context, w *volunteerWorld, c crowded) (any, error) {
			return inTx(ctx, w, func(tx *Tx) (any, error) { return tx.Get(w.test) })
		}),
		refused(func(ctx context.Context, w *volunteerWorld, c crowded) (any, error) {
			return inTx(ctx, w, func(tx *Tx) (any, error) { return tx.Get(w.other) })
		}),
	},
	"Tx.HoldIndex": {allowed(func(ctx context.Context, w *volunteerWorld, c crowded) (any, error) {
		h, err := w.s.HoldIndex()
		if err != nil {
			return nil, err
		}
		defer h.Release(ctx)
		return inTx(ctx, w, func(tx *Tx) (any, error) { tx.HoldIndex(h); return nil, nil })
	})},
	"Tx.CombinePersons": {refused(func(ctx context.Context, w *volunteerWorld, c crowded) (any, error) {
		return inTx(ctx, w, func(tx *Tx) (any, error) { return nil, tx.CombinePersons(w.other, c.otherTwin) })
	})},
	"Tx.Put": {refused(func(ctx context.Context, w *volunteerWorld, c crowded) (any, error) {
		return inTx(ctx, w, func(tx *Tx) (any, error) {
			return tx.Put(KindPerson, w.other, map[string]string{"phone": "13800000009"})
		})
	})},
	"Tx.PutStaged": {refused(func(ctx context.Context, w *volunteerWorld, c crowded) (any, error) {
		sg := stagedByOfficer(ctx, w)
		_, err := inTx(ctx, w, func(tx *Tx) (any, error) { return nil, tx.PutStaged(sg) })
		if err != nil && strings.Contains(err.Error(), "staged by officer") {
			// PutStaged refuses a set staged in another session with an
			// error of its own, not ErrForbidden.
			err = fmt.Errorf("%w: %v", ErrForbidden, err)
		}
		return nil, err
	})},
	"Tx.SetArchived": {refused(func(ctx context.Context, w *volunteerWorld, c crowded) (any, error) {
		return inTx(ctx, w, func(tx *Tx) (any, error) { return nil, tx.SetArchived(w.other, true) })
	})},
	"Tx.SetSyncState": {allowed(func(ctx context.Context, w *volunteerWorld, c crowded) (any, error) {
		return inTx(ctx, w, func(tx *Tx) (any, error) { return nil, tx.SetSyncState("test", "2") })
	})},
	"Tx.StagedClashes": {read(func(ctx context.Context, w *volunteerWorld, c crowded) (any, error) {
		return inTx(ctx, w, func(tx *Tx) (any, error) { return tx.StagedClashes(nil, false) })
	})},
	"Tx.TransferPerson": {refused(func(ctx context.Context, w *volunteerWorld, c crowded) (any, error) {
		return inTx(ctx, w, func(tx *Tx) (any, error) { return nil, tx.TransferPerson(w.other, "520102017") })
	})},
}

// listCalls lists every kind, everyone's and other's.
func listCalls() []volunteerCall {
	var out []volunteerCall
	for _, k := range Kinds() {
		out = append(out,
			read(func(ctx context.Context, w *volunteerWorld, c crowded) (any, error) {
				return w.s.List(ctx, k, ListFilter{IncludeArchived: true})
			}),
			read(func(ctx context.Context, w *volunteerWorld, c crowded) (any, error) {
				return w.s.List(ctx, k, ListFilter{PersonID: w.other, IncludeArchived: true})
			}))
	}
	return out
}

// searchEntry is SearchEntry's entry, or nil when it says there is none.
func searchEntry(s *Store, id string) (any, error) {
	if e, ok := s.SearchEntry(id); ok {
		return e, nil
	}
	return nil, nil
}

// firstChange is the first change of the world's log.
func firstChange(ctx context.Context, w *volunteerWorld) *Change {
	chs, err := w.s.LocalChanges(ctx, 0, 1)
	if err != nil || len(chs) == 0 {
		panic(fmt.Sprintf("no first change: %v", err))
	}
	return chs[0]
}

// stagedByOfficer is a set staged in an officer's session, with a visit of
// other; the world is signed in as vol1 again when it returns.
func stagedByOfficer(ctx context.Context, w *volunteerWorld) *Staged {
	w.s.Lock()
	defer func() {
		w.s.Lock()
		if err := w.s.Unlock(ctx, "vol1", "volunteer-pass"); err != nil {
			panic(err)
		}
	}()
	if err := w.s.Unlock(ctx, "officer", "secret-pass"); err != nil {
		panic(err)
	}
	sg, err := w.s.Stage()
	if err == nil {
		_, err = sg.Put(KindPerson, "", map[string]string{"name": "赵八", "id_number": idWithCheck("52010219700101999")})
	}
	if err != nil {
		panic(err)
	}
	return sg
}

// exportedMethods names every exported method of *Store, and of *Tx as
// "Tx.Name", found by reflection.
func exportedMethods() []string {
	var out []string
	for prefix, typ := range map[string]reflect.Type{"": reflect.TypeOf(&Store{}), "Tx.": reflect.TypeOf(&Tx{})} {
		for i := 0; i < typ.NumMethod(); i++ {
			out = append(out, prefix+typ.Method(i).Name)
		}
	}
	sort.Strings(out)
	return out
}

// check runs one call and reports what a volunteer got that it should not.
func (w *volunteerWorld) check(t *testing.T, what string, vc volunteerCall, c crowded) {
	t.Helper()
	ctx := context.Background()
	v, err := vc.run(ctx, w, c)
	switch vc.want {
	case wantRefused:
		if !errors.Is(err, ErrForbidden) && !errors.Is(err, ErrNotFound) && !errors.Is(err, ErrNoConflict) {
			t.Errorf("%s: got %v, %v; want it refused", what, v, err)
		}
		return
	case wantQueue:
		if cs, ok := v.([]*Change); err != nil || !ok || len(cs) < 8 {
			t.Errorf("%s: %v, %v; want the whole push queue", what, v, err)
		}
		return
	}
	if err != nil {
		t.Errorf("%s (%s): %v", what, vc.want, err)
		return
	}
	w.noLeak(t, what, v)
}

// secrets adds what the crowded world holds that a volunteer may not see.
func (c crowded) secrets() []string {
	return []string{c.otherTwin, c.mineTwin, c.gone, c.goneName, "李四明", "李四白", "invalid"}
}

// withSecrets makes w's leak checks also look for extra.
func (w *volunteerWorld) withSecrets(extra []string) {
	w.extra = append(w.extra, extra...)
}

func TestEveryExportedStoreMethodIsClassifiedForVolunteerScope(t *testing.T) {
	w := newVolunteerWorld(t)
	c := w.addConflictsAndDuplicates(t)
	w.withSecrets(c.secrets())
	for _, name := range exportedMethods() {
		calls := volunteerCalls[name]
		if len(calls) == 0 {
			t.Errorf("%s is not classified: check that a volunteer session only gets assigned persons from it, then add calls to volunteerCalls", name)
		}
		for i, vc := range calls {
			what := fmt.Sprintf("%s #%d as a volunteer", name, i+1)
			if vc.alone {
				alone := newVolunteerWorld(t)
				alone.check(t, what, vc, crowded{})
				continue
			}
			w.check(t, what, vc, c)
		}
	}
}

// TestVolunteerSeesOnlyAssignedPersonsThroughEveryReadMethod runs every read
// of volunteerCalls, for every read method found by reflection, and checks
// the answers a volunteer must get from a few of them.
func TestVolunteerSeesOnlyAssignedPersonsThroughEveryReadMethod(t *testing.T) {
	w := newVolunteerWorld(t)
	c := w.addConflictsAndDuplicates(t)
	w.withSecrets(c.secrets())
	reads := 0
	for _, name := range exportedMethods() {
		for i, vc := range volunteerCalls[name] {
			if vc.want == wantRead && !vc.alone {
				reads++
				w.check(t, fmt.Sprintf("%s #%d", name, i+1), vc, c)
			}
		}
	}
	if reads < 40 {
		t.Errorf("only %d read calls ran", reads)
	}
	if res := w.s.Search(searchAll()); res.Total != 1 || res.Entries[0].ID != w.mine {
		t.Errorf("volunteer search: %+v, want only the assigned person", res)
	}
	if res := w.s.Search(search.Query{Text: w.otherID[6:14]}); res.Total != 0 {
		t.Errorf("ID-fragment search finds %d persons", res.Total)
	}
	if res := w.s.Search(search.Query{Text: w.mineID[6:14]}); res.Total != 0 {
		t.Errorf("a volunteer can probe the hidden digits of an assigned person's ID number")
	}
}

// TestVolunteerSeesOnlyVisibleConflictsAndNoDuplicatePairs guards the scope
// of Conflicts and DuplicatePairs: of three conflicts, a volunteer sees only
// the one on an assigned person's visible field, and no duplicate pair that
// involves a person not assigned.
func TestVolunteerSeesOnlyVisibleConflictsAndNoDuplicatePairs(t *testing.T) {
	ctx := context.Background()
	w := newVolunteerWorld(t)
	w.addConflictsAndDuplicates(t)
	cs, err := w.s.Conflicts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, x := range cs {
		got = append(got, x.RecordID+"."+x.Field)
	}
	if want := w.mine + ".name"; strings.Join(got, " ") != want {
		t.Errorf("a volunteer sees conflicts %v, want only %s", got, want)
	}
	pairs, err := w.s.DuplicatePairs(ctx)
	if err != nil || len(pairs) != 0 {
		t.Errorf("a volunteer sees duplicate pairs %+v (%v), want none", pairs, err)
	}
}
