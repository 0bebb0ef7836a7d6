// Command countyd is RehabDesk's county server: it enrolls township devices
// and relays their changes (see package rehabdesk/sync/server). It has no
// GUI and builds without cgo.
//
//	countyd serve       --db PATH --addr HOST:PORT [--tls-cert F --tls-key F | --tls] [--hosts NAME,...]
//	                    [--upload-quota MB]
//
// serve uses TLS on every address but loopback: the given certificate, or
// a self-signed one it creates next to the database (PATH.cert.pem) and whose
// SHA-256 fingerprint it logs; devices pin that fingerprint at enrollment.
// The county office's workbench is served at the same address, for the
// accounts countyd user manages.
//
//	countyd user        add|list|disable|enable|passwd --db PATH [--name NAME] [--role staff|admin]
//
//	countyd township add --db PATH --code CODE
//	countyd enroll-code --db PATH (--township CODE [--county | --volunteer ID] | --device ID) [--ttl 24h]
//	countyd devices     --db PATH
//	countyd revoke      --db PATH --device ID
//	countyd exchange    --db PATH FILE [--out REPLY]
//
// Every command also takes --key FILE (default $COUNTYD_KEY): the key file
// sealing personal values, which must lie outside the database's folder.
//
// Every command takes --pg URL (default $COUNTYD_PG) in place of --db PATH:
// the server's data then lives in PostgreSQL, and several `countyd serve`
// may share it behind one address (give them the same key file and TLS
// certificate). `countyd migrate --from PATH --pg URL` moves a SQLite
// server there.
package main

import (
	"flag"
	"io"
	"log/slog"
	"os"
	"time"

	"rehabdesk/internal/cmdline"
	"rehabdesk/store"
)

// command is one `countyd NAME ...` subcommand; each registers itself with
// program.Register in an init function.
type command = cmdline.Command[*env]

// program is countyd's command line, the framework rehabdesk shares.
var program = &cmdline.Program[*env]{
	Name:  "countyd",
	Intro: func(*env) string { return "countyd — RehabDesk county sync server\n\nCommands:" },
	Notes: func(*env) string {
		return "Every command takes --key FILE (default $" + keyEnv + "), kept outside the database's folder,\n" +
			"and --pg URL (default $" + pgEnv + ") in place of --db PATH to keep the server's data in PostgreSQL."
	},
}

// env is the outside world of a command, replaceable in tests.
type env struct {
	stdout, stderr io.Writer
	log            *slog.Logger
}

// Streams gives the framework the command's output and error streams.
func (e *env) Streams() (stdout, stderr io.Writer) { return e.stdout, e.stderr }

func main() {
	e := &env{stdout: os.Stdout, stderr: os.Stderr, log: slog.New(slog.NewTextHandler(os.Stderr, nil))}
	stopProfile := startCPUProfile(e)
	code := program.Main(e, os.Args[1:])
	stopProfile() // before os.Exit, which runs no deferred call
	os.Exit(code)
}

// dbFlags name the server database and the key file that opens it, and
// the bound on clocks that every command applying changes enforces.
type dbFlags struct {
	path, key string
	pg        string // PostgreSQL connection string, in place of path
	maxAhead  time.Duration
	// uploadQuota: bytes of attachments one device may send a day (serve).
	uploadQuota int64
}

// pgEnv gives --pg its default: a connection string with a password is
// better kept out of the command line, which other users see in ps.
const pgEnv = "COUNTYD_PG"

// certBase is the path serve's self-signed certificate files are named
// after: the SQLite file, or with PostgreSQL the key file (copy both
// certificate files to every countyd behind one address: devices pin the
// certificate).
func (db *dbFlags) certBase() string {
	if db.pg != "" {
		return db.key
	}
	return db.path
}

// where names the database in log lines, without a PostgreSQL password.
func (db *dbFlags) where() string {
	if db.pg != "" {
		return "postgresql"
	}
	return db.path
}

// newFlags makes a command's flag set with the flags every command takes.
func newFlags(e *env, name string) (*flag.FlagSet, *dbFlags) {
	fs := program.NewFlags(e, name)
	db := &dbFlags{}
	fs.StringVar(&db.path, "db", "", "server database file (SQLite)")
	fs.StringVar(&db.pg, "pg", os.Getenv(pgEnv), "PostgreSQL database in place of --db: postgres://USER@HOST/DB or \"host=… dbname=…\" (default $"+pgEnv+"; the password from PGPASSWORD or ~/.pgpass)")
	fs.StringVar(&db.key, "key", os.Getenv(keyEnv), "key file sealing personal values, outside the database's folder (default $"+keyEnv+")")
	fs.DurationVar(&db.maxAhead, "max-clock-ahead", store.DefaultMaxClockAhead, "refuse changes stamped further ahead of this server's clock")
	return fs, db
}

func need(db *dbFlags) error {
	switch {
	case db.path == "" && db.pg == "":
		return cmdline.Usagef("--db (or --pg) is required")
	case db.path != "" && db.pg != "":
		return cmdline.Usagef("--db and --pg name two databases: give one")
	}
	return nil
}
