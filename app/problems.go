package app

import (
	"encoding/csv"
	"os"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"

	"rehabdesk/store/ledger"
)

// problemTable lists an import's problems: row, column, what happened, why.
type problemTable struct {
	rows  []ledger.Problem
	table *widget.Table
}

var problemColumns = []struct {
	key   string
	width float32
}{{"transfer.col_row", 70}, {"transfer.col_column", 140}, {"transfer.col_severity", 90}, {"transfer.col_reason", 700}}

func newProblemTable() *problemTable {
	p := &problemTable{}
	p.table = &widget.Table{
		Length:       func() (int, int) { return len(p.rows), len(problemColumns) },
		CreateCell:   func() fyne.CanvasObject { return &widget.Label{Truncation: fyne.TextTruncateEllipsis} },
		UpdateCell:   p.updateCell,
		CreateHeader: func() fyne.CanvasObject { return &widget.Label{TextStyle: fyne.TextStyle{Bold: true}} },
		UpdateHeader: func(id widget.TableCellID, o fyne.CanvasObject) {
			if id.Col >= 0 {
				o.(*widget.Label).SetText(T(problemColumns[id.Col].key))
			}
		},
	}
	p.table.ShowHeaderRow = true
	p.table.ExtendBaseWidget(p.table)
	for i, c := range problemColumns {
		p.table.SetColumnWidth(i, c.width)
	}
	return p
}

func (p *problemTable) set(rows []ledger.Problem) {
	p.rows = rows
	p.table.Refresh()
}

func (p *problemTable) updateCell(id widget.TableCellID, o fyne.CanvasObject) {
	if id.Row >= len(p.rows) {
		return
	}
	o.(*widget.Label).SetText(problemRecord(p.rows[id.Row])[id.Col])
}

// problemRecord is one problem as the columns of the table and the CSV.
func problemRecord(pr ledger.Problem) []string {
	row, column, reason := problemText(pr)
	return []string{row, column, T("transfer.severity." + severityKey(pr.Severity)), reason}
}

func severityKey(s ledger.Severity) string {
	switch s {
	case ledger.Duplicate:
		return "duplicate"
	case ledger.Warning:
		return "warning"
	}
	return "rejected"
}

func (t *ledgerScreen) pickSaveReport() {
	t.ui.pickSavePath(T("transfer.report_name")+".csv", func(path string) {
		if err := saveProblems(path, t.report.Problems); err != nil {
			t.ui.showError(err)
			return
		}
		t.ui.showMessage(T("transfer.save_report"), T("transfer.report_saved", path))
	})
}

// saveProblems writes the report as CSV with a BOM, which Excel opens
// without garbling Chinese.
func saveProblems(path string, ps []ledger.Problem) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	f.WriteString("\ufeff")
	w := csv.NewWriter(f)
	var head []string
	for _, c := range problemColumns {
		head = append(head, T(c.key))
	}
	w.Write(head)
	for _, p := range ps {
		row := problemRecord(p)
		row[3] = ledger.SafeCell(row[3]) // reasons quote the ledger's cells
		w.Write(row)
	}
	w.Flush()
	if err := w.Error(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
