package valid

import (
	"fmt"
	"testing"
)

// The shortcut for bare mobile numbers accepts exactly what the mobile
// pattern accepts.
func TestPlainMobileAgreesWithPattern(t *testing.T) {
	cases := []string{"13812345678", "12812345678", "19912345678", "1381234567", "138123456789",
		"23812345678", "1381234567x", "１３８１２３４５６７８", "", "1", "10012345678", "13a12345678"}
	for i := range 2000 {
		cases = append(cases, fmt.Sprintf("1%d%09d", i%10, i*7919%1000000000))
	}
	for _, s := range cases {
		if got, want := plainMobile(s), mobile.MatchString(s); got != want {
			t.Errorf("plainMobile(%q) = %v, pattern says %v", s, got, want)
		}
	}
}
