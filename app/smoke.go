//go:build smoke

package app

import (
	"fmt"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"time"

	"fyne.io/fyne/v2"
)

// startSmoke starts the smoke walk when $REHABDESK_SMOKE names a folder.
func (u *UI) startSmoke() {
	if dir := os.Getenv(smokeEnv); dir != "" {
		os.MkdirAll(dir, 0o755)
		go u.smoke(dir)
	}
}

// smoke signs in (or completes the first run with REHABDESK_USER and
// REHABDESK_PASSWORD), opens every main screen, saves its capture and
// quits. It runs on its own goroutine and touches widgets only through
// fyne.DoAndWait.
func (u *UI) smoke(dir string) {
	user, pw := os.Getenv("REHABDESK_USER"), os.Getenv("REHABDESK_PASSWORD")
	if user == "" {
		user = "smoke"
	}
	if pw == "" {
		pw = "smoke-password"
	}
	time.Sleep(time.Second)
	fyne.DoAndWait(func() { u.smokeSignIn(user, pw) })
	if !u.waitFor(func() bool { return u.shell != nil }, 30*time.Second) {
		u.smokeFail(dir, "sign-in did not reach the main window")
		return
	}
	for i, name := range smokeNames {
		if !u.smokeStep(dir, fmt.Sprintf("%d-%s.png", i+1, name), func() { u.shell.show(i) }) {
			return
		}
	}
	n := len(smokeNames)
	if !u.smokeStep(dir, fmt.Sprintf("%d-person.png", n+1), u.smokeOpenPerson) || !u.smokeStep(dir, fmt.Sprintf("%d-form.png", n+2), u.shell.people.onAdd) {
		return
	}
	fyne.Do(u.app.Quit)
}

// smokeSettle is how long a step waits before its capture: on a busy
// machine a page took more than 700 ms to draw, and each capture showed the
// page before.
const smokeSettle = 2 * time.Second

// smokeStep does one thing on the UI thread, lets it draw and captures it.
func (u *UI) smokeStep(dir, name string, do func()) bool {
	fyne.DoAndWait(do)
	time.Sleep(smokeSettle)
	if err := u.capture(filepath.Join(dir, name)); err != nil {
		u.smokeFail(dir, err.Error())
		return false
	}
	return true
}

// smokeOpenPerson opens the first person of the list, if there is one.
func (u *UI) smokeOpenPerson() {
	u.shell.show(navPeople)
	if e, ok := u.shell.people.rows.get(0); ok {
		u.shell.people.openPerson(e.ID)
	}
}

func (u *UI) smokeSignIn(user, pw string) {
	switch {
	case u.firstRun != nil:
		f := u.firstRun
		f.county.SetSelectedIndex(0)
		f.township.SetSelectedIndex(0)
		f.user.SetText(user)
		f.password.SetText(pw)
		f.password2.SetText(pw)
		f.onSubmit()
	case u.signIn != nil:
		u.signIn.user.SetText(user)
		u.signIn.password.SetText(pw)
		u.signIn.onSubmit()
	}
}

// waitFor polls a condition on the UI thread.
func (u *UI) waitFor(cond func() bool, limit time.Duration) bool {
	for end := time.Now().Add(limit); time.Now().Before(end); time.Sleep(100 * time.Millisecond) {
		ok := false
		fyne.DoAndWait(func() { ok = cond() })
		if ok {
			return true
		}
	}
	return false
}

// capture saves what the window shows as a PNG. On X11 it asks
// ImageMagick's import for the screen, because reading OpenGL's front
// buffer gives a blank image on a virtual display without a compositor.
func (u *UI) capture(path string) error {
	if imp, err := exec.LookPath("import"); err == nil && os.Getenv("DISPLAY") != "" {
		return exec.Command(imp, "-window", "root", path).Run()
	}
	var err error
	fyne.DoAndWait(func() {
		img := u.win.Canvas().Capture()
		var f *os.File
		if f, err = os.Create(path); err != nil {
			return
		}
		err = png.Encode(f, img)
		if cerr := f.Close(); err == nil {
			err = cerr
		}
	})
	return err
}

// smokeFail records why the walk stopped, with a capture, and quits.
func (u *UI) smokeFail(dir, why string) {
	u.capture(filepath.Join(dir, "failed.png"))
	os.WriteFile(filepath.Join(dir, "FAILED.txt"), []byte(why+"\n"), 0o644)
	fyne.Do(u.app.Quit)
}
