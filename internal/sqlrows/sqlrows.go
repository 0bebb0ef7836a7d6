// Package sqlrows reads the rows of one-column queries, which the store
// and the county server both run often (ids, keys, volunteers).
package sqlrows

import "database/sql"

// Strings returns the values of a one-column query in order and closes the
// rows. It takes a query's results as they come, so that any querier — a
// database, a transaction, a prepared statement — can call it:
//
//	ids, err := sqlrows.Strings(tx.QueryContext(ctx, query, args...))
func Strings(rows *sql.Rows, err error) ([]string, error) {
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var v string
		if err := rows.Scan(&v); err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}
