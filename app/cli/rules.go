package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"rehabdesk/assets"
	"rehabdesk/internal/cmdline"
	"rehabdesk/store"
	"rehabdesk/store/rules"
	"rehabdesk/store/valid"
)

func init() {
	program.Register(Command{
		Name:    "alerts",
		Summary: "list the alerts the rules raise (report to police, overdue, due soon)",
		Usage:   "[--db PATH] [--user NAME] [--date YYYY-MM-DD] [--json] | --thresholds | --set NAME=N | --baseline YYYY-MM-DD",
		Run:     runAlerts,
	})
}

func runAlerts(ctx context.Context, env *Env, args []string) error {
	fs := program.NewFlags(env, "alerts")
	db, user := DBFlag(fs), UserFlag(env, fs)
	asJSON := fs.Bool("json", false, "print JSON for scripts")
	on := fs.String("date", "", "evaluate as on this day (default today)")
	list := fs.Bool("thresholds", false, "list the thresholds the rules use")
	set := fs.String("set", "", "change a threshold for the township: NAME=N")
	baseline := fs.String("baseline", "", "change the day the township started with RehabDesk (开始使用日期)")
	if _, err := cmdline.Parse(fs, args); err != nil {
		return err
	}
	s, err := OpenStore(ctx, env, *db, *user)
	if err != nil {
		return err
	}
	defer s.Close()
	switch {
	case *baseline != "":
		return settleBaseline(ctx, env, s, *baseline)
	case *set != "":
		return setThreshold(ctx, env, s, *set)
	case *list:
		return printThresholds(ctx, env, s)
	}
	today := rules.Today(s)
	if *on != "" {
		if today = rules.ParseDay(*on); today == 0 {
			return usage("cli.usage.want_date", "--date", *on)
		}
	}
	data, th, err := rules.Load(ctx, s)
	if err != nil {
		return err
	}
	alerts := rules.Evaluate(data, today, th)
	if s.Session().Role == "volunteer" {
		alerts = rules.ForVolunteer(alerts)
	}
	out := describeAlerts(Lang(env), s.Township(), data, alerts)
	if *asJSON {
		enc := json.NewEncoder(env.Stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(out)
	}
	printAlerts(env.Stdout, Lang(env), out)
	return nil
}

// alertLine is one alert as printed and as JSON: the rule's fields plus
// who it is about, in words.
type alertLine struct {
	rules.Alert
	Title       string `json:"title"`
	Subject     string `json:"subject"`
	IDMasked    string `json:"id_masked,omitempty"`
	Explanation string `json:"explanation"`
}

func describeAlerts(lang, township string, d *rules.Data, as []rules.Alert) []alertLine {
	persons := make(map[string]*rules.Person, len(d.Persons))
	for _, p := range d.Persons {
		persons[p.ID] = p
	}
	volunteers := map[string]string{}
	for _, v := range d.Volunteers {
		volunteers[v.ID] = v.Name
	}
	town := township
	if t, ok := assets.Township(township); ok {
		town = t.Name
	}
	out := make([]alertLine, 0, len(as))
	for _, a := range as {
		l := alertLine{Alert: a, Title: a.Title(lang), Explanation: a.Explain(lang), Subject: town}
		switch {
		case a.PersonID != "" && persons[a.PersonID] != nil:
			p := persons[a.PersonID]
			l.Subject, l.IDMasked = p.Name, valid.MaskID(p.IDNumber)
		case a.VolunteerID != "":
			l.Subject = volunteers[a.VolunteerID]
		}
		out = append(out, l)
	}
	return out
}

// printAlerts groups alerts under their severity, most urgent first.
func printAlerts(w io.Writer, lang string, ls []alertLine) {
	if len(ls) == 0 {
		fmt.Fprintln(w, rules.Text(lang, "rules.cli.none"))
		return
	}
	for i, l := range ls {
		if i == 0 || ls[i-1].Severity != l.Severity {
			if i > 0 {
				fmt.Fprintln(w)
			}
			fmt.Fprintf(w, "== %s (%d)\n", rules.SeverityText(lang, l.Severity), countSeverity(ls, l.Severity))
		}
		who := l.Subject
		if l.IDMasked != "" {
			who += " " + l.IDMasked
		}
		fmt.Fprintf(w, rules.Text(lang, "rules.cli.line"), who, l.Title, l.Explanation)
		if l.Due != 0 {
			fmt.Fprintf(w, rules.Text(lang, "rules.cli.due"), rules.DayText(lang, l.Due))
		}
		fmt.Fprintln(w)
	}
}

func countSeverity(ls []alertLine, s rules.Severity) int {
	n := 0
	for _, l := range ls {
		if l.Severity == s {
			n++
		}
	}
	return n
}

func setThreshold(ctx context.Context, env *Env, s *store.Store, arg string) error {
	name, value, ok := strings.Cut(arg, "=")
	n, err := strconv.Atoi(strings.TrimSpace(value))
	if !ok || err != nil {
		return usage("cli.usage.want_set", arg)
	}
	if err := rules.SetThreshold(ctx, s, strings.TrimSpace(name), n); err != nil {
		if errors.Is(err, rules.ErrUnknownThreshold) {
			return usage("cli.usage.unknown_threshold", strings.TrimSpace(name))
		}
		return err
	}
	return printThresholds(ctx, env, s)
}

// printThresholds lists each threshold, its value and its default.
func printThresholds(ctx context.Context, env *Env, s *store.Store) error {
	_, th, err := rules.Load(ctx, s)
	if err != nil {
		return err
	}
	for _, d := range rules.ThresholdDefs {
		v, _ := th.Get(d.Name)
		mark := ""
		if v != d.Default {
			mark = fmt.Sprintf(rules.Text(Lang(env), "rules.cli.default"), d.Default)
		}
		fmt.Fprintf(env.Stdout, "%-24s %6d  [%s]%s\n", d.Name, v, d.Tag, mark)
	}
	return nil
}
