package store

// argBoxes holds the strings a merge passes to SQLite again and again
// (record ids, devices, townships, users, kinds), each boxed once per
// batch: boxing a string into database/sql's arguments allocates, and a
// change's log row, its record's prefetch and its record's write each box
// the same ids. It is built before the merge's second goroutine starts and
// only read afterwards, so both goroutines share it.
type argBoxes map[string]any

// boxArgs boxes the repeated strings of a batch's changes.
func boxArgs(changes []*Change) argBoxes {
	b := make(argBoxes, len(changes)+8)
	for _, ch := range changes {
		if ch == nil {
			continue
		}
		for _, s := range [...]string{ch.EntityID, ch.PersonID, ch.Device, ch.Township, ch.User, string(ch.Kind)} {
			if _, ok := b[s]; !ok {
				b[s] = s
			}
		}
	}
	return b
}

// arg returns s as an argument, boxed already when the batch has it. A nil
// argBoxes boxes every string anew.
func (b argBoxes) arg(s string) any {
	if a, ok := b[s]; ok {
		return a
	}
	return s
}
