package cli

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"rehabdesk/internal/storetest"
)

var sentRE = regexp.MustCompile(`Sent (\d+) changes \((\d+) were already on the server\)`)

// A device put back from a copy of its database sends again what the
// server already has, with its new edits. The summary said "sent 1 change
// (5 of which the server already had)": it counted only the new ones as
// sent. Every change the server answered for is counted as sent.
func TestSyncSummaryCountsAddUp(t *testing.T) {
	srv, url := countyServer(t)
	code, err := srv.NewEnrollCode(context.Background(), "520102016", false, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	db := syncDB(t, "520102016")
	mustRun(t, "enroll", "--db", db, "--server", url, "--code", code)
	for i := range 3 {
		editStore(t, db, "", map[string]string{"name": "张三", "id_number": storetest.IDNumber("52010219900101" + strconv.Itoa(100+2*i))})
	}
	backup := db + ".copy"
	writeFile(t, backup, readFile(t, db))
	first := sentRE.FindStringSubmatch(mustRun(t, "sync", "--db", db))
	if first == nil || first[1] != "5" || first[2] != "0" {
		t.Fatalf("first sync: %v", first)
	}
	if err := os.Rename(backup, db); err != nil {
		t.Fatal(err)
	}
	editStore(t, db, "", map[string]string{"name": "李四", "id_number": storetest.IDNumber("52010219900101200")})
	out := mustRun(t, "sync", "--db", db)
	m := sentRE.FindStringSubmatch(out)
	if m == nil || m[1] != "6" || m[2] != "5" {
		t.Fatalf("after the copy was put back, want 6 sent of which 5 already there; sync said %q", out)
	}
}

// An empty reply file (a copy that never finished) is named as such, in
// the user's language, before any password is asked.
func TestEmptyReplyFileSaysSo(t *testing.T) {
	db := syncDB(t, "520102016")
	empty := filepath.Join(t.TempDir(), "reply.rdsync")
	writeFile(t, empty, nil)
	for lang, want := range map[string]string{"en": "reply file is empty", "zh": "回复文件是空的"} {
		env, _, errb := syncEnv()
		getenv := env.Getenv
		env.Getenv = func(k string) string {
			switch k {
			case "REHABDESK_LANG":
				return lang
			case "REHABDESK_PASSWORD":
				return "" // no password to give: the file is refused first
			}
			return getenv(k)
		}
		if Main(env, []string{"sync", "--db", db, "--from-file", empty}) != 1 || !strings.Contains(errb.String(), want) {
			t.Fatalf("%s: empty reply file: %q", lang, errb)
		}
	}
}
