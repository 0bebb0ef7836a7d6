// Package flagargs parses command lines where flags may come before or
// after the positional arguments ("import FILE --db X" as well as
// "import --db X FILE"), as officers type them. Both rehabdesk and countyd
// use it; it has no other dependency.
package flagargs

import "flag"

// Parse parses args with fs and returns the positional arguments. The
// error is the flag package's own (flag.ErrHelp for -h); callers turn
// others into their usage errors.
func Parse(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		args = fs.Args()
		if len(args) == 0 {
			return pos, nil
		}
		pos, args = append(pos, args[0]), args[1:]
	}
}
