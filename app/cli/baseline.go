package cli

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"strings"

	"golang.org/x/term"

	"rehabdesk/store"
	"rehabdesk/store/rules"
)

// settleBaseline sets the adoption baseline (开始使用日期) after an import:
// the date given with --baseline; else, when none is set yet, the date the
// officer types at the prompt (today by default) or, without a terminal,
// today. The township's periodic duties fall due from it.
func settleBaseline(ctx context.Context, env *Env, s *store.Store, given string) error {
	cur, err := rules.Baseline(ctx, s)
	if err != nil || (given == "" && cur != 0) {
		return err
	}
	date := given
	if date == "" {
		date = askBaseline(env, rules.Today(s).String())
	}
	if rules.ParseDay(date) == 0 {
		return usage("cli.usage.want_date", "--baseline", date)
	}
	if err := rules.SetBaseline(ctx, s, date); err != nil {
		return err
	}
	fmt.Fprintln(env.Stdout, T(env, "cli.baseline.set", rules.ParseDay(date).String()))
	return nil
}

// askBaseline proposes a date on a terminal; elsewhere it takes the proposal.
func askBaseline(env *Env, proposed string) string {
	f, ok := env.Stdin.(*os.File)
	if !ok || !term.IsTerminal(int(f.Fd())) {
		return proposed
	}
	fmt.Fprint(env.Stderr, T(env, "cli.baseline.prompt", proposed))
	line, _ := bufio.NewReader(f).ReadString('\n')
	if line = strings.TrimSpace(line); line != "" {
		return line
	}
	return proposed
}
