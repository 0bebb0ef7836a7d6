package main

import (
	"context"
	"fmt"
	"os"
	"text/tabwriter"
	"time"

	"rehabdesk/internal/cmdline"
	"rehabdesk/sync/server"
)

// The administrator's commands: townships, enrollment, devices, and the
// exchange by file.
func init() {
	program.Register(command{Name: "township", Summary: "add a township this server serves, or list them",
		Usage: "add --db PATH --code CODE | list --db PATH", Run: runTownship})
	program.Register(command{Name: "enroll-code", Summary: "issue a one-time code that enrolls a device",
		Usage: "--db PATH (--township CODE [--county | --volunteer ID] | --device ID) [--ttl 24h]", Run: runEnrollCode})
	program.Register(command{Name: "devices", Summary: "list the enrolled devices and when each last synced",
		Usage: "--db PATH", Run: runDevices})
	program.Register(command{Name: "revoke", Summary: "refuse a lost or stolen device from its next request on",
		Usage: "--db PATH --device ID", Run: runRevoke})
	program.Register(command{Name: "exchange", Summary: "answer a device's exchange file, for a township without a network",
		Usage: "--db PATH FILE [--out REPLY]", Run: runExchange})
}

func open(ctx context.Context, e *env, db *dbFlags) (*server.Server, error) {
	opt := server.Options{Log: e.log, KeyFile: db.key, MaxClockAhead: db.maxAhead, UploadQuota: db.uploadQuota}
	if db.pg != "" {
		if db.key == "" {
			return nil, cmdline.Usagef("--key is required with --pg (or %s=PATH)", keyEnv)
		}
		return server.OpenPostgres(ctx, db.pg, opt)
	}
	if err := checkKeyPlace(db); err != nil {
		return nil, err
	}
	return server.Open(ctx, db.path, opt)
}

func runTownship(ctx context.Context, e *env, args []string) error {
	if len(args) == 0 || (args[0] != "add" && args[0] != "list") {
		return cmdline.Usagef("township add or township list")
	}
	fs, db := newFlags(e, "township "+args[0])
	code := fs.String("code", "", "9-digit township code")
	if _, err := cmdline.Parse(fs, args[1:]); err != nil {
		return err
	}
	if err := need(db); err != nil {
		return err
	}
	srv, err := open(ctx, e, db)
	if err != nil {
		return err
	}
	defer srv.Close()
	if args[0] == "list" {
		ts, err := srv.Townships(ctx)
		for _, t := range ts {
			fmt.Fprintln(e.stdout, t)
		}
		return err
	}
	if *code == "" {
		return cmdline.Usagef("--code is required")
	}
	return srv.AddTownship(ctx, *code)
}

func runEnrollCode(ctx context.Context, e *env, args []string) error {
	fs, db := newFlags(e, "enroll-code")
	town := fs.String("township", "", "9-digit township code")
	county := fs.Bool("county", false, "a county-office device that receives every township of the county")
	volunteer := fs.String("volunteer", "", "a volunteer's device: volunteer record id; it receives only that volunteer's persons")
	device := fs.String("device", "", "re-enroll this enrolled device id (a restored or readmitted laptop); no other code can")
	ttl := fs.Duration("ttl", 24*time.Hour, "how long the code stays valid")
	if _, err := cmdline.Parse(fs, args); err != nil {
		return err
	}
	if err := need(db); err != nil {
		return err
	}
	if *town == "" && *device == "" {
		return cmdline.Usagef("--township is required")
	}
	srv, err := open(ctx, e, db)
	if err != nil {
		return err
	}
	defer srv.Close()
	var code string
	switch {
	case *device != "":
		code, err = srv.NewReenrollCode(ctx, *device, *ttl)
	case *volunteer != "":
		code, err = srv.NewVolunteerCode(ctx, *town, *volunteer, *ttl)
	default:
		code, err = srv.NewEnrollCode(ctx, *town, *county, *ttl)
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "enrollment code: %s\nvalid until:     %s\n", code, time.Now().Add(*ttl).Format("2006-01-02 15:04"))
	if _, fp, err := server.LoadOrCreateCert(certPaths(db.certBase())); err == nil {
		fmt.Fprintf(e.stdout, "server certificate (self-signed) fingerprint: sha256:%s\n", fp)
	}
	return nil
}

