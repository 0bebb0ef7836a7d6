// Package store keeps a township's case files in a local SQLite database: one
// file per person (一人一档) and the logs of events on each person, every write
// recorded field by field for sync, every personal value encrypted at rest.
//
// The package never imports Fyne; the GUI, the sync engine and the command
// line all go through it. It is one flat package on purpose: its parts share
// the write transaction (Tx), the sealer and the in-memory search index, the
// way bbolt's DB, Tx and Bucket do, and splitting them would cost import
// cycles and a larger exported API.
//
// # The files, by group
//
//   - Opening and schema: store.go (Create, Open, Options, Close), db.go
//     (the SQLite file, WAL, the migrations in migrations/ run by
//     internal/sqlitedb), schema.go (kinds of record and their fields),
//     enums.go, field_order.go, normalize_field.go.
//   - Accounts and crypto: account.go (key slots: each password unwraps the
//     data key; sign-in starts a Session), account_scope.go (what a
//     volunteer may read), password.go, throttle.go (sign-in failures),
//     lockout.go (a remote change that would lock this device out is held
//     back), staff.go, crypto.go (every personal value sealed with
//     internal/seal under the data key, key wrapping, keyed natural keys
//     for ID numbers).
//   - Clocks and ids: hlc.go (hybrid logical clock: the versions every merge
//     orders by), clock_shared.go (several handles on one file share one
//     clock), clock_skew.go (a remote clock too far ahead), ids.go (UUIDv7).
//   - Local writes: write.go (Tx, Update, Put, Change, AppendChange),
//     prepare.go (normalise with store/valid, derive, check references and
//     ID-number uniqueness), check_value.go (CheckValue: whether a value
//     made elsewhere is one the store could have stored, by the same field
//     table; the county server checks every pushed value with it),
//     records_pending.go and changes_pending.go (rows
//     of a transaction inserted together when it ends), versions.go and
//     jsonmap.go (how fields and versions are encoded), txstmt.go,
//     trigger_off.go, sqlite_errors.go (disk full, busy), draft.go (unsaved
//     form contents; they never sync).
//   - Reads: record.go (Get, List, scope and redaction), readall.go
//     (LoadAll, EachRecord: every record of some kinds in one pass, for
//     alerts and reports), records_asof.go (RecordsAsOf: the records as they
//     stood at a past moment, replayed from the change log), changes.go
//     (History, LocalChanges for push).
//   - Sync merge, the apply_* files: apply.go (the merge rules and
//     ApplyRemote), apply_check.go (a malformed change is rejected alone),
//     attachment_link.go (an attachment linked to a record here that is no
//     event of its person is rejected alone),
//     apply_batch.go (log the new changes of a page), apply_merge.go (merge
//     field by field; versions, leaves and ghosts in merge_versions),
//     apply_prefetch.go, apply_versions.go, apply_flush.go (write the merged
//     records), apply_index.go (which search entries changed),
//     apply_derived.go, apply_decode.go, apply_ahead.go, apply_args.go,
//     apply_stmts.go (speed: decode and seal on another goroutine, prepared
//     statements).
//   - Conflicts and duplicates: conflict.go (the open conflicts, derived from
//     merge state), conflict_archive.go (edited while archived),
//     conflict_resolve.go (resolving is an ordinary edit that names the
//     losing value as a base), duplicate.go (two persons with one ID number,
//     registered on two devices offline, are combined: CombinePersons).
//   - Transfers of a person to another township: transfer_person.go
//     (TransferPerson, a local write of "_township" on the whole file),
//     transfer_away.go (the person is hidden once gone), transfer_purge.go
//     (their file is erased once this device's edits reached the county).
//   - Search index: index.go (Search over the in-memory index of package
//     store/search; names and ID numbers are sealed, so SQL cannot search),
//     index_bulk.go, index_hold.go (refreshing it after large writes),
//     index_snapshot.go (the sealed copy of the index that makes sign-in
//     fast).
//   - Bulk writes (a ledger import, package store/ledger): import_stage.go
//     (Staged: rows prepared and sealed outside the transaction),
//     import_write.go (Tx.PutStaged), bulk_writer.go (BeginBulk: a writer
//     connection whose commits do not wait for the WAL checkpoint).
//   - A person's duties: workflow.go (each legal duty one call, written
//     with its audit entry), events_batch.go (AddEvents: a test day's
//     results in one transaction), attachment.go (scans and photos of a
//     file), departed.go (what a monthly report keeps of persons
//     transferred away).
//   - Around the records: syncstate.go (the sync client's cursors and
//     server address, kept in the same file), blob_upload.go (which
//     attachments the server holds), audit.go and audit_code.go (who did
//     what), backup.go and backup_format.go (a sealed copy of the whole
//     database).
//
// Sub-packages: valid (ID numbers, phones, dates, names), rules (alerts),
// report (monthly figures and workbooks), ledger (Excel/CSV import and
// export), search (the index).
//
// # How a write flows
//
// A form's Save calls Store.Put, which runs Tx.Put inside Store.Update:
//
//  1. Update takes the store's write lock, begins a SQLite transaction and
//     joins the clock stored in the file (clock_shared.go), so two processes
//     writing one database never reuse a clock reading.
//  2. Tx.Put reads the current record (record.go, unsealed by crypto.go),
//     checks the session may write it (prepare.go mayWrite) and that the
//     person was not transferred away, then prepare normalises and validates
//     the typed values (store/valid) and checkUnique refuses a second live
//     person with the same ID number (a DuplicateError).
//  3. write (write.go) keeps only the fields that changed, adds their derived
//     fields (apply_derived.go), and makes a Change: the fields, each with
//     the version it replaces (its base), stamped with a new clock reading
//     and this device. noteLocalWrite keeps the merge state in step (an
//     edit that saw a conflict's losing value closes the conflict).
//  4. saveLocal and appendLocal queue the sealed record row and the sealed
//     change row; they are inserted, many per statement, before the
//     transaction's next statement or at its end (flushPending). The record
//     and its change-log entry commit together or not at all.
//  5. After the commit refreshAfter updates the in-memory search index; the
//     triggers of migration 0006 have marked the person in index_dirty, so
//     the sealed index snapshot catches up at the next lock or sign-in.
//
// The change waits in the log until sync/client pushes it
// (LocalChanges after the push cursor). On another device, a pulled page
// goes to Store.ApplyRemote (apply.go): the same transaction machinery,
// but each change is checked, logged once by (clock reading, device), and
// merged field by field by the rules at the top of apply.go; a change
// already in the log is a no-op, so a page merged twice changes nothing.
// docs/ARCHITECTURE.md follows one change from the form to another device.
//
// # Two JSON decoders
//
// readall.go's decodeFields and apply_decode.go's decodeObject both read
// the objects json.Marshal writes for a map[string]string, splitting plain
// ones directly and leaving anything with escapes to encoding/json. They
// share one splitter, plainJSON, generic over []byte (sealed columns, read
// by LoadAll) and string (columns a merge reads, sliced without copying).
package store
