// Package errdiscard is a vet-style check for tests that throw away the error
// of a query: `got, _ := s.Stats(ctx)` or an unchecked `row.Scan(&n)`. When
// such a query fails, the zero value it leaves behind often satisfies the
// assertion that follows ("0 changes stored"), so the test passes on an
// error. `make lint` runs it over the whole module (go vet -vettool).
//
// It reports, in _test.go files only:
//   - an error result assigned to _ from a call that also returns a value,
//     when the callee belongs to this module or to database/sql;
//   - a call to a database/sql method used as a statement (Scan, Exec...),
//     its error unread.
//
// Close and Rollback are left alone: their errors in cleanup change no
// assertion.
package errdiscard

import (
	"go/ast"
	"go/types"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/passes/inspect"
	"golang.org/x/tools/go/ast/inspector"
	"golang.org/x/tools/go/types/typeutil"
)

// Analyzer is the errdiscard check.
var Analyzer = &analysis.Analyzer{
	Name:     "errdiscard",
	Doc:      "report tests that discard the error of a query (x, _ := q() or an unchecked Scan)",
	Requires: []*analysis.Analyzer{inspect.Analyzer},
	Run:      run,
}

var errorType = types.Universe.Lookup("error").Type()

func run(pass *analysis.Pass) (any, error) {
	ins := pass.ResultOf[inspect.Analyzer].(*inspector.Inspector)
	filter := []ast.Node{(*ast.AssignStmt)(nil), (*ast.ExprStmt)(nil)}
	ins.Preorder(filter, func(n ast.Node) {
		if !strings.HasSuffix(pass.Fset.Position(n.Pos()).Filename, "_test.go") {
			return
		}
		switch n := n.(type) {
		case *ast.AssignStmt:
			checkAssign(pass, n)
		case *ast.ExprStmt:
			checkStatement(pass, n)
		}
	})
	return nil, nil
}

// checkAssign reports `v, _ := query()`.
func checkAssign(pass *analysis.Pass, as *ast.AssignStmt) {
	if len(as.Rhs) != 1 {
		return
	}
	call, ok := ast.Unparen(as.Rhs[0]).(*ast.CallExpr)
	if !ok {
		return
	}
	fn, results := callee(pass, call)
	if fn == nil || !isQuery(pass, fn, results) || results.Len() != len(as.Lhs) {
		return
	}
	for i, lhs := range as.Lhs {
		if id, ok := lhs.(*ast.Ident); ok && id.Name == "_" && types.Identical(results.At(i).Type(), errorType) {
			pass.Reportf(lhs.Pos(), "error of %s discarded: the test would go on, or pass, after a failed call; check it", fn.Name())
		}
	}
}

// checkStatement reports `row.Scan(&n)` and other database/sql calls whose
// error nobody reads.
func checkStatement(pass *analysis.Pass, st *ast.ExprStmt) {
	call, ok := ast.Unparen(st.X).(*ast.CallExpr)
	if !ok {
		return
	}
	fn, results := callee(pass, call)
	if fn == nil || fn.Pkg() == nil || fn.Pkg().Path() != "database/sql" || exempt(fn) {
		return
	}
	for i := 0; i < results.Len(); i++ {
		if types.Identical(results.At(i).Type(), errorType) {
			pass.Reportf(call.Pos(), "error of %s not checked: the test would go on, or pass, after a failed query", fn.Name())
			return
		}
	}
}

// callee is the function or method a call names, with its results.
func callee(pass *analysis.Pass, call *ast.CallExpr) (*types.Func, *types.Tuple) {
	fn, ok := typeutil.Callee(pass.TypesInfo, call).(*types.Func)
	if !ok {
		return nil, nil
	}
	return fn, fn.Type().(*types.Signature).Results()
}

// isQuery: a call of this module or of database/sql that returns a value
// besides its error.
func isQuery(pass *analysis.Pass, fn *types.Func, results *types.Tuple) bool {
	if fn.Pkg() == nil || exempt(fn) {
		return false
	}
	if path := fn.Pkg().Path(); path != "database/sql" && module(path) != module(pass.Pkg.Path()) {
		return false
	}
	for i := 0; i < results.Len(); i++ {
		if !types.Identical(results.At(i).Type(), errorType) {
			return true
		}
	}
	return false
}

// module is the first element of an import path: this repository's
// packages all start with "rehabdesk/".
func module(path string) string {
	first, _, _ := strings.Cut(path, "/")
	return strings.TrimSuffix(strings.TrimSuffix(first, ".test"), "_test")
}

func exempt(fn *types.Func) bool { return fn.Name() == "Close" || fn.Name() == "Rollback" }
