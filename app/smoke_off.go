//go:build !smoke

package app

// startSmoke does nothing: this binary was built without the smoke walk.
func (u *UI) startSmoke() {}
