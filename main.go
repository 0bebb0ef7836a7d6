// Command rehabdesk is the township workbench: with a command it runs the
// command line (rehabdesk help), without one it opens the desktop app.
package main

import (
	"flag"
	"os"

	fyneapp "fyne.io/fyne/v2/app"

	"rehabdesk/app"
	"rehabdesk/app/cli"
)

func main() {
	if cli.IsCommand(os.Args[1:]) {
		os.Exit(cli.Main(cli.DefaultEnv(), os.Args[1:]))
	}
	db := flag.String("db", cli.DefaultDBPath(), "database file")
	flag.Parse()
	ui := app.New(fyneapp.NewWithID("cn.gov.guizhou.rehabdesk"), *db, app.Options{})
	ui.ShowAndRun()
}
