// Package valid checks and normalises the values a township officer types
// or imports from an Excel ledger: resident ID numbers, phone numbers,
// dates, personal names and free text.
//
// It is pure Go so that the store, the ledger import and the GUI apply the
// same rules. Every failure is an *Error whose Code the GUI translates;
// the English text of Error() is meant for logs and tests.
package valid
