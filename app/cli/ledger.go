package cli

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"golang.org/x/term"

	"rehabdesk/app/msg"
	"rehabdesk/internal/cmdline"
	"rehabdesk/store/ledger"
)

func init() {
	program.Register(Command{
		Name:    "import",
		Summary: "import a person ledger (台账, .xlsx or .csv) into the database",
		Usage:   "[--db PATH] [--user NAME] [--report PROBLEMS.csv] [--baseline YYYY-MM-DD] FILE",
		Run:     runImport,
	})
	program.Register(Command{
		Name:    "export",
		Summary: "write the person ledger (台账) of the database to .xlsx or .csv",
		Usage:   "[--db PATH] [--user NAME] --out FILE.xlsx|FILE.csv",
		Run:     runExport,
	})
}

func runImport(ctx context.Context, env *Env, args []string) error {
	fs := program.NewFlags(env, "import")
	db, user := DBFlag(fs), UserFlag(env, fs)
	reportPath := fs.String("report", "", "also save the problem rows to this .csv file")
	baseline := fs.String("baseline", "", "the day the township started with RehabDesk (开始使用日期); asked at the first import")
	pos, err := cmdline.Parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usage("cli.usage.one_file")
	}
	data, err := ledger.ReadFile(pos[0]) // before opening the store: a wrong path costs no password
	if err != nil {
		return err
	}
	s, err := OpenStore(ctx, env, *db, *user)
	if err != nil {
		return err
	}
	defer s.Close()
	rep, err := ledger.ImportBytes(ctx, s, data, ledger.Options{Progress: progressPrinter(env)})
	if rep == nil {
		return err
	}
	printImport(env, pos[0], rep)
	if *reportPath != "" {
		if werr := writeProblemsFile(env, *reportPath, rep); werr != nil {
			return werr
		}
		fmt.Fprintln(env.Stdout, T(env, "ledger.cli.report_saved", *reportPath))
	}
	if errors.Is(err, context.Canceled) {
		return &argError{"ledger.cli.cancelled", []any{rep.Done, rep.Rows - rep.Done}}
	}
	if err != nil {
		return err
	}
	return settleBaseline(ctx, env, s, *baseline)
}

// progressPrinter shows the rows done on one updating line, only when
// stderr is a terminal: in a log file it would be noise.
func progressPrinter(env *Env) func(done, total int) {
	f, ok := env.Stderr.(*os.File)
	if !ok || !term.IsTerminal(int(f.Fd())) {
		return nil
	}
	return func(done, total int) {
		fmt.Fprintf(f, "\r%s", T(env, "ledger.cli.progress", done, total))
		if done == total {
			fmt.Fprintln(f)
		}
	}
}

// printImport prints the summary, the rows not imported one by one, and
// the rows to check grouped by reason (a ledger of villages the division
// list does not know would otherwise print a line per person).
func printImport(env *Env, file string, rep *ledger.Report) {
	w := env.Stdout
	fmt.Fprintln(w, T(env, "ledger.cli.read", file, rep.HeaderRow))
	fmt.Fprintln(w, T(env, "ledger.cli.summary", rep.Done, rep.New, rep.Updated, rep.Unchanged, rep.Rejected, rep.Skipped))
	if len(rep.UnknownColumns) > 0 {
		fmt.Fprintln(w, T(env, "ledger.cli.unknown_columns", strings.Join(rep.UnknownColumns, "、")))
	}
	for _, sec := range []struct {
		sev ledger.Severity
		key string
	}{{ledger.Rejected, "ledger.cli.rejected"}, {ledger.Duplicate, "ledger.cli.duplicates"}, {ledger.Warning, "ledger.cli.warnings"}} {
		if rep.Count(sec.sev) > 0 {
			fmt.Fprintln(w, T(env, sec.key, rep.Count(sec.sev)))
			printProblems(env, w, rep, sec.sev)
		}
	}
}

// maxRowsListed bounds the row numbers printed for one grouped reason.
const maxRowsListed = 10

// printProblems prints rejected rows one per line and groups other rows
// with the same reason.
func printProblems(env *Env, w io.Writer, rep *ledger.Report, sev ledger.Severity) {
	groups := map[string][]int{}
	var order []string
	for _, p := range rep.Problems {
		if p.Severity != sev {
			continue
		}
		text := msg.Error(Lang(env), p)
		if sev == ledger.Rejected {
			fmt.Fprintln(w, T(env, "ledger.cli.row", p.Row, text))
			continue
		}
		if groups[text] == nil {
			order = append(order, text)
		}
		groups[text] = append(groups[text], p.Row)
	}
	for _, text := range order {
		rows := groups[text]
		if len(rows) == 1 {
			fmt.Fprintln(w, T(env, "ledger.cli.row", rows[0], text))
			continue
		}
		fmt.Fprintln(w, T(env, "ledger.cli.rows", rowList(rows), len(rows), text))
	}
}

// rowList writes "4, 7, 9" or "4, 7, … 9" for long lists.
func rowList(rows []int) string {
	sort.Ints(rows)
	var parts []string
	for i, r := range rows {
		if i == maxRowsListed-1 && len(rows) > maxRowsListed {
			parts = append(parts, "…", strconv.Itoa(rows[len(rows)-1]))
			break
		}
		parts = append(parts, strconv.Itoa(r))
	}
	return strings.Join(parts, ", ")
}

// writeProblemsFile saves every problem, one row each, as a CSV table that
// Excel opens (UTF-8 with BOM), in the user's language.
func writeProblemsFile(env *Env, path string, rep *ledger.Report) error {
	return writeFileAtomic(path, func(w io.Writer) error {
		if _, err := w.Write([]byte{0xEF, 0xBB, 0xBF}); err != nil {
			return err
		}
		cw := csv.NewWriter(w)
		cw.UseCRLF = true
		cw.Write([]string{T(env, "ledger.cli.col_row"), T(env, "ledger.cli.col_column"), T(env, "ledger.cli.col_kind"), T(env, "ledger.cli.col_reason")})
		kinds := map[ledger.Severity]string{ledger.Rejected: "ledger.kind.rejected", ledger.Duplicate: "ledger.kind.duplicate", ledger.Warning: "ledger.kind.warning"}
		for _, p := range rep.Problems {
			cw.Write([]string{strconv.Itoa(p.Row), p.Column, T(env, kinds[p.Severity]), ledger.SafeCell(msg.Error(Lang(env), p))})
		}
		cw.Flush()
		return cw.Error()
	})
}

// writeFileAtomic writes through a temporary file in the same folder and
// renames it, so a failure never leaves half a file under the real name.
func writeFileAtomic(path string, write func(io.Writer) error) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".rehabdesk-*.tmp")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	err = write(tmp)
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

func runExport(ctx context.Context, env *Env, args []string) error {
	fs := program.NewFlags(env, "export")
	db, user := DBFlag(fs), UserFlag(env, fs)
	out := fs.String("out", "", "ledger file to write, .xlsx or .csv")
	pos, err := cmdline.Parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 0 || *out == "" {
		return usage("cli.usage.required", "--out")
	}
	if _, ok := ledger.FormatOf(*out); !ok {
		return &argError{"ledger.cli.bad_format", []any{*out}}
	}
	s, err := OpenStore(ctx, env, *db, *user)
	if err != nil {
		return err
	}
	defer s.Close()
	n, err := ledger.ExportFile(ctx, s, *out)
	if err != nil {
		return err
	}
	fmt.Fprintln(env.Stdout, T(env, "ledger.cli.exported", n, *out))
	return nil
}
