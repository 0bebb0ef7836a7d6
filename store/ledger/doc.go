// Package ledger reads and writes the person ledger (人员台账) that
// townships keep in Excel today: import of messy .xlsx and .csv files into
// the case store, export of the store back into the same layout, and a
// generator of realistic synthetic ledgers for tests and benchmarks.
//
// Import never loses what the database already holds: a row whose ID number
// is known updates only the values that differ, an empty cell leaves the
// stored value alone, and values the store cannot take are kept as text in
// the person's "ledger_extra" field and reported. Every row that is not
// imported is reported with its spreadsheet row number, column and reason.
package ledger
