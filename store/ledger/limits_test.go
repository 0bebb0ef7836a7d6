package ledger

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"io"
	"runtime"
	"strings"
	"testing"
	"time"
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
	w, _ := zw.Create("xl/worksheets/sheet1.xml")
	io.WriteString(w, `<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>`+
		`<row><c t="inlineStr"><is><t>姓名</t></is></c><c t="inlineStr"><is><t>身份证号</t></is></c></row>`)
	row := `<row><c><v>1</v></c></row>`
	chunk := strings.Repeat(row, 10_000)
	for i := 0; i < n; i += 10_000 {
		io.WriteString(w, chunk[:min(n-i, 10_000)*len(row)])
	}
	io.WriteString(w, `</sheetData></worksheet>`)
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
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
// bound (before the bound, reading it took over 3 GB) and without a
// change written.
func TestAWorkbookBombIsRefusedWithinBoundedMemory(t *testing.T) {
	s := newStore(t)
	data := bombWorkbook(t, 4_000_000)
	t.Logf("bomb workbook: %d KB", len(data)>>10)
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	base, peak := ms.HeapInuse, ms.HeapInuse
	stop, done := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(done)
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
	_, err := ImportBytes(context.Background(), s, data, Options{})
	close(stop)
	<-done
	refusedAsTooBig(t, "4 million rows", err)
	growth := int64(peak-base) >> 20
	t.Logf("heap peak %d MB above the %d MB before", growth, base>>20)
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
	rep := importBytes(t, s, []byte(header+strings.Repeat("张三,"+idOf("52010219900101123")+"\n", 3)))
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
