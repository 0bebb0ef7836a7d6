package cli

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"rehabdesk/internal/ledgertest"
	"rehabdesk/internal/storetest"
	"rehabdesk/store"
)

// smallDisk mounts a tmpfs of size bytes, a disk that really fills, and
// returns its folder and a function that gives it more room. Mounting
// needs root, or sudo without a password (as .ci/run uses): without
// either the test is skipped, but never under CI.
func smallDisk(t *testing.T, size int) (string, func(size int)) {
	t.Helper()
	dir := t.TempDir()
	var sudo []string
	if os.Geteuid() != 0 {
		sudo = []string{"sudo", "-n"}
	}
	run := func(args ...string) error {
		args = append(sudo, args...)
		out, err := exec.Command(args[0], args[1:]...).CombinedOutput()
		if err != nil {
			return fmtErr(out, fmt.Errorf("%s: %w", strings.Join(args, " "), err))
		}
		return nil
	}
	if err := run("mount", "-t", "tmpfs", "-o", "size="+strconv.Itoa(size)+",mode=1777", "tmpfs", dir); err != nil {
		msg := "cannot mount a small tmpfs to fill (needs root or sudo -n): " + err.Error()
		if os.Getenv("CI") == "true" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	t.Cleanup(func() { run("umount", "-l", dir) })
	return dir, func(size int) {
		if err := run("mount", "-o", "remount,size="+strconv.Itoa(size), dir); err != nil {
			t.Fatal(err)
		}
	}
}

type cmdError struct {
	out []byte
	err error
}

func (e cmdError) Error() string { return e.err.Error() + ": " + string(bytes.TrimSpace(e.out)) }

func fmtErr(out []byte, err error) error { return cmdError{out, err} }

// dbOnDisk makes a township database in dir.
func dbOnDisk(t *testing.T, dir string) string {
	t.Helper()
	kdfForNewSecrets = storetest.FastKDF
	t.Cleanup(func() { kdfForNewSecrets = store.KDFParams{} })
	db := filepath.Join(dir, "town.db")
	if _, errs, code := runEnv(t, officerEnv(), nil, "init", "--db", db, "--township", "520102016", "--user", "officer"); code != 0 {
		t.Fatalf("init: %d %s", code, errs)
	}
	return db
}

// generatedLedger writes a ledger of n persons outside the small disk and
// returns it with its ID numbers in file order.
func generatedLedger(t *testing.T, n int) (string, []string) {
	t.Helper()
	var buf bytes.Buffer
	if err := ledgertest.Generate(&buf, n, 7); err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(bytes.NewReader(buf.Bytes())).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, r := range rows[1:] {
		ids = append(ids, r[3])
	}
	path := filepath.Join(t.TempDir(), "ledger.csv")
	if err := os.WriteFile(path, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	return path, ids
}

// storedIDs lists the ID numbers of the persons in a database.
func storedIDs(t *testing.T, db string) map[string]bool {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, db, store.Options{})
	if err == nil {
		err = st.Unlock(ctx, "officer", "secret-pass")
	}
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	ps, err := st.List(ctx, store.KindPerson, store.ListFilter{})
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]bool{}
	for _, p := range ps {
		out[p.Fields["id_number"]] = true
	}
	return out
}

var stoppedRE = regexp.MustCompile(`台账第 (\d+) 行及以前的 (\d+) 行已处理并保存，第 (\d+) 行起的 (\d+) 行没有保存`)

// An import that fills the disk said "磁盘已满，本次操作没有保存" while
// the batches before it were kept. It now names the last row saved and
// the first one not, which must be exactly what the database holds, and
// importing the same file again once there is room adds only the rest.
func TestImportOnAFullDiskSaysWhichRowsWereKept(t *testing.T) {
	disk, grow := smallDisk(t, 6<<20)
	db := dbOnDisk(t, disk)
	file, ids := generatedLedger(t, 3000)
	out, errs, code := runEnv(t, officerEnv(), nil, "import", "--db", db, file)
	m := stoppedRE.FindStringSubmatch(errs)
	if code != 1 || m == nil {
		t.Fatalf("import on a full disk: exit %d, no rows-kept message\n%s\n%s", code, errs, firstLines(out, 3))
	}
	through, saved, next, left := atoi(m[1]), atoi(m[2]), atoi(m[3]), atoi(m[4])
	// Row 1 is the header: ledger row r holds ids[r-2].
	if saved == 0 || saved+left != len(ids) || through != saved+1 || next != through+1 {
		t.Fatalf("inconsistent report: %v", m)
	}
	grow(64 << 20) // room to sign in and read; what is stored stays as it was
	got := storedIDs(t, db)
	for i, id := range ids {
		if kept := i+2 <= through; got[id] != kept {
			t.Fatalf("ledger row %d: stored %v, report says kept %v", i+2, got[id], kept)
		}
	}
	out, errs, code = runEnv(t, officerEnv(), nil, "import", "--db", db, file)
	want := "新增 " + strconv.Itoa(left) + " 人，更新 0 人，未变 " + strconv.Itoa(saved) + " 人"
	if code != 0 || !strings.Contains(out, want) {
		t.Fatalf("second import: exit %d, want %q\n%s\n%s", code, want, firstLines(out, 3), errs)
	}
	if n := len(storedIDs(t, db)); n != len(ids) {
		t.Fatalf("%d persons stored after the second import, want %d", n, len(ids))
	}
}

// On a full disk even commands that only read cannot open the database
// (SQLite must size its WAL index; signing in writes an audit entry).
// They said "发生意外错误：open database: disk I/O error (4874)"; they
// now say that the disk is full, in the user's language.
func TestReadCommandsOnAFullDiskSaySo(t *testing.T) {
	disk, _ := smallDisk(t, 4<<20)
	db := dbOnDisk(t, disk)
	fill(t, filepath.Join(disk, "filler"))
	out := filepath.Join(t.TempDir(), "ledger.csv") // an export goes to another disk
	for _, args := range [][]string{{"sync", "--status"}, {"conflicts"}, {"export", "--out", out}} {
		for lang, want := range map[string]string{"zh": "磁盘已满", "en": "The disk is full"} {
			_, errs, code := runEnv(t, officerEnv("REHABDESK_LANG", lang), nil, append(args, "--db", db)...)
			if code != 1 || !strings.Contains(errs, want) || strings.Contains(errs, "4874") {
				t.Errorf("%s %v on a full disk: exit %d, %q", lang, args, code, errs)
			}
		}
	}
}

// fill writes path until the disk has no room left.
func fill(t *testing.T, path string) {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	buf := make([]byte, 64<<10)
	for {
		if _, err := f.Write(buf); err != nil {
			if !store.IsDiskFull(err) {
				t.Fatal(err)
			}
			return
		}
	}
}

func atoi(s string) int {
	n, _ := strconv.Atoi(s)
	return n
}

func firstLines(s string, n int) string {
	lines := strings.SplitN(s, "\n", n+1)
	return strings.Join(lines[:min(n, len(lines))], "\n")
}