// certPaths is where serve keeps its self-signed certificate.
func certPaths(db string) (string, string) { return db + ".cert.pem", db + ".key.pem" }

func runDevices(ctx context.Context, e *env, args []string) error {
	fs, db := newFlags(e, "devices")
	if _, err := cmdline.Parse(fs, args); err != nil {
		return err
	}
	if err := need(db); err != nil {
		return err
	}
	srv, err := open(ctx, e, db)
	if err != nil {
		return err
	}
	defer srv.Close()
	ds, err := srv.Devices(ctx)
	if err != nil {
		return err
	}
	w := tabwriter.NewWriter(e.stdout, 2, 4, 2, ' ', 0)
	fmt.Fprintln(w, "DEVICE\tTOWNSHIP\tKIND\tLABEL\tVERSION\tENROLLED\tLAST SYNC\tSTATE")
	for _, d := range ds {
		state := "active"
		if !d.Revoked.IsZero() {
			state = "revoked " + when(d.Revoked)
		}
		fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", d.ID, d.Township, deviceKind(d), d.Label, orDash(d.Version), when(d.Enrolled), when(d.LastSync), state)
	}
	return w.Flush()
}

func when(t time.Time) string {
	if t.IsZero() {
		return "-"
	}
	return t.Format("2006-01-02 15:04")
}

func runRevoke(ctx context.Context, e *env, args []string) error {
	fs, db := newFlags(e, "revoke")
	dev := fs.String("device", "", "device id (see countyd devices)")
	if _, err := cmdline.Parse(fs, args); err != nil {
		return err
	}
	if err := need(db); err != nil {
		return err
	}
	if *dev == "" {
		return cmdline.Usagef("--device is required")
	}
	srv, err := open(ctx, e, db)
	if err != nil {
		return err
	}
	defer srv.Close()
	if err := srv.Revoke(ctx, *dev); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "device %s revoked; its next request is refused\n", *dev)
	return nil
}

func runExchange(ctx context.Context, e *env, args []string) error {
	fs, db := newFlags(e, "exchange")
	out := fs.String("out", "", "reply file (default: FILE.reply)")
	pos, err := cmdline.Parse(fs, args)
	if err != nil {
		return err
	}
	if err := need(db); err != nil {
		return err
	}
	if len(pos) != 1 {
		return cmdline.Usagef("one request FILE is required")
	}
	if *out == "" {
		*out = pos[0] + ".reply"
	}
	return exchange(ctx, e, db, pos[0], *out)
}

func exchange(ctx context.Context, e *env, db *dbFlags, in, out string) error {
	data, err := os.ReadFile(in)
	if err != nil {
		return err
	}
	srv, err := open(ctx, e, db)
	if err != nil {
		return err
	}
	defer srv.Close()
	reply, err := srv.Exchange(ctx, data)
	if err != nil {
		return err
	}
	tmp := out + ".tmp"
	if err := os.WriteFile(tmp, reply, 0o600); err != nil {
		return err
	}
	if err := os.Rename(tmp, out); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "reply written to %s (%d bytes); carry it back and run: rehabdesk sync --from-file %s\n", out, len(reply), out)
	return nil
}

// deviceKind says what a device receives: its township, the whole county,
// or one volunteer's persons.
func deviceKind(d server.Device) string {
	switch {
	case d.County != "":
		return "county " + d.County
	case d.Volunteer != "":
		return "volunteer " + d.Volunteer
	}
	return "township"
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
