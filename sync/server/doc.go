// Package server is the county server behind cmd/countyd: it enrolls
// devices, accepts each device's changes, and hands every device the changes
// of its township.
//
// # Storage
//
// One SQLite file (modernc, no cgo) with its own migrations. The server keeps:
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
// # Scope and transfers
//
// A change is routed by the township its record belongs to on the server,
// not only by the township the device stamped on it: a person transferred
// to another township (a change of the person's "_township" field) takes
// their whole history into the new township's feed, and an edit made
// meanwhile on a device of the old township follows the person there. A
// device may push only its own changes, stamped with its own township, to
// records that are new or have belonged to its township at some time.
// County-office devices receive every township of their county and may not
// push records (only their audit log). A volunteer's device (enrolled with
// a volunteer code) receives only the persons actively assigned to that
// volunteer — their whole file when the assignment starts — without
// violations, accounts or Sensitive fields, and may push only visits of
// those persons (see volunteer.go).
//
// # Encryption at rest
//
// Change payloads and merged field values are sealed with AES-256-GCM under
// a key file kept apart from the database (PATH.key by default); ids,
// versions, townships and the reserved "_township"/"_archived" fields stay
// clear for routing (see seal.go). Back the key file up separately.
//
// # Logging
//
// Log lines name devices, townships, counts and refusal reasons — never a
// person's name, ID number or any field value.
package server
