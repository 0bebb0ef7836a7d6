package server

import (
	"strings"
	"testing"

	"rehabdesk/store"
)

// TestHostileNamesPaddedWithSpacesAreRefused: a name, ID number or phone
// number parses once its spaces are dropped (full-width U+3000, NBSP,
// zero-width, line breaks), so padded with thousands of them it passed
// the check of its length while every device stored, listed and printed
// the padded value as it came. Each is refused as bad_value; the same
// values padded as a device would keep them are taken.
func TestHostileNamesPaddedWithSpacesAreRefused(t *testing.T) {
	h := newHostile(t)
	pad := strings.Repeat("\u3000", 20000)
	for _, fields := range []map[string]string{
		{"name": "张" + pad + "三"},
		{"name": "王\n" + strings.Repeat("\u200b", 5000) + "五"},
		{"id_number": "52010219900101123X" + pad},
		{"phone": "138" + strings.Repeat(" ", 3000) + "00000000"},
	} {
		c := change("devA", townA, store.KindPerson, "pA", "pA", fields)
		if reason := h.mustRefuse(h.tokA, c); reason != ReasonBadValue {
			t.Errorf("%.20q… refused as %q", fields, reason)
		}
	}
	h.mustAccept(h.tokA, change("devA", townA, store.KindPerson, "pA", "pA",
		map[string]string{"name": "Maria Lopez", "id_number": "52010219900101123X", "phone": "138 0000 0000"}))
	if got := h.townshipState(townA)["pA"].Fields["name"]; got != "Maria Lopez" {
		t.Fatalf("A's person is named %q", got)
	}
}
