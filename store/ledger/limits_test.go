package ledger

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"context"
	"errors"
	"hash/crc32"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"rehabdesk/internal/storetest"
)

// workbookParts are the parts of a minimal .xlsx workbook but its sheet.
var workbookParts = map[string]string{
	"[Content_Types].xml": `<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
		`<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>` +
		`<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>` +
		`<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>`,
	"_rels/.rels": `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
		`<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`,
	"xl/workbook.xml": `<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" ` +
		`xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="台账" sheetId="1" r:id="rId1"/></sheets></workbook>`,
	"xl/_rels/workbook.xml.rels": `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
		`<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>`,
}

// bombWorkbook is an .xlsx whose one sheet has a ledger header and then n
// rows of one digit: a few hundred kilobytes that unpack to n rows (26
// bytes each, so four million stay within MaxUnpacked).
func bombWorkbook(t testing.TB, n int) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for name, text := range workbookParts {
		w, _ := zw.Create(name)
		io.WriteString(w, text)
	}
	head := `<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>` +
		`<row><c t="inlineStr"><is><t>姓名</t></is></c><c t="inlineStr"><is><t>身份证号</t></is></c></row>`
	z, crc, size := deflateRepeated(t, head, `<row><c><v>1</v></c></row>`, n, `</sheetData></worksheet>`)
	w, err := zw.CreateRaw(&zip.FileHeader{Name: "xl/worksheets/sheet1.xml", Method: zip.Deflate, CRC32: crc,
		CompressedSize64: uint64(len(z)), UncompressedSize64: uint64(size)})
	if err != nil {
		t.Fatal(err)
	}
	w.Write(z)
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// deflateRepeated deflates head, n copies of unit, then tail, without
// compressing the copies one by one (that took most of a minute under the
// race detector): a block of copies longer than deflate's 32 KB window is
// compressed twice, and the second block's bytes are repeated, because
// from the second block on every block starts with the same window behind
// it and so decodes to the same text. It returns the stream, its CRC-32
// and its inflated size.
func deflateRepeated(t testing.TB, head, unit string, n int, tail string) ([]byte, uint32, int) {
	t.Helper()
	const perBlock = 4096 // copies: with 26-byte rows, 104 KB, over the window
	block := strings.Repeat(unit, perBlock)
	var out bytes.Buffer
	fw, _ := flate.NewWriter(&out, flate.BestCompression)
	crc, size := uint32(0), 0
	add := func(s string) {
		crc, size = crc32.Update(crc, crc32.IEEETable, []byte(s)), size+len(s)
		io.WriteString(fw, s)
	}
	add(head)
	blocks := n / perBlock
	if blocks < 2 {
		t.Fatalf("%d copies: at least %d", n, 2*perBlock)
	}
	add(block)
	fw.Flush() // ends on a byte: what follows stands alone
	mark := out.Len()
	add(block)
	fw.Flush()
	repeat := bytes.Clone(out.Bytes()[mark:])
	for range blocks - 2 {
		crc, size = crc32.Update(crc, crc32.IEEETable, []byte(block)), size+len(block)
		out.Write(repeat)
	}
	add(strings.Repeat(unit, n-blocks*perBlock))
	add(tail)
	if err := fw.Close(); err != nil {
		t.Fatal(err)
	}
	return out.Bytes(), crc, size
}

// refusedAsTooBig checks that a file was refused with the translated
// "too big" error and that nothing was written.
func refusedAsTooBig(t *testing.T, name string, err error) {
	t.Helper()
	var re *ReadError
	if !errors.As(err, &re) || !errors.Is(err, ErrTooBig) {
		t.Fatalf("%s: got %v, want ErrTooBig", name, err)
	}
	if key, args := re.MessageKey(); key != "ledger.error.too_big" || len(args) != 2 {
		t.Fatalf("%s: message %s %v", name, key, args)
	}
}

// A workbook of a few hundred kilobytes holding four million rows is
// refused once it passes MaxRows, without the heap growing past a small
// bound (before the bounds, reading it had not finished after the
// 10-minute test timeout) and without a change written.
func TestAWorkbookBombIsRefusedWithinBoundedMemory(t *testing.T) {
	s := newStore(t)
	data := bombWorkbook(t, 4_000_000)
	t.Logf("bomb workbook: %d KB", len(data)>>10)
	var err error
	growth := heapGrowth(func() { _, err = ImportBytes(context.Background(), s, data, Options{}) })
	refusedAsTooBig(t, "4 million rows", err)
	t.Logf("heap peak %d MB above the baseline", growth)
	if growth > 128 {
		t.Errorf("refusing the bomb took %d MB of heap, want at most 128 MB", growth)
	}
	if n := localChanges(t, s); n != 1 { // the account record Create wrote
		t.Fatalf("the refused file wrote %d changes", n)
	}
}

// A workbook part that says it unpacks past MaxUnpacked is refused from
// the zip directory alone.
func TestAWorkbookThatUnpacksPastTheBoundIsRefusedUnread(t *testing.T) {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for name, text := range workbookParts {
		w, _ := zw.Create(name)
		io.WriteString(w, text)
	}
	w, err := zw.CreateRaw(&zip.FileHeader{Name: "xl/worksheets/sheet1.xml", Method: zip.Deflate,
		UncompressedSize64: MaxUnpacked + 1, CompressedSize64: 2})
	if err != nil {
		t.Fatal(err)
	}
	w.Write([]byte{3, 0}) // an empty deflate stream
	zw.Close()
	_, err = ImportBytes(context.Background(), newStore(t), buf.Bytes(), Options{})
	refusedAsTooBig(t, "a part past MaxUnpacked", err)
}

func TestCSVPastTheBoundsIsRefused(t *testing.T) {
	s := newStore(t)
	header := "姓名,身份证号\n"
	for name, data := range map[string]string{
		"too many rows":  header + strings.Repeat("张三,1\n", MaxRows+1),
		"too many cells": header + strings.Repeat(",", MaxCells),
	} {
		_, err := ImportBytes(context.Background(), s, []byte(data), Options{})
		refusedAsTooBig(t, name, err)
	}
	if n := localChanges(t, s); n != 1 {
		t.Fatalf("refused files wrote %d changes", n)
	}
	rep := importBytes(t, s, []byte(header+strings.Repeat("张三,"+storetest.IDNumber("52010219900101123")+"\n", 3)))
	if rep.Rows != 3 {
		t.Fatalf("a small ledger: %d rows", rep.Rows)
	}
}

// BenchmarkRefuseWorkbookBomb times refusing the four-million-row workbook
// of TestAWorkbookBombIsRefusedWithinBoundedMemory (before MaxRows, reading
// it did not finish within a 10-minute test timeout).
func BenchmarkRefuseWorkbookBomb(b *testing.B) {
	s := newStore(b)
	data := bombWorkbook(b, 4_000_000)
	b.ResetTimer()
	for range b.N {
		if _, err := ImportBytes(context.Background(), s, data, Options{}); !errors.Is(err, ErrTooBig) {
			b.Fatalf("got %v, want ErrTooBig", err)
		}
	}
}

// heapGrowth runs f and returns by how many MB the heap in use rose above
// its level before, at its highest (sampled every 5 ms).
func heapGrowth(f func()) int64 {
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	base, peak := ms.HeapInuse, ms.HeapInuse
	stop, done := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(done)
		var ms runtime.MemStats
		for {
			runtime.ReadMemStats(&ms)
			peak = max(peak, ms.HeapInuse)
			select {
			case <-stop:
				return
			case <-time.After(5 * time.Millisecond):
			}
		}
	}()
	f()
	close(stop)
	<-done
	return int64(peak-base) >> 20
}

// A part whose content does not match its header (here: shorter than it
// says) is refused as damaged before the workbook reader sees it: that
// reader sets the stated size aside in memory and reads on regardless.
func TestAWorkbookPartThatLiesAboutItsSizeIsRefused(t *testing.T) {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for name, text := range workbookParts {
		w, _ := zw.Create(name)
		io.WriteString(w, text)
	}
	z, crc, size := deflateRepeated(t, "<worksheet><sheetData>", "<row/>", 10_000, "</sheetData></worksheet>")
	w, err := zw.CreateRaw(&zip.FileHeader{Name: "xl/worksheets/sheet1.xml", Method: zip.Deflate, CRC32: crc,
		CompressedSize64: uint64(len(z)), UncompressedSize64: uint64(size) + 200<<20})
	if err != nil {
		t.Fatal(err)
	}
	w.Write(z)
	zw.Close()
	s := newStore(t)
	growth := heapGrowth(func() { _, err = ImportBytes(context.Background(), s, buf.Bytes(), Options{}) })
	if !errors.Is(err, ErrCorrupt) {
		t.Fatalf("got %v, want ErrCorrupt", err)
	}
	if growth > 64 {
		t.Fatalf("a 200 MB size stated by a small part took %d MB of heap", growth)
	}
}

// A ledger file past MaxUnpacked is refused by its size, unread.
func TestAFileImportPastTheBoundIsRefusedUnread(t *testing.T) {
	path := filepath.Join(t.TempDir(), "台账.csv")
	if err := os.WriteFile(path, []byte("姓名,身份证号\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Truncate(path, MaxUnpacked+1); err != nil { // sparse: costs no disk
		t.Fatal(err)
	}
	s := newStore(t)
	var err error
	growth := heapGrowth(func() { _, err = ImportFile(context.Background(), s, path, Options{}) })
	refusedAsTooBig(t, "a 256 MB file", err)
	if growth > 64 {
		t.Fatalf("refusing it took %d MB of heap: it was read", growth)
	}
}
