package assets

import (
	_ "embed"
	"strings"
	"sync"
)

// commonPasswords is Openwall's list of the most common passwords (public
// domain, 3,546 entries, see its header) with a few long ones often chosen
// in China, one per line; "#!comment:" lines are notes.
//
//go:embed passwords/common.txt
var commonPasswords string

var commonSet = sync.OnceValue(func() map[string]bool {
	set := map[string]bool{}
	for _, line := range strings.Split(commonPasswords, "\n") {
		if line != "" && !strings.HasPrefix(line, "#!comment:") {
			set[strings.ToLower(line)] = true
		}
	}
	return set
})

// CommonPassword reports whether p (ignoring case) is on the embedded list
// of common passwords, which guessers try first.
func CommonPassword(p string) bool { return commonSet()[strings.ToLower(p)] }
