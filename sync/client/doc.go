// Package client is the device side of sync: it enrolls a township database
// with the county server, then pushes the device's own changes and pulls
// its township's changes in pages, over HTTP(S) or through exchange files.
//
// The GUI calls Sync in the background (cancel it with the context) and
// Status to show where things stand; the command line wraps the same calls.
//
// # Exactly once, without a coordinator
//
// Push: pages of store.LocalChanges after the push cursor; the cursor moves
// only when the server has acknowledged the page, so a lost reply means the
// page is sent again, and the server, which stores each change once by
// (HLC, device), acknowledges it again without duplicating anything.
//
// Pull: each page is merged with store.ApplyRemote, then the cursor moves.
// The merge is idempotent (a change already in the log is a no-op), so a
// device killed between the two merges the page again on its next sync:
// nothing is skipped, nothing doubled.
//
// # After the records
//
// Once records are pushed and pulled, the audit log goes up (and, for
// officers and county devices, comes down), then attachment content moves in
// 64 KB chunks: kept as they arrive, resumed where they stopped, and never
// failing the sync — Result.BlobsPending says what is left for next time.
//
// # State
//
// The server address, pinned certificate fingerprint, cursors and the last
// outcome live in the database's sync_state table (store/syncstate.go); the
// device token is sealed there with the database's data key.
//
// # Transport security
//
// https URLs are trusted by the SHA-256 fingerprint of the server's
// certificate, pinned at enrollment (compare it with the one countyd prints).
// Plain http is refused unless the server is on a loopback address.
package client
