package store

import (
	"errors"
	"strings"
	"unicode/utf8"

	"rehabdesk/assets"
)

// Password policy after NIST SP 800-63B §5.1.1.2: a minimum length, a
// check against passwords guessers try first, and no composition rules
// (they push people to Passw0rd! and to notes on the screen).
const MinPasswordLen = 10

// ErrCommonPassword refuses a password long enough but easy to guess.
var ErrCommonPassword = errors.New("password is too common or too easy to guess")

// CheckPassword applies the policy to a new password (or backup
// passphrase) of user ("" when there is none): long enough, not a common
// password, not one character repeated or a straight run, not "rehabdesk"
// or mostly the user name.
func CheckPassword(user, password string) error {
	if utf8.RuneCountInString(password) < MinPasswordLen {
		return ErrWeakPassword
	}
	lower := strings.ToLower(password)
	switch {
	case assets.CommonPassword(lower), oneStep(lower), strings.Contains(lower, "rehabdesk"):
		return ErrCommonPassword
	case mostlyName(lower, normUser(user)):
		return ErrCommonPassword
	}
	return nil
}

// mostlyName reports a password that is the user name with a few
// characters around it (officer2026, Officer123!).
func mostlyName(password, user string) bool {
	if utf8.RuneCountInString(user) < 3 || !strings.Contains(password, user) {
		return false
	}
	return utf8.RuneCountInString(strings.ReplaceAll(password, user, "")) < 6
}

// oneStep reports a password that is one character repeated or a straight
// run up or down (aaaaaaaaaa, 1234567890, 9876543210, abcdefghij).
func oneStep(p string) bool {
	r := []rune(p)
	for _, step := range []rune{0, 1, -1} {
		run := true
		for i := 1; i < len(r) && run; i++ {
			d := r[i] - r[i-1]
			run = d == step || (step == 1 && r[i-1] == '9' && r[i] == '0')
		}
		if run {
			return true
		}
	}
	return false
}
