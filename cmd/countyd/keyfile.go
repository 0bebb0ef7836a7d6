package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"rehabdesk/internal/cmdline"
)

// keyEnv names the environment variable that gives --key its default, so
// a service can set it once.
const keyEnv = "COUNTYD_KEY"

// errKeyPlace is why countyd will not run with its key beside the data.
const errKeyPlace = `the key file must not lie in the database's folder (%s): a copy or backup of that folder, or a stolen disk, would then open every record.
Keep it elsewhere, e.g. on another disk or a USB key kept locked away, and name it with --key PATH (or %s=PATH).`

// checkKeyPlace refuses a key file inside the database's folder (or below
// it), including the old default PATH.key.
func checkKeyPlace(db *dbFlags) error {
	if db.key == "" {
		msg := fmt.Sprintf(errKeyPlace, filepath.Dir(db.path), keyEnv)
		if _, err := os.Stat(db.path + ".key"); err == nil {
			msg += fmt.Sprintf("\nMove the existing key %s there first.", db.path+".key")
		}
		return cmdline.Usagef("--key is required: %s", msg)
	}
	dbDir, err := realDir(db.path)
	if err != nil {
		return err
	}
	keyDir, err := realDir(db.key)
	if err != nil {
		return err
	}
	if rel, err := filepath.Rel(dbDir, keyDir); err == nil && rel != ".." && !strings.HasPrefix(rel, "../") {
		return cmdline.Usagef(errKeyPlace, dbDir, keyEnv)
	}
	return nil
}

// realDir is the absolute folder of path with symbolic links resolved, so
// that a link cannot hide that two folders are one.
func realDir(path string) (string, error) {
	dir, err := filepath.Abs(filepath.Dir(path))
	if err != nil {
		return "", err
	}
	if real, err := filepath.EvalSymlinks(dir); err == nil {
		return real, nil
	}
	return dir, nil
}
