package app

import (
	"context"
	"errors"
	"io/fs"
	"os"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"rehabdesk/store"
)

// A new or replacement laptop can start from an encrypted backup instead of
// an empty database: the first-run screen offers it next to creating one.
// The restored database keeps its accounts and passwords.

func (f *firstRun) onRestore() {
	f.ui.pickOpenPath(nil, f.askPassphrase)
}

func (f *firstRun) askPassphrase(backup string) {
	pass := &widget.Entry{Password: true}
	items := []*widget.FormItem{{Text: T("settings.backup_pass"), Widget: pass}}
	dialog.ShowForm(T("firstrun.restore_title"), T("firstrun.restore_go"), T("form.cancel"), items, func(ok bool) {
		if ok {
			f.restore(backup, pass.Text)
		}
	}, f.ui.win)
}

// restore decrypts the backup into the app's database path off the UI
// thread, then shows the sign-in screen.
func (f *firstRun) restore(backup, passphrase string) {
	f.submit.Disable()
	f.restoreButton.Disable()
	f.status.SetText(T("firstrun.restoring"))
	f.ui.opt.Background(func() {
		err := restoreInto(f.ui.ctx, backup, f.ui.path, passphrase)
		fyne.Do(func() { f.restored(err) })
	})
}

func (f *firstRun) restored(err error) {
	f.submit.Enable()
	f.restoreButton.Enable()
	f.status.SetText("")
	if err != nil {
		f.ui.showError(err)
		return
	}
	f.ui.Start()
	f.ui.showMessage(T("firstrun.restore_title"), T("firstrun.restore_done"))
}

func restoreInto(ctx context.Context, backup, path, passphrase string) error {
	if err := dropUninitialized(ctx, path); err != nil {
		return err
	}
	return store.RestoreFile(ctx, backup, path, passphrase)
}

// dropUninitialized removes a database file that a failed first run left
// without a township, so the restore can take its place. A database that
// holds a township is never removed.
func dropUninitialized(ctx context.Context, path string) error {
	if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	st, err := store.Open(ctx, path, store.Options{})
	if err == nil {
		st.Close()
		return store.ErrExists
	}
	if !errors.Is(err, store.ErrNotInitialized) {
		return err
	}
	for _, p := range []string{path, path + "-wal", path + "-shm"} {
		if err := os.Remove(p); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return err
		}
	}
	return nil
}
