package report

import "rehabdesk/store/rules"

// A person's file may leave the township and come back (变更执行地, 戒毒条例
// art. 22, and back again): the change log keeps each move of its
// township. A month counts the person when they were here on its last
// day, and counts each move in the month of the day it took effect, so a
// return leaves the month they left as it was: a transfer out, without
// them.

// move is a transfer of a person into the township (in) or out of it,
// recorded on a China day.
type move struct {
	day rules.Day
	in  bool
}

// movesOf are a person's moves with the days they took effect
// (transferDay), each no earlier than the one before.
func (h *History) movesOf(p *rules.Person) []move {
	if h == nil {
		return nil
	}
	out := make([]move, 0, len(h.moves[p.ID]))
	after := rules.Day(0)
	for _, mv := range h.moves[p.ID] {
		mv.day = transferDayAfter(p, after, mv.day)
		after = mv.day
		out = append(out, mv)
	}
	return out
}

// hereOn reports whether the person was in the township at the end of a
// day: a file begun elsewhere from its first move in, and never while
// moved out.
func (h *History) hereOn(p *rules.Person, d rules.Day) bool {
	if h == nil {
		return true
	}
	here := !h.foreign[p.ID]
	for _, mv := range h.movesOf(p) {
		if mv.day <= d {
			here = mv.in
		}
	}
	return here
}

// arrivalsIn counts the person's transfers into the township in a month.
func (h *History) arrivalsIn(p *rules.Person, mo Month) int {
	n := 0
	for _, mv := range h.movesOf(p) {
		n += b(mv.in && mo.Contains(mv.day))
	}
	return n
}

// departuresIn counts the transfers out of the township in a month: of
// the persons away now, by what was kept of them, and of the persons here,
// who left and came back, by their moves.
func (h *History) departuresIn(persons []*rules.Person, mo Month) int {
	if h == nil {
		return 0
	}
	n := 0
	for _, days := range h.departed {
		n += countDays(mo, days)
	}
	for _, p := range persons {
		for _, mv := range h.movesOf(p) {
			n += b(!mv.in && mo.Contains(mv.day))
		}
	}
	return n
}

// outDays are the days a person left the township.
func (h *History) outDays(p *rules.Person) []rules.Day {
	var out []rules.Day
	for _, mv := range h.movesOf(p) {
		if !mv.in {
			out = append(out, mv.day)
		}
	}
	return out
}
