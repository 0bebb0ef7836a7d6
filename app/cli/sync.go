package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"rehabdesk/app/msg"
	"rehabdesk/internal/cmdline"
	"rehabdesk/store"
	"rehabdesk/store/valid"
	"rehabdesk/sync/client"
)

// The sync commands: enroll with the county server, sync (over the network
// or through exchange files), list conflicts.
func init() {
	program.Register(Command{Name: "enroll", Summary: "bind the database to the county server with a one-time code",
		Usage: "[--db PATH] [--user NAME] --server URL --code CODE [--fingerprint SHA256]", Run: runEnroll})
	program.Register(Command{Name: "sync", Summary: "send this device's changes to the county server and receive the township's",
		Usage: "[--db PATH] [--user NAME] [--status | --to-file FILE | --from-file REPLY | --clear-clock-warning]", Run: runSync})
	program.Register(Command{Name: "conflicts", Summary: "list conflicting edits and duplicate persons waiting for a decision",
		Usage: "[--db PATH] [--user NAME] [--json]", Run: runConflicts})
}

// syncOptions lets tests make retries fast.
var syncOptions client.Options

func runEnroll(ctx context.Context, env *Env, args []string) error {
	fs := program.NewFlags(env, "enroll")
	db, user := DBFlag(fs), UserFlag(env, fs)
	server := fs.String("server", "", "county server address, e.g. https://10.1.2.3:8443")
	code := fs.String("code", "", "one-time enrollment code from countyd enroll-code")
	fp := fs.String("fingerprint", "", "expected server certificate fingerprint (from countyd)")
	if _, err := cmdline.Parse(fs, args); err != nil {
		return err
	}
	if *server == "" || *code == "" {
		return usage("cli.usage.required", "--server, --code")
	}
	st, err := OpenStore(ctx, env, *db, *user)
	if err != nil {
		return err
	}
	defer st.Close()
	en, err := client.Enroll(ctx, st, *server, *code, *fp, syncOptions)
	if err != nil {
		return err
	}
	fmt.Fprintln(env.Stdout, T(env, "sync.enrolled", en.Server, en.Township))
	fmt.Fprintln(env.Stdout, T(env, "sync.scope", strings.Join(en.Scope, ", ")))
	if en.Fingerprint != "" {
		fmt.Fprintln(env.Stdout, T(env, "sync.fingerprint", en.Fingerprint))
	}
	return nil
}

func runSync(ctx context.Context, env *Env, args []string) error {
	fs := program.NewFlags(env, "sync")
	db, user := DBFlag(fs), UserFlag(env, fs)
	status := fs.Bool("status", false, "show the sync state without connecting")
	toFile := fs.String("to-file", "", "write the changes to send into FILE (no network)")
	fromFile := fs.String("from-file", "", "apply a reply file written by countyd exchange")
	clearClock := fs.Bool("clear-clock-warning", false, "forget the warnings about other devices' clocks, once they are corrected (officers)")
	if _, err := cmdline.Parse(fs, args); err != nil {
		return err
	}
	if *toFile != "" && *fromFile != "" {
		return usage("cli.usage.separate_steps")
	}
	if *clearClock && (*status || *toFile != "" || *fromFile != "") {
		return cmdline.Usagef("--clear-clock-warning goes alone")
	}
	if *fromFile != "" {
		if err := client.CheckNotEmpty(*fromFile); err != nil { // before the password is asked
			return err
		}
	}
	st, err := OpenStore(ctx, env, *db, *user)
	if err != nil {
		return err
	}
	defer st.Close()
	switch {
	case *status:
		return printStatus(ctx, env, st)
	case *clearClock:
		return clearClockWarning(ctx, env, st)
	case *toFile != "":
		n, err := client.WriteRequestFile(ctx, st, *toFile)
		if err == nil {
			fmt.Fprintln(env.Stdout, T(env, "sync.to_file", n, *toFile))
		}
		return err
	case *fromFile != "":
		res, err := client.ReadReplyFile(ctx, st, *fromFile)
		restored := res.ServerRestored
		res.ServerRestored = false // the changes go again in the next file, not yet
		printResult(env, res, err == nil)
		if restored {
			fmt.Fprintln(env.Stdout, T(env, "sync.server_restored_file"))
		}
		return err
	}
	res, err := client.Sync(ctx, st, nil, syncOptions)
	printResult(env, res, err == nil)
	if pairs, derr := st.DuplicatePairs(ctx); derr == nil && len(pairs) > 0 {
		fmt.Fprintln(env.Stdout, T(env, "sync.duplicates_waiting", len(pairs)))
	}
	return err
}

// printResult says what moved, refusals and a clock warning included. A
// failed sync still reports what it did before failing.
func printResult(env *Env, r client.Result, ok bool) {
	if ok || r.ChangesSent()+r.Pulled > 0 {
		fmt.Fprintln(env.Stdout, T(env, "sync.pushed", r.ChangesSent(), r.Duplicates))
		fmt.Fprintln(env.Stdout, T(env, "sync.pulled", r.Pulled, r.Applied, r.Conflicts))
	}
	if len(r.Rejected) > 0 {
		fmt.Fprintln(env.Stdout, T(env, "sync.rejected", len(r.Rejected)))
		for _, rj := range r.Rejected {
			fmt.Fprintf(env.Stdout, "  %s %s: %s\n", rj.HLC, rj.Entity, T(env, "sync.reason."+rj.Reason))
		}
	}
	if r.BlobsSent+r.BlobsReceived+r.BlobsPending > 0 {
		fmt.Fprintln(env.Stdout, T(env, "sync.blobs", r.BlobsSent, r.BlobsReceived, r.BlobsPending))
	}
	if err := r.QuotaReached(); err != nil {
		key, args := msg.ErrorKey(err)
		fmt.Fprintln(env.Stdout, T(env, key, args...))
	}
	if r.BadRemote > 0 {
		fmt.Fprintln(env.Stdout, T(env, "sync.bad_remote", r.BadRemote))
	}
	if r.Sent+r.Recv > 0 {
		fmt.Fprintln(env.Stdout, T(env, "sync.bytes", r.Sent, r.Recv))
	}
	if r.ClockWarning() {
		fmt.Fprintln(env.Stdout, T(env, "sync.clock_warning", r.ClockSkew.Round(time.Second).String()))
	}
	if r.ServerRestored {
		fmt.Fprintln(env.Stdout, T(env, "sync.server_restored"))
	}
	printSkewed(env, r.SkewedDevices)
}

