package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"text/tabwriter"

	"golang.org/x/term"

	"rehabdesk/internal/cmdline"
	"rehabdesk/sync/server"
)

// countyd user manages the county office's workbench accounts (staff and
// admin). They are the server's own: a township officer's password opens
// nothing here.
func init() {
	program.Register(command{Name: "user", Summary: "manage the county office's workbench accounts",
		Usage: "add --db PATH --name NAME [--role staff|admin] | list --db PATH | disable|enable --db PATH --name NAME | passwd --db PATH --name NAME", Run: runUser})
}

// passwordEnv gives a new password without a terminal (scripts, tests).
const passwordEnv = "COUNTYD_PASSWORD"

var errNoPassword = errors.New("no password: run on a terminal or set $" + passwordEnv)

func runUser(ctx context.Context, e *env, args []string) error {
	verbs := map[string]bool{"add": true, "list": true, "disable": true, "enable": true, "passwd": true}
	if len(args) == 0 || !verbs[args[0]] {
		return cmdline.Usagef("user add, list, disable, enable or passwd")
	}
	fs, db := newFlags(e, "user "+args[0])
	name := fs.String("name", "", "account name (letters, digits, '.', '-', '_')")
	role := fs.String("role", server.RoleStaff, "staff (sees every township) or admin (also enrolment codes, devices, accounts, targets)")
	if _, err := cmdline.Parse(fs, args[1:]); err != nil {
		return err
	}
	if err := need(db); err != nil {
		return err
	}
	if args[0] != "list" && *name == "" {
		return cmdline.Usagef("--name is required")
	}
	srv, err := open(ctx, e, db)
	if err != nil {
		return err
	}
	defer srv.Close()
	return userVerb(ctx, e, srv, args[0], *name, *role)
}

func userVerb(ctx context.Context, e *env, srv *server.Server, verb, name, role string) error {
	switch verb {
	case "list":
		return listUsers(ctx, e, srv)
	case "disable":
		return done(e, srv.DisableAccount(ctx, name), "account %s disabled; its sessions are ended\n", name)
	case "enable":
		return done(e, srv.EnableAccount(ctx, name), "account %s enabled\n", name)
	}
	pw, err := e.newPassword()
	if err != nil {
		return err
	}
	if verb == "add" {
		return done(e, srv.AddAccount(ctx, name, role, pw), "account %s added (%s)\n", server.NormUser(name), role)
	}
	return done(e, srv.SetPassword(ctx, name, pw), "password of %s changed; its sessions are ended\n", name)
}

func done(e *env, err error, format string, args ...any) error {
	if err == nil {
		fmt.Fprintf(e.stdout, format, args...)
	}
	return err
}

func listUsers(ctx context.Context, e *env, srv *server.Server) error {
	as, err := srv.Accounts(ctx)
	if err != nil {
		return err
	}
	w := tabwriter.NewWriter(e.stdout, 2, 4, 2, ' ', 0)
	fmt.Fprintln(w, "NAME\tROLE\tCREATED\tPASSWORD SET\tSTATE")
	for _, a := range as {
		state := "active"
		if !a.Disabled.IsZero() {
			state = "disabled " + when(a.Disabled)
		}
		fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\n", a.Name, a.Role, when(a.Created), when(a.Changed), state)
	}
	return w.Flush()
}

// newPassword reads $COUNTYD_PASSWORD, or asks twice on the terminal.
func (e *env) newPassword() (string, error) {
	if pw := os.Getenv(passwordEnv); pw != "" {
		return pw, nil
	}
	fd := int(os.Stdin.Fd())
	if !term.IsTerminal(fd) {
		return "", errNoPassword
	}
	var pws [2]string
	for i, prompt := range []string{"new password: ", "again: "} {
		fmt.Fprint(e.stderr, prompt)
		b, err := term.ReadPassword(fd)
		fmt.Fprintln(e.stderr)
		if err != nil {
			return "", err
		}
		pws[i] = strings.TrimRight(string(b), "\r\n")
	}
	if pws[0] != pws[1] {
		return "", errors.New("the two passwords differ")
	}
	return pws[0], nil
}
