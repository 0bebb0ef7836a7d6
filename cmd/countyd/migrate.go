package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"sort"

	"rehabdesk/internal/cmdline"
	"rehabdesk/sync/server"
)

func init() {
	program.Register(command{Name: "migrate", Summary: "move a SQLite server's data into PostgreSQL",
		Usage: "--from PATH --pg URL --key FILE", Run: runMigrate})
}

// runMigrate moves a SQLite server to PostgreSQL. Devices carry on without
// re-enrolling: the copy keeps their tokens, ids, feed positions and the
// server's identity, the key file and its generation marker stay as they
// are, and the self-signed certificate devices pinned moves beside the key
// file, where serve --pg looks for it.
func runMigrate(ctx context.Context, e *env, args []string) error {
	fs, db := newFlags(e, "migrate")
	from := fs.String("from", "", "the SQLite server database to move (stop countyd first)")
	if _, err := cmdline.Parse(fs, args); err != nil {
		return err
	}
	if *from == "" || db.pg == "" {
		return cmdline.Usagef("--from and --pg are required")
	}
	db.path = *from
	if err := checkKeyPlace(db); err != nil {
		return err
	}
	if _, err := os.Stat(db.key); err != nil {
		return fmt.Errorf("key file: %w", err)
	}
	if _, err := os.Stat(*from); err != nil {
		return fmt.Errorf("server database: %w", err)
	}
	rep, err := server.CopyToPostgres(ctx, *from, db.pg)
	if err != nil {
		return err
	}
	printCopy(e.stdout, rep)
	if err := moveCert(*from, db.key); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "moved. Serve with: countyd serve --pg URL --key %s (keep %s as a backup; countyd no longer writes it)\n", db.key, *from)
	return nil
}

func printCopy(w io.Writer, rep server.CopyReport) {
	names := make([]string, 0, len(rep))
	for t := range rep {
		names = append(names, t)
	}
	sort.Strings(names)
	for _, t := range names {
		fmt.Fprintf(w, "%-22s %d rows\n", t, rep[t])
	}
}

// moveCert copies serve's self-signed certificate from beside the SQLite
// file to beside the key file: devices pinned its fingerprint, and a new
// one would lock them out. A certificate already there is left alone.
func moveCert(dbPath, keyPath string) error {
	srcCert, srcKey := certPaths(dbPath)
	dstCert, dstKey := certPaths(keyPath)
	if _, err := os.Stat(srcCert); errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if _, err := os.Stat(dstCert); err == nil {
		return nil
	}
	for _, p := range [][2]string{{srcKey, dstKey}, {srcCert, dstCert}} {
		data, err := os.ReadFile(p[0])
		if err != nil {
			return fmt.Errorf("move the TLS certificate: %w", err)
		}
		if err := os.WriteFile(p[1], data, 0o600); err != nil {
			return fmt.Errorf("move the TLS certificate: %w", err)
		}
	}
	return nil
}