// printSkewed names the devices whose clocks run ahead, for the officer to
// have them checked.
func printSkewed(env *Env, ds []client.SkewedDevice) {
	for _, d := range ds {
		fmt.Fprintln(env.Stdout, T(env, "sync.skewed_device", d.Device, d.AheadText(), d.Refused))
	}
}

// clearClockWarning forgets the warnings about devices whose clocks ran
// ahead, once the officer has had them corrected, and says whose went.
func clearClockWarning(ctx context.Context, env *Env, st *store.Store) error {
	ds, err := client.ClearSkewedDevices(ctx, st)
	if err != nil {
		return err
	}
	if len(ds) == 0 {
		fmt.Fprintln(env.Stdout, T(env, "sync.no_clock_warning"))
	}
	for _, d := range ds {
		fmt.Fprintln(env.Stdout, T(env, "sync.clock_warning_cleared", d.Device))
	}
	return nil
}

func printStatus(ctx context.Context, env *Env, st *store.Store) error {
	in, err := client.Status(ctx, st)
	if err != nil {
		return err
	}
	if !in.Enrolled {
		fmt.Fprintln(env.Stdout, T(env, "sync.status.not_enrolled"))
		return nil
	}
	last := "-"
	if !in.LastSuccess.IsZero() {
		last = in.LastSuccess.Format("2006-01-02 15:04:05")
	}
	fmt.Fprintln(env.Stdout, T(env, "sync.status.server", in.Server, strings.Join(in.Scope, ", ")))
	fmt.Fprintln(env.Stdout, T(env, "sync.status.last", last, in.Pending, in.Rejected))
	if in.LastError != "" {
		fmt.Fprintln(env.Stdout, T(env, "sync.status.error", in.LastError))
	}
	if !in.ServerRestored.IsZero() {
		fmt.Fprintln(env.Stdout, T(env, "sync.status.restored", in.ServerRestored.Format("2006-01-02 15:04:05")))
	}
	printSkewed(env, in.SkewedDevices)
	return nil
}

func runConflicts(ctx context.Context, env *Env, args []string) error {
	fs := program.NewFlags(env, "conflicts")
	db, user := DBFlag(fs), UserFlag(env, fs)
	asJSON := fs.Bool("json", false, "print JSON")
	if _, err := cmdline.Parse(fs, args); err != nil {
		return err
	}
	st, err := OpenStore(ctx, env, *db, *user)
	if err != nil {
		return err
	}
	defer st.Close()
	cs, err := st.Conflicts(ctx)
	if err != nil {
		return err
	}
	dups, err := describeDuplicates(ctx, st)
	if err != nil {
		return err
	}
	if *asJSON {
		enc := json.NewEncoder(env.Stdout)
		enc.SetIndent("", "  ")
		if cs == nil {
			cs = []store.Conflict{}
		}
		return enc.Encode(struct {
			Conflicts  []store.Conflict `json:"conflicts"`
			Duplicates []duplicateLine  `json:"duplicates"`
		}{cs, dups})
	}
	if len(cs) == 0 && len(dups) == 0 {
		fmt.Fprintln(env.Stdout, T(env, "sync.conflicts.none"))
	}
	for _, c := range cs {
		fmt.Fprintln(env.Stdout, T(env, "sync.conflicts.line", c.ID, c.RecordKind, c.RecordID, c.Field,
			c.CurrentValue, c.OtherValue, c.OtherUser, c.OtherTime.Format("2006-01-02 15:04")))
	}
	for _, d := range dups {
		differs := make([]string, len(d.Differs))
		for i, f := range d.Differs {
			differs[i] = T(env, "field."+f)
		}
		fmt.Fprintln(env.Stdout, T(env, "sync.conflicts.duplicate", d.Name, d.IDMasked, d.Keep, d.Drop, strings.Join(differs, "、")))
	}
	return nil
}

// duplicateLine is a pair of persons with one ID number (registered on two
// devices offline) waiting for the officer to merge them.
type duplicateLine struct {
	Keep     string   `json:"keep"`
	Drop     string   `json:"drop"`
	Name     string   `json:"name"`
	IDMasked string   `json:"id_masked"`
	Differs  []string `json:"differs"`
}

func describeDuplicates(ctx context.Context, st *store.Store) ([]duplicateLine, error) {
	pairs, err := st.DuplicatePairs(ctx)
	out := make([]duplicateLine, 0, len(pairs))
	for _, p := range pairs {
		d := duplicateLine{Keep: p.Keep, Drop: p.Drop, Differs: p.Differs}
		if d.Differs == nil {
			d.Differs = []string{}
		}
		if r, gerr := st.Get(ctx, p.Keep); gerr == nil {
			d.Name, d.IDMasked = r.Get("name"), valid.MaskID(r.Get("id_number"))
		}
		out = append(out, d)
	}
	return out, err
}
