// Package server is the county server behind cmd/countyd: it enrolls
// devices, accepts each device's changes, and hands every device the changes
// of its township.
//
// # Storage
//
// One SQLite file (modernc, no cgo) with its own migrations, or a
// PostgreSQL database (OpenPostgres, countyd --pg; pgx, no cgo either)
// with the same tables (pg/migrations, one for one). Queries are written
// once; sqldb.go adapts placeholders. Several servers may share one
// PostgreSQL database: every write transaction takes one advisory lock
// before it reads, so feed and audit positions commit in sequence order and
// a pull never skips a position committed after it (see beginWrite), and
// the epoch is read back from the database on every pull.
// CopyToPostgres moves a SQLite server there (countyd migrate). The
// server keeps:
//   - townships it serves, devices (token stored as a SHA-256 only),
//     one-time enrollment codes (hashed, expiring);
//   - every change ever accepted, stored once by (HLC, device), as received;
//   - per township a feed: the order in which its devices pull changes;
//   - the merged state of every record, field by field: the value of the
//     highest version wins, exactly the rule every device applies, so that
//     the county office holds the same data as its townships (guarantee 1)
//     without running a device store, and without holding any device's key.
//
// Conflict records are not materialised on the server: losing values are
// all in the change log, and devices derive conflicts from it.
//
// # Authorization model
//
// Any enrolled device may be stolen or hostile and speak the protocol by
// hand, so the server is the one authority on scope. Every pushed change is
// checked against the server's own state of its record and of the person
// the record belongs to — never against what the change claims (authz.go).
// Rules for every change, whoever pushes it:
//
//   - It was written by the pushing device (Change.Device) and is stamped
//     with the device's own township (Change.Township).
//   - Its PersonID agrees with the record: the record itself for a person,
//     the stored person (and the change's "person" field) for anything in a
//     person's file, empty for township records. A known record keeps its
//     kind, and its person unless a township device re-links it between
//     two persons of its township now (combined files, store.CombinePersons;
//     the winning "person" value files it, whatever order changes arrive in).
//   - A refusal about another township's record, or about a record or
//     person that does not exist, reads the same ("outside_township"; for
//     volunteer devices "not_assigned"), so that refusals do not tell
//     whether an id exists.
//
// By kind of device and record:
//
//   - Township device, township records (staff, volunteer, grid, setting,
//     account): pushes new records and changes to records of its own
//     township; "_township" may only name its own township. Accounts never
//     cross townships. Pulls its township's feed.
//   - Township device, a person and their file (measures, visits, tests,
//     violations, attachments, assignments...): pushes new persons; changes
//     to persons of its township; records of a file only under the file's
//     person, which must exist. To a person its township transferred away,
//     only edits made before it could know of the transfer (late_edit.go),
//     which are kept and follow the person: stamped before the transfer
//     reached the server, or sent by a device that neither made the
//     transfer nor has pulled past it (its pull cursor tells; its store
//     refuses edits of the person from then on) — and none once the
//     transfer is 30 days old (lateEditWindow), so that a device that never
//     pulls cannot write into another township's file for ever. Refused as
//     "transferred_away". An edit typed on a device between the push and
//     the pull of one sync is refused too, if the pull brings the transfer. "_township" on a person moves them: only a device
//     of the person's current township may do it (moving out), never one
//     of the township they left (taking them back). On the records of a
//     file, "_township" may only name the person's current township.
//     Pulls its township's feed: a person moved in brings their whole
//     history.
//   - Values (push.go checkFields): every field is one of its kind's
//     (store's field table) and its value one the store could have stored
//     (store.CheckValue, the rules every device validates with): codes of
//     the field's enumeration, dates as 2006-01-02, "1" flags, integers,
//     division codes, names, ID numbers and phone numbers that parse, text
//     within the field's length; "_archived" is "1" or "". Anything else is
//     refused ("bad_value"). A cleared value passes: whether a record has
//     its required fields is the device's rule, and text is not held to
//     today's normalisation, so that an older version's edits are kept.
//   - Links between records (links.go): a link field names a record the
//     server holds, of the kind it links to, in the change's own person's
//     file when that record is part of a file (an agreement's measure, an
//     attachment's "event": one of store.EventKinds), else of the writing
//     township (a person's grid or staff member, an account's volunteer,
//     an assignment's "member": staff or volunteer). Any other target —
//     another person's or township's, of another kind, an id nobody holds
//     — is refused alike ("bad_link"). Devices skip an attachment change
//     linked to a record they hold that is not an event of its person
//     (store.refuseForeignEvents).
//   - Assignments feed a volunteer only when the volunteer record and the
//     person are of the same township, now: an assignment left behind by
//     a transfer feeds nobody (naming another township's volunteer is
//     refused, see links).
//   - County-office device: pushes no records (read_only), only its audit
//     log; pulls every township of its county.
//   - Volunteer device (enrolled with a volunteer code): pushes only
//     visits, new or existing, whose stored person is actively assigned to
//     its volunteer, and never "_township"; pulls only those persons'
//     files (their whole file when the assignment starts) and its own
//     volunteer record — without violations, accounts, fields marked
//     Sensitive or birth dates, and with ID numbers masked (first and last
//     four characters). No attachments, no audit log.
//   - Attachment content (blob/have, blob/put, blob/get): a hash proves
//     nothing. Content is served only through an attachment record of the
//     device's scope that is backed — a device of that scope sent the
//     content, or proved it holds content already stored by sending it
//     again (blob_proof.go). blob/have answers the same for content another
//     township stored, or is still sending, as for content nobody sent.
//     County and volunteer devices send no content; volunteer devices
//     receive none. A device sends at most Options.UploadQuota bytes of
//     content a day (quota.go), counted in the database so that servers
//     sharing it hold one budget; the rest is refused ("quota") until the
//     next day, while its records go on as usual.
//   - Enrollment: a one-time code enrolls a device id the server does not
//     know; an enrolled id is re-enrolled only with a code issued for that
//     device (NewReenrollCode), never taken over. The refusal
//     ("device_taken") tells that the id is enrolled, only to the holder
//     of a valid code, which it uses up.
//
// Record ids are random UUIDs, chosen by devices: creating a record under
// an id another township uses is refused like any write to it.
//
// A change is routed by the township its record belongs to on the server:
// a person transferred to another township (a change of the person's
// "_township" field) takes their whole history into the new township's
// feed, and an edit made meanwhile on a device of the old township follows
// the person there.
//
// # Encryption at rest
//
// Change payloads and merged field values are sealed with AES-256-GCM under
// a key file kept apart from the database (PATH.key by default); ids,
// versions, townships and the reserved "_township"/"_archived" fields stay
// clear for routing (see seal.go). Back the key file up separately.
//
// USB exchange files are sealed with XChaCha20-Poly1305 under a per-device
// exchange key derived (HKDF) from the key file, the device id and its
// token hash; the device keeps it sealed under its data key. A copy of
// county.db alone can neither read nor forge exchange files.
//
// # Logging
//
// Log lines name devices, townships, counts and refusal reasons — never a
// person's name, ID number or any field value.
package server
