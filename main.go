// Command rehabdesk is the township workbench: with a command it runs the
// command line (rehabdesk help), without one it opens the desktop app.
package main

import (
	"flag"
	"log"
	"os"

	_ "a.rehabdesk.local/localefix" // before Fyne reads the locale: see its doc

	"fyne.io/fyne/v2"
	fyneapp "fyne.io/fyne/v2/app"

	"rehabdesk/app"
	"rehabdesk/app/cli"
	"rehabdesk/internal/version"
)

// appID is also FyneApp.toml's ID: Fyne keeps preferences under it.
const appID = "cn.gov.guizhou.rehabdesk"

func main() {
	if cli.IsCommand(os.Args[1:]) {
		attachConsole()
		os.Exit(cli.Main(cli.DefaultEnv(), os.Args[1:]))
	}
	db := flag.String("db", cli.DefaultDBPath(), "database file")
	flag.Parse()
	log.SetOutput(app.QuietFyneLog(os.Stderr)) // no favourite-folder or focus noise (app/fynelog.go)
	// The metadata that `fyne build` would read from FyneApp.toml, set here so
	// that `go build`, `go install`, `make build` and the release binaries all
	// behave alike: the fyneDo migration above all (UI changes from our own
	// goroutines go through fyne.Do), whichever folder the binary runs from.
	fyneapp.SetMetadata(fyne.AppMetadata{
		ID: appID, Name: "社区戒毒康复工作台", Version: version.Get().Version, Build: 1,
		Migrations: map[string]bool{"fyneDo": true},
	})
	ui := app.New(fyneapp.NewWithID(appID), *db, app.Options{})
	ui.ShowAndRun()
}
