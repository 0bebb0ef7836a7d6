package report

// Counts are one row's figures by row ID (see Defs).
type Counts map[string]int

// Add adds another row's figures.
func (c Counts) Add(o Counts) {
	for k, v := range o {
		c[k] += v
	}
}

// Placed is the persons placed in work.
func (c Counts) Placed() int { return c["placed"] }

// Able is the persons in the community able to work: the rate's base.
func (c Counts) Able() int { return c["able"] }

// PlacementRate is Placed/Able as a percentage with one decimal, "-" when
// nobody is able to work.
func (c Counts) PlacementRate() string { return ratio("placed", "able")(c) }

// Percent is a rate's text with its sign, "50.0%", or "-" when the rate
// has no base.
func Percent(rate any) string {
	s, _ := rate.(string)
	if s == "" || s == "-" {
		return "-"
	}
	return s + "%"
}
