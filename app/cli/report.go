package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"rehabdesk/internal/cmdline"
	"rehabdesk/store"
	"rehabdesk/store/report"
	"rehabdesk/sync/client"
)

func init() {
	program.Register(Command{
		Name:    "report",
		Summary: "the monthly report (月报) as of the end of a month: workbook, JSON, submission to the county",
		Usage:   "[--db PATH] [--user NAME] [--month YYYY-MM] [--out FILE.xlsx] [--json] [--submit]",
		Run:     runReport,
	})
}

func runReport(ctx context.Context, env *Env, args []string) error {
	fs := program.NewFlags(env, "report")
	db, user := DBFlag(fs), UserFlag(env, fs)
	monthFlag := fs.String("month", "", "report month YYYY-MM (default: last month; this month gives a draft)")
	out := fs.String("out", "", "write the workbook to FILE.xlsx")
	asJSON := fs.Bool("json", false, "print the figures as JSON")
	submit := fs.Bool("submit", false, "submit the report to the county office (sent with the next sync)")
	if _, err := cmdline.Parse(fs, args); err != nil {
		return err
	}
	s, err := OpenStore(ctx, env, *db, *user)
	if err != nil {
		return err
	}
	defer s.Close()
	month, err := reportMonth(s, *monthFlag)
	if err != nil {
		return err
	}
	m, err := report.Generate(ctx, s, month)
	if err != nil {
		return err
	}
	if err := emitReport(env, m, *out, *asJSON); err != nil {
		return err
	}
	if *submit {
		return submitReport(ctx, env, s, m)
	}
	return nil
}

// reportMonth parses --month, defaulting to the month before today: the
// report is made in the first days of the next month.
func reportMonth(s *store.Store, flag string) (report.Month, error) {
	if flag == "" {
		t := s.Today()
		return report.Month{Year: t.Year(), Month: t.Month()}.Prev(), nil
	}
	m, err := report.ParseMonth(flag)
	if err != nil {
		return m, usage("cli.usage.want_month", flag)
	}
	return m, nil
}

// emitReport writes the workbook and/or JSON, or a one-line summary.
func emitReport(env *Env, m *report.Monthly, out string, asJSON bool) error {
	lang := Lang(env)
	if out != "" {
		if err := report.WriteWorkbookFile(out, m, lang, time.Now()); err != nil {
			return err
		}
	}
	if asJSON {
		enc := json.NewEncoder(env.Stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(m)
	}
	c := m.Total.Counts
	rate := func(id string) string {
		d, _ := report.DefOf(id)
		return report.Percent(d.Value(c))
	}
	summary := report.T(lang, "report.cli.summary", m.TownshipName, m.Month, report.T(lang, "report.status.word."+m.Status),
		len(m.Rows), c["persons"], c["in_measure"], c["tests"], rate("test_rate"), rate("placement_rate"))
	if out != "" {
		summary = report.T(lang, "report.cli.wrote", out, summary)
	}
	fmt.Fprintln(env.Stdout, summary)
	fmt.Fprintln(env.Stdout, report.StatusLine(lang, m))
	return nil
}

// submitReport saves the submission and tries to sync it right away; an
// offline device keeps it for the next sync.
func submitReport(ctx context.Context, env *Env, s *store.Store, m *report.Monthly) error {
	lang := Lang(env)
	rev, err := report.Submit(ctx, s, m, s.Now())
	if err != nil {
		return err
	}
	if rev == m.Revision && m.Status != report.StatusChanged {
		fmt.Fprintln(env.Stdout, report.T(lang, "report.cli.unchanged", m.Month, rev))
		return nil
	}
	if _, err := client.Sync(ctx, s, nil, syncOptions); err != nil {
		fmt.Fprintln(env.Stdout, report.T(lang, "report.cli.queued", m.Month, rev))
		fmt.Fprintf(env.Stderr, "rehabdesk report: %s\n", Message(env, err))
		return nil
	}
	fmt.Fprintln(env.Stdout, report.T(lang, "report.cli.submitted", m.Month, rev))
	return nil
}
