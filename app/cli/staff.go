package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"text/tabwriter"

	"rehabdesk/assets"
	"rehabdesk/internal/cmdline"
	"rehabdesk/store"
	"rehabdesk/store/ledger"
	"rehabdesk/store/valid"
)

func init() {
	program.Register(Command{
		Name:    "staff",
		Summary: "the staff roster (专干, 社工): add, list, assign a 专干 to every person of a village",
		Usage:   "add|list|assign [--db PATH] [--user NAME] [--name NAME] [--role officer|social_worker|police|doctor] [--phone N] [--villages V1,V2] [--account USER] | assign --staff NAME|ID --village NAME|CODE [--json]",
		Run:     runStaff,
	})
}

// staffFlags are the flags of every `staff` subcommand.
type staffFlags struct {
	db, user, name, role, phone, villages, account, staff, village *string
	json                                                           *bool
}

func runStaff(ctx context.Context, env *Env, args []string) error {
	fs := program.NewFlags(env, "staff")
	f := staffFlags{db: DBFlag(fs), user: UserFlag(env, fs), name: fs.String("name", "", "name of the member to add"),
		role: fs.String("role", "officer", "officer (专干), social_worker (社工), police or doctor"), phone: fs.String("phone", "", "phone number"),
		villages: fs.String("villages", "", "villages covered, by name or code, comma-separated"), account: fs.String("account", "", "their sign-in account"),
		staff: fs.String("staff", "", "member to assign, by name or id"), village: fs.String("village", "", "village to assign, by name or code"),
		json: fs.Bool("json", false, "print JSON for scripts")}
	pos, err := cmdline.Parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 || (pos[0] != "add" && pos[0] != "list" && pos[0] != "assign") {
		return usage("cli.usage.want_verb", "add, list, assign")
	}
	s, err := OpenStore(ctx, env, *f.db, *f.user)
	if err != nil {
		return err
	}
	defer s.Close()
	switch pos[0] {
	case "add":
		return addStaff(ctx, env, s, f)
	case "assign":
		return assignStaff(ctx, env, s, f)
	}
	return listStaff(ctx, env, s, *f.json)
}

func addStaff(ctx context.Context, env *Env, s *store.Store, f staffFlags) error {
	if *f.name == "" {
		return usage("cli.usage.required", "--name")
	}
	codes, err := villageCodes(s.Township(), *f.villages)
	if err != nil {
		return err
	}
	if err := accountExists(ctx, s, *f.account); err != nil {
		return err
	}
	id, err := s.AddStaff(ctx, map[string]string{"name": *f.name, "role": *f.role, "phone": *f.phone,
		"villages": strings.Join(codes, ","), "account": *f.account})
	if err != nil {
		return err
	}
	fmt.Fprintln(env.Stdout, T(env, "cli.staff.added", *f.name, id))
	return nil
}

// accountExists checks the sign-in account a member is linked to.
func accountExists(ctx context.Context, s *store.Store, user string) error {
	if user == "" {
		return nil
	}
	accts, err := s.Accounts(ctx)
	for _, a := range accts {
		if a.User == user {
			return nil
		}
	}
	if err != nil {
		return err
	}
	return &argError{"cli.staff.no_account", []any{user}}
}

// villageCodes resolves a comma-separated list of village names or codes.
func villageCodes(township, list string) ([]string, error) {
	var out []string
	for _, v := range strings.FieldsFunc(list, func(r rune) bool { return strings.ContainsRune(",，、", r) }) {
		code, ok := ledger.VillageCode(township, strings.TrimSpace(v))
		if !ok {
			return nil, &argError{"cli.staff.no_village", []any{v}}
		}
		out = append(out, code)
	}
	return out, nil
}

func assignStaff(ctx context.Context, env *Env, s *store.Store, f staffFlags) error {
	if *f.staff == "" || *f.village == "" {
		return usage("cli.usage.required", "--staff, --village")
	}
	member, err := findStaff(ctx, s, *f.staff)
	if err != nil {
		return err
	}
	code, ok := ledger.VillageCode(s.Township(), *f.village)
	if !ok {
		return &argError{"cli.staff.no_village", []any{*f.village}}
	}
	n, err := s.AssignVillage(ctx, member.ID, code)
	if err != nil {
		return err
	}
	fmt.Fprintln(env.Stdout, T(env, "cli.staff.assigned", member.Get("name"), assets.Name(code), n))
	return nil
}

// findStaff finds one member by id or by a name no other member has.
func findStaff(ctx context.Context, s *store.Store, key string) (*store.Record, error) {
	roster, err := s.Roster(ctx)
	if err != nil {
		return nil, err
	}
	var found []*store.Record
	for _, r := range roster {
		if r.ID == key || r.Get("name") == valid.Normalize(key) {
			found = append(found, r)
		}
	}
	switch len(found) {
	case 1:
		return found[0], nil
	case 0:
		return nil, &argError{"cli.staff.not_found", []any{key}}
	}
	return nil, &argError{"cli.staff.ambiguous", []any{key, len(found)}}
}

// staffLine is one member as listed and as JSON.
type staffLine struct {
	ID       string   `json:"id"`
	Name     string   `json:"name"`
	Role     string   `json:"role"`
	Phone    string   `json:"phone,omitempty"`
	Villages []string `json:"villages"`
	Account  string   `json:"account,omitempty"`
	Persons  int      `json:"persons"` // persons whose 专干 they are
}

func listStaff(ctx context.Context, env *Env, s *store.Store, asJSON bool) error {
	roster, err := s.Roster(ctx)
	if err != nil {
		return err
	}
	persons, err := s.List(ctx, store.KindPerson, store.ListFilter{})
	if err != nil {
		return err
	}
	count := map[string]int{}
	for _, p := range persons {
		count[p.Get("staff")]++
	}
	lines := make([]staffLine, 0, len(roster))
	for _, r := range roster {
		l := staffLine{ID: r.ID, Name: r.Get("name"), Role: r.Get("role"), Phone: r.Get("phone"), Account: r.Get("account"), Persons: count[r.ID]}
		for _, c := range store.VillageCodes(r.Get("villages")) {
			l.Villages = append(l.Villages, assets.Name(c))
		}
		lines = append(lines, l)
	}
	if asJSON {
		enc := json.NewEncoder(env.Stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(lines)
	}
	printStaff(env, lines)
	return nil
}

func printStaff(env *Env, lines []staffLine) {
	if len(lines) == 0 {
		fmt.Fprintln(env.Stdout, T(env, "cli.staff.none"))
		return
	}
	w := tabwriter.NewWriter(env.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(w, T(env, "cli.staff.header"))
	for _, l := range lines {
		fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%d\t%s\t%s\n", l.Name, T(env, "enum.staff_role."+l.Role), l.Phone,
			strings.Join(l.Villages, "、"), l.Persons, l.Account, l.ID)
	}
	w.Flush()
}
