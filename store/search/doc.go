// Package search answers search-as-you-type over the persons of a township.
//
// Names and ID numbers are encrypted at rest, so SQL cannot search them. After
// unlock the store loads every person into an Index, which keeps per entry the
// strings that matching needs (folded name, pinyin readings, lower-case ID
// number) and one sorted order per sort key, so that a query with text,
// filters, sort and one page costs a single pass over the township.
package search
