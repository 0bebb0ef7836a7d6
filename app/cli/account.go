package cli

import (
	"context"
	"errors"
	"fmt"
	"text/tabwriter"

	"rehabdesk/internal/cmdline"
	"rehabdesk/internal/i18n"
	"rehabdesk/store"
)

// Errors of asking for a new password or passphrase.
var (
	ErrPasswordsDiffer = i18n.NewError("security.cli.passwords_differ", "the two passwords differ")
	ErrNoNewPassword   = i18n.NewError("security.cli.no_new_password", "no new password: set REHABDESK_NEW_PASSWORD or run on a terminal")
)

// kdfForNewSecrets is the cost of new passwords and backup keys made by the
// command line; zero means store.DefaultKDF. Tests make it cheap.
var kdfForNewSecrets store.KDFParams

func init() {
	program.Register(Command{
		Name:    "user",
		Summary: "manage sign-ins: add, list or disable accounts (officers)",
		Usage:   "add|list|disable [--db PATH] [--user NAME] [--name NAME] [--role officer|volunteer] [--volunteer ID]",
		Run:     runUser,
	})
	program.Register(Command{
		Name:    "passwd",
		Summary: "change your password, or (officers) set another account's password on this device",
		Usage:   "[--db PATH] [--user NAME] [--name OTHER]",
		Run:     runPasswd,
	})
}

// userFlags are the flags of every `user` subcommand.
type userFlags struct {
	db, user, name, role, volunteer *string
}

func runUser(ctx context.Context, env *Env, args []string) error {
	fs := program.NewFlags(env, "user")
	f := userFlags{db: DBFlag(fs), user: UserFlag(env, fs), name: fs.String("name", "", "account to add or disable"),
		role: fs.String("role", "volunteer", "officer or volunteer"), volunteer: fs.String("volunteer", "", "volunteer record id or name")}
	pos, err := cmdline.Parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usage("cli.usage.want_verb", "add, list, disable")
	}
	run := map[string]func(context.Context, *Env, *store.Store, userFlags) error{
		"add": userAdd, "list": userList, "disable": userDisable}[pos[0]]
	if run == nil {
		return usage("cli.usage.unknown_verb", pos[0], "add, list, disable")
	}
	if pos[0] != "list" && *f.name == "" {
		return usage("cli.usage.required", "--name")
	}
	s, err := OpenStore(ctx, env, *f.db, *f.user)
	if err != nil {
		return err
	}
	defer s.Close()
	return run(ctx, env, s, f)
}

func userAdd(ctx context.Context, env *Env, s *store.Store, f userFlags) error {
	vol := ""
	if *f.role == "volunteer" {
		var err error
		if vol, err = resolveVolunteer(ctx, s, *f.volunteer); err != nil {
			return err
		}
	}
	pw, err := NewPassword(env, T(env, "security.cli.new_password_prompt", *f.name))
	if err != nil {
		return err
	}
	if err := s.AddAccount(ctx, *f.name, pw, *f.role, vol, kdfForNewSecrets); err != nil {
		return err
	}
	fmt.Fprintln(env.Stdout, T(env, "security.cli.user_added", *f.name, *f.role))
	return nil
}

// resolveVolunteer accepts a volunteer's record id, or a name that matches
// exactly one volunteer.
func resolveVolunteer(ctx context.Context, s *store.Store, v string) (string, error) {
	if v == "" {
		return "", store.ErrVolunteerRequired
	}
	if r, err := s.Get(ctx, v); err == nil && r.Kind == store.KindVolunteer {
		return v, nil
	}
	vs, err := s.List(ctx, store.KindVolunteer, store.ListFilter{})
	if err != nil {
		return "", err
	}
	var ids []string
	for _, r := range vs {
		if r.Fields["name"] == v {
			ids = append(ids, r.ID)
		}
	}
	if len(ids) != 1 {
		return "", i18n.NewError("security.cli.volunteer_unknown", fmt.Sprintf("no single volunteer matches %q", v))
	}
	return ids[0], nil
}

func userList(ctx context.Context, env *Env, s *store.Store, _ userFlags) error {
	as, err := s.Accounts(ctx)
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(env.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, T(env, "security.cli.list_header"))
	for _, a := range as {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", a.User, a.Role, volunteerName(ctx, s, a.Volunteer),
			T(env, statusKey(a.Disabled)), T(env, yesNoKey(a.KeySlot)))
	}
	return tw.Flush()
}

func volunteerName(ctx context.Context, s *store.Store, id string) string {
	if id == "" {
		return "-"
	}
	if r, err := s.Get(ctx, id); err == nil {
		return r.Fields["name"]
	}
	return id
}

func statusKey(disabled bool) string {
	if disabled {
		return "security.cli.status_disabled"
	}
	return "security.cli.status_active"
}

func yesNoKey(b bool) string {
	if b {
		return "security.cli.yes"
	}
	return "security.cli.no"
}

func userDisable(ctx context.Context, env *Env, s *store.Store, f userFlags) error {
	if err := s.DisableAccount(ctx, *f.name); err != nil {
		return err
	}
	fmt.Fprintln(env.Stdout, T(env, "security.cli.user_disabled", *f.name))
	return nil
}

func runPasswd(ctx context.Context, env *Env, args []string) error {
	fs := program.NewFlags(env, "passwd")
	db, user := DBFlag(fs), UserFlag(env, fs)
	other := fs.String("name", "", "another account (officers): set its password on this device")
	if _, err := cmdline.Parse(fs, args); err != nil {
		return err
	}
	old, err := GetPassword(env, fmt.Sprintf("%s@%s: ", *user, *db))
	if err != nil {
		return err
	}
	s, err := openWith(ctx, *db, *user, old)
	if err != nil {
		return err
	}
	defer s.Close()
	target := *user
	if *other != "" {
		target = *other
	}
	pw, err := NewPassword(env, T(env, "security.cli.new_password_prompt", target))
	if err != nil {
		return err
	}
	if *other != "" {
		err = s.SetPassword(ctx, *other, pw)
	} else {
		err = s.ChangePassword(ctx, old, pw)
	}
	if err != nil {
		return err
	}
	fmt.Fprintln(env.Stdout, T(env, "security.cli.password_changed", target))
	return nil
}

// openWith opens and unlocks a database with a known password.
func openWith(ctx context.Context, path, user, password string) (*store.Store, error) {
	env := &Env{Getenv: func(k string) string {
		if k == "REHABDESK_PASSWORD" {
			return password
		}
		return ""
	}}
	return OpenStore(ctx, env, path, user)
}

// NewPassword reads a new password from REHABDESK_NEW_PASSWORD, or asks for
// it twice on the terminal.
func NewPassword(env *Env, prompt string) (string, error) {
	return newSecret(env, "REHABDESK_NEW_PASSWORD", prompt, ErrNoNewPassword)
}

// newSecret reads a secret from an environment variable or asks twice.
func newSecret(env *Env, variable, prompt string, missing error) (string, error) {
	if v := env.Getenv(variable); v != "" {
		return v, nil
	}
	if env.Password == nil {
		return "", missing
	}
	first, err := env.Password(prompt)
	if err != nil {
		return "", noTerminal(err, missing)
	}
	again, err := env.Password(T(env, "security.cli.repeat_prompt"))
	if err != nil {
		return "", noTerminal(err, missing)
	}
	if first != again {
		return "", ErrPasswordsDiffer
	}
	return first, nil
}

// noTerminal names the variable to set when there is no terminal to ask on.
func noTerminal(err, missing error) error {
	if errors.Is(err, ErrNoPassword) {
		return missing
	}
	return err
}
