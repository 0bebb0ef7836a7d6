package ledger

import (
	"archive/zip"
	"bytes"
	"errors"
	"io"
)

// Bounds of a ledger file. A county's largest ledger holds some tens of
// thousands of persons (the import benchmark uses 100,000); a file past
// these bounds is refused before it is read whole, because an .xlsx of a
// few hundred kilobytes can unpack to millions of rows and gigabytes.
const (
	MaxRows = 200_000
	// MaxCells bounds the cells of a table (rows times columns).
	MaxCells = 10_000_000
	// MaxUnpacked bounds a CSV file, and an .xlsx workbook once unzipped.
	MaxUnpacked = 256 << 20
)

// ErrTooBig means a file is past MaxRows, MaxCells or MaxUnpacked.
var ErrTooBig = errors.New("the file is too big for a ledger")

func tooBig(cause error) *ReadError { return &ReadError{Kind: ErrTooBig, Cause: cause} }

// checkZip refuses a workbook whose parts say they unpack past
// MaxUnpacked, from the zip directory alone, then unpacks each part once
// (streaming, nothing kept) to check it holds what its header says: the
// workbook reader trusts a part's stated size, setting that much memory
// aside, and takes a part that fails its checksum as it comes.
func checkZip(data []byte) error {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return &ReadError{Kind: ErrCorrupt, Cause: err}
	}
	var total uint64
	for _, f := range zr.File {
		if total += f.UncompressedSize64; total > MaxUnpacked {
			return tooBig(errors.New("workbook unpacks past the bound"))
		}
	}
	for _, f := range zr.File {
		if err := checkPart(f); err != nil {
			return &ReadError{Kind: ErrCorrupt, Cause: err}
		}
	}
	return nil
}

// checkPart unpacks a part, failing unless it holds exactly the bytes and
// checksum its header states (archive/zip checks both at its end).
func checkPart(f *zip.File) error {
	rc, err := f.Open()
	if err != nil {
		return err
	}
	defer rc.Close()
	_, err = io.Copy(io.Discard, rc)
	return err
}

// countCells is an upper bound on the cells of CSV text: one per
// separator or line break (quoted ones count too), so that a line of
// millions of commas is refused before it is split.
func countCells(data []byte, comma rune) error {
	n := bytes.Count(data, []byte{byte(comma)}) + bytes.Count(data, []byte{'\n'}) + 1
	if n > MaxCells {
		return tooBig(errors.New("more cells than the bound"))
	}
	return nil
}

// rowBudget counts rows and cells as a table is read.
type rowBudget struct{ rows, cells int }

func (b *rowBudget) add(cells int) error {
	b.rows++
	b.cells += cells
	if b.rows > MaxRows || b.cells > MaxCells {
		return tooBig(errors.New("more rows or cells than the bound"))
	}
	return nil
}
