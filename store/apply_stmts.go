package store

import (
	"context"
	"database/sql"
	"sync"
)

// stmtCache keeps the merge's statements prepared for the life of the
// store. A merge prepared its statements once per batch, and parsing them
// (the 64-row log insert has 640 parameters) took as long as a few dozen
// rows' writes: a pull page of 500 changes paid it every page. A statement
// cached here is prepared once per connection; database/sql reuses it in
// each transaction on that connection.
type stmtCache struct {
	mu    sync.Mutex
	stmts map[string]*sql.Stmt
}

// maxCachedStmts bounds the cache: the merge's statements are a few dozen
// (one log insert per chunk size), and a query beyond the bound is simply
// prepared per batch as before.
const maxCachedStmts = 128

// get returns query prepared on db, or nil when the cache is full or the
// statement does not prepare (the caller then prepares it in its
// transaction and reports the error from there).
func (c *stmtCache) get(ctx context.Context, db *sql.DB, query string) *sql.Stmt {
	c.mu.Lock()
	defer c.mu.Unlock()
	if st := c.stmts[query]; st != nil {
		return st
	}
	if len(c.stmts) >= maxCachedStmts {
		return nil
	}
	st, err := db.PrepareContext(ctx, query)
	if err != nil {
		return nil
	}
	if c.stmts == nil {
		c.stmts = map[string]*sql.Stmt{}
	}
	c.stmts[query] = st
	return st
}
