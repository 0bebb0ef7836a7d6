// Package localefix runs before Fyne's lang package, which reads the
// locale in its init and logs "Fyne error: Error parsing user locale C" on
// every run, command line included, when LC_ALL, LC_MESSAGES or LANG is
// C.UTF-8 or POSIX.UTF-8 (the default of many servers and containers):
// its locale library folds only a bare "C" or "POSIX".
//
// It is a module of its own because Go initialises packages in import path
// order (among those whose imports are ready): a path that sorts before
// "fyne.io" runs first, as no "rehabdesk/..." package can. Importing it
// from main, before anything of Fyne, is enough.
package localefix

import (
	"os"
	"strings"
)

func init() {
	if os.Getenv("LANGUAGE") != "" {
		return // the locale library takes LANGUAGE first
	}
	for _, k := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		v := os.Getenv(k)
		if v == "" {
			continue
		}
		if lang, _, _ := strings.Cut(v, "."); lang == "C" || lang == "POSIX" {
			// Fyne's own words (dialog buttons) in English, as under "C";
			// RehabDesk's language is chosen from LC_*/LANG as before, and
			// the GUI sets LANGUAGE itself when the officer picks one.
			os.Setenv("LANGUAGE", "en")
		}
		return
	}
}
