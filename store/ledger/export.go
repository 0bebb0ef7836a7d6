package ledger

import (
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"

	"rehabdesk/store"
)

// Format is a file format of an exported ledger.
type Format int

// Export formats.
const (
	CSV  Format = iota // UTF-8 with BOM, which Excel opens without garbling Chinese
	XLSX               // an Excel workbook with the ID column as text
)

// FormatOf picks the format from a file name's extension.
func FormatOf(path string) (Format, bool) {
	switch strings.ToLower(filepath.Ext(path)) {
	case ".csv":
		return CSV, true
	case ".xlsx":
		return XLSX, true
	}
	return 0, false
}

// ExportFile writes the ledger to path through a temporary file in the same
// folder renamed into place, so a full disk or a cancel never leaves a half
// file under the real name. It returns the number of persons written.
func ExportFile(ctx context.Context, s *store.Store, path string) (int, error) {
	f, ok := FormatOf(path)
	if !ok {
		return 0, fmt.Errorf("export %s: the file name must end in .xlsx or .csv", path)
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return 0, err
	}
	defer os.Remove(tmp.Name()) // after a successful rename there is nothing to remove
	n, err := Export(ctx, s, tmp, f)
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = ctx.Err()
	}
	if err != nil {
		return 0, err
	}
	return n, os.Rename(tmp.Name(), path)
}

// Export writes one row per live person, sorted by ID number, with the
// standard header, 就业意愿 and the person's current measure. Importing the result
// into an empty database and exporting again gives the same bytes.
func Export(ctx context.Context, s *store.Store, w io.Writer, f Format) (int, error) {
	if s.Session().Role == "volunteer" {
		return 0, store.ErrForbidden // a ledger is the whole township's, with full ID numbers
	}
	rows, err := ledgerRows(ctx, s)
	if err != nil {
		return 0, err
	}
	// Every export of the ledger is on the audit log, before any byte leaves.
	if err := s.Audit(ctx, store.ActionExport, "", store.AuditDetail(store.AuditLedgerExport, formatName(f), strconv.Itoa(len(rows)))); err != nil {
		return 0, err
	}
	if f == XLSX {
		return len(rows), writeXLSX(ctx, w, rows)
	}
	return len(rows), writeCSV(w, rows)
}

// ledgerRows builds the rows of every live person, sorted by ID number.
func ledgerRows(ctx context.Context, s *store.Store) ([][]string, error) {
	persons, err := s.List(ctx, store.KindPerson, store.ListFilter{})
	if err != nil {
		return nil, err
	}
	measures, err := s.List(ctx, store.KindMeasure, store.ListFilter{})
	if err != nil {
		return nil, err
	}
	byPerson := map[string][]*store.Record{}
	for _, m := range measures {
		byPerson[m.PersonID] = append(byPerson[m.PersonID], m)
	}
	vm := newVillageMap(s.Township())
	rows := make([][]string, 0, len(persons))
	for _, p := range persons {
		rows = append(rows, personRow(p, store.CurrentMeasure(byPerson[p.ID]), vm))
	}
	sort.Slice(rows, func(i, j int) bool { return rows[i][ColID] < rows[j][ColID] })
	return rows, nil
}

// personRow is a person in ledger words: labels, not codes.
func personRow(p, m *store.Record, vm *villageMap) []string {
	f := p.Fields
	row := make([]string, len(exportHeader))
	for c, name := range personFields {
		if c < numColumns {
			row[c] = f[name]
		}
	}
	row[numColumns] = yesNo(f["willing_to_work"])
	row[ColSex] = store.EnumLabel("sex", f["sex"])
	row[ColRisk] = labelOrEmpty("risk", f["risk"])
	row[ColEmployment] = labelOrEmpty("employment", f["employment"])
	row[ColDrugs] = labels("drug", f["drug_types"])
	row[ColVillage] = vm.name(f["village"])
	if row[ColVillage] == "" {
		row[ColVillage] = extraValue(f["ledger_extra"], ColVillage.Name())
	}
	if m != nil {
		row[ColMeasureType] = labelOrEmpty("measure_type", m.Fields["type"])
		row[ColStart], row[ColEnd] = m.Fields["start_date"], m.Fields["planned_end"]
	} else {
		row[ColMeasureType] = labelOrEmpty("person_category", f["category"]) // 社会面: no measure
	}
	return row
}

