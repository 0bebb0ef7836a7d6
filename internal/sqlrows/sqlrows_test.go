package sqlrows

import (
	"context"
	"database/sql"
	"errors"
	"slices"
	"testing"

	_ "modernc.org/sqlite"
)

func TestStrings(t *testing.T) {
	db, err := sql.Open("sqlite", ":memory:")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ctx := context.Background()
	got, err := Strings(db.QueryContext(ctx, "SELECT 'b' UNION ALL SELECT 'a' UNION ALL SELECT '张三'"))
	if err != nil || !slices.Equal(got, []string{"b", "a", "张三"}) {
		t.Fatalf("got %q, %v", got, err)
	}
	if got, err := Strings(db.QueryContext(ctx, "SELECT 'x' WHERE 0")); err != nil || got != nil {
		t.Fatalf("no rows: %q, %v", got, err)
	}
	if _, err := Strings(db.QueryContext(ctx, "SELECT nope FROM nowhere")); err == nil {
		t.Fatal("a failing query gave no error")
	}
	if _, err := Strings(db.QueryContext(ctx, "SELECT NULL")); err == nil {
		t.Fatal("a NULL value gave no error")
	}
	want := errors.New("query failed")
	if _, err := Strings(nil, want); !errors.Is(err, want) {
		t.Fatalf("err %v, want the query's", err)
	}
}
