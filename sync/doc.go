// Package sync is the home of RehabDesk's synchronisation between township
// devices and the county server. It holds no code itself: importing a package
// named sync would shadow the standard library, so the parts live in
// subpackages that say what they are:
//
//   - sync/wire: the versioned messages, their compact encoding and limits,
//     shared by both sides and by every transport (HTTP or a file on a USB
//     stick).
//   - sync/client: what a device does — enroll with a code, push its changes
//     in pages, pull the township's changes in pages, exchange files.
//   - sync/server: the county server behind cmd/countyd — devices, enrollment
//     codes, the change log of every township and its merged state.
//
// Dependencies point one way: client and server → wire → store.
package sync
