// Command countyd is RehabDesk's county server: it enrolls township devices
// and relays their changes (see package rehabdesk/sync/server). It has no
// GUI and builds without cgo.
//
//	countyd serve       --db PATH --addr HOST:PORT [--tls-cert F --tls-key F | --tls] [--hosts NAME,...]
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
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"sort"
	"syscall"
	"time"

	"rehabdesk/internal/flagargs"
	"rehabdesk/store"
)

// command is one countyd subcommand.
type command struct {
	usage string
	run   func(ctx context.Context, e *env, args []string) error
}

var commands = map[string]command{
	"serve":       {"--db PATH --addr HOST:PORT [--tls-cert FILE --tls-key FILE | --tls] [--hosts NAME,...]", runServe},
	"township":    {"add --db PATH --code CODE | list --db PATH", runTownship},
	"enroll-code": {"--db PATH (--township CODE [--county | --volunteer ID] | --device ID) [--ttl 24h]", runEnrollCode},
	"devices":     {"--db PATH", runDevices},
	"revoke":      {"--db PATH --device ID", runRevoke},
	"exchange":    {"--db PATH FILE [--out REPLY]", runExchange},
	"loadtest":    {"[--townships N --devices N --persons N --changes N --syncs N --concurrency N] [--pg URL [--servers N] [--pg-pid PID]] [--dir DIR | --url URL[,URL] (--db PATH | --pg URL) [--pid PID[,PID]]] [--cpuprofile] [--json]", runLoadtest},
	"version":     {"", runVersion},
}

// env is the outside world of a command, replaceable in tests.
type env struct {
	stdout, stderr io.Writer
	log            *slog.Logger
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	e := &env{stdout: os.Stdout, stderr: os.Stderr, log: slog.New(slog.NewTextHandler(os.Stderr, nil))}
	os.Exit(run(ctx, e, os.Args[1:]))
}

// run dispatches and returns the exit status: 0 ok, 1 failure, 2 usage.
func run(ctx context.Context, e *env, args []string) int {
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		printHelp(e.stdout)
		return 0
	}
	c, ok := commands[args[0]]
	if !ok {
		fmt.Fprintf(e.stderr, "countyd: unknown command %q\n", args[0])
		printHelp(e.stderr)
		return 2
	}
	stopProfile := startCPUProfile(e)
	err := c.run(ctx, e, args[1:])
	stopProfile()
	var ue usageError
	switch {
	case err == nil, errors.Is(err, flag.ErrHelp):
		return 0
	case errors.As(err, &ue):
		fmt.Fprintf(e.stderr, "countyd %s: %v\nusage: countyd %s %s\n", args[0], err, args[0], c.usage)
		return 2
	}
	fmt.Fprintf(e.stderr, "countyd %s: %v\n", args[0], err)
	return 1
}

func printHelp(w io.Writer) {
	fmt.Fprintln(w, "countyd — RehabDesk county sync server")
	names := make([]string, 0, len(commands))
	for name := range commands {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		fmt.Fprintf(w, "  countyd %s %s\n", name, commands[name].usage)
	}
	fmt.Fprintf(w, "every command takes --key FILE (default $%s), kept outside the database's folder\n", keyEnv)
	fmt.Fprintf(w, "and --pg URL (default $%s) in place of --db PATH to keep the server's data in PostgreSQL\n", pgEnv)
}

type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

// parse parses flags that may come before or after positional arguments.
func parse(fs *flag.FlagSet, args []string) ([]string, error) {
	pos, err := flagargs.Parse(fs, args)
	if err != nil && !errors.Is(err, flag.ErrHelp) {
		return nil, usageError{err.Error()}
	}
	return pos, err
}

// dbFlags name the server database and the key file that opens it, and
// the bound on clocks that every command applying changes enforces.
type dbFlags struct {
	path, key string
	pg        string // PostgreSQL connection string, in place of path
	maxAhead  time.Duration
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

func newFlags(e *env, name string) (*flag.FlagSet, *dbFlags) {
	fs := flag.NewFlagSet("countyd "+name, flag.ContinueOnError)
	fs.SetOutput(e.stderr)
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
		return usageError{"--db (or --pg) is required"}
	case db.path != "" && db.pg != "":
		return usageError{"--db and --pg name two databases: give one"}
	}
	return nil
}