// exportHeader is the header an export writes: the standard columns, then
// 就业意愿, which the standard header lacks but the import reads (是/否), so
// that an export re-imports without losing who is willing to work.
var exportHeader = append(header[:numColumns:numColumns], ColWilling.Name())

// yesNo writes a yes/no field as ledgers do: 是 when set, else 否 (the
// import reads 否 as unset, and a blank cell would leave a set value).
func yesNo(v string) string {
	if v == "1" {
		return "是"
	}
	return "否"
}

func labelOrEmpty(enum, code string) string {
	if code == "" {
		return ""
	}
	return store.EnumLabel(enum, code)
}

// labels writes a set of codes as ledgers do: 海洛因、冰毒.
func labels(enum, codes string) string {
	if codes == "" {
		return ""
	}
	parts := strings.Split(codes, ",")
	for i, c := range parts {
		parts[i] = store.EnumLabel(enum, c)
	}
	return strings.Join(parts, "、")
}

func writeCSV(w io.Writer, rows [][]string) error {
	if _, err := w.Write(utf8BOM); err != nil {
		return err
	}
	cw := csv.NewWriter(w)
	cw.UseCRLF = true // what Excel writes and expects on Windows
	cw.Write(exportHeader)
	for _, r := range rows {
		cw.Write(safeRow(r))
	}
	cw.Flush()
	return cw.Error()
}

// columnWidths in Excel character units, wide enough for typical values.
var columnWidths = [numColumns + 1]float64{10, 6, 8, 22, 15, 36, 36, 16, 11, 14, 14, 18, 10, 12, 30, 10}

// writeXLSX streams the workbook, so 100,000 persons need little memory.
// Every value is written as a string and the ID column is formatted as
// text, so Excel never turns an ID number into a rounded number.
func writeXLSX(ctx context.Context, w io.Writer, rows [][]string) error {
	x := excelize.NewFile()
	defer x.Close()
	const sheet = "人员台账"
	if err := x.SetSheetName("Sheet1", sheet); err != nil {
		return err
	}
	sw, err := x.NewStreamWriter(sheet)
	if err != nil {
		return err
	}
	styles, err := xlsxStyles(x)
	if err != nil {
		return err
	}
	if err := xlsxLayout(sw); err != nil {
		return err
	}
	if err := sw.SetRow("A1", styledRow(exportHeader, styles.header, styles.header)); err != nil {
		return err
	}
	for i, r := range rows {
		if i%1000 == 0 && ctx.Err() != nil {
			return ctx.Err()
		}
		cell, _ := excelize.CoordinatesToCellName(1, i+2)
		if err := sw.SetRow(cell, styledRow(r, 0, styles.text)); err != nil {
			return err
		}
	}
	if err := sw.Flush(); err != nil {
		return err
	}
	_, err = x.WriteTo(w)
	return err
}

type xlsxStyleIDs struct{ header, text int }

func xlsxStyles(x *excelize.File) (xlsxStyleIDs, error) {
	var s xlsxStyleIDs
	var err error
	s.header, err = x.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true},
		Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"DDEBF7"}}})
	if err != nil {
		return s, err
	}
	s.text, err = x.NewStyle(&excelize.Style{NumFmt: 49}) // 49 is "@": text
	return s, err
}

// xlsxLayout sets column widths and freezes the header row.
func xlsxLayout(sw *excelize.StreamWriter) error {
	for i, wd := range columnWidths {
		if err := sw.SetColWidth(i+1, i+1, wd); err != nil {
			return err
		}
	}
	return sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"})
}

// styledRow gives the ID column the text style and other cells style.
func styledRow(vals []string, style, idStyle int) []any {
	out := make([]any, len(vals))
	for i, v := range vals {
		st := style
		if Column(i) == ColID {
			st = idStyle
		}
		out[i] = excelize.Cell{StyleID: st, Value: v}
	}
	return out
}

func formatName(f Format) string {
	if f == XLSX {
		return "xlsx"
	}
	return "csv"
}
