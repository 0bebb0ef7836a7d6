package valid

import (
	"regexp"
	"strings"
)

// Phone patterns, applied to the digits left after removing separators.
var (
	mobile    = regexp.MustCompile(`^1[3-9][0-9]{9}$`)
	landline  = regexp.MustCompile(`^(010|02[0-9]|0[3-9][0-9]{2})([2-9][0-9]{6,7})$`)
	localOnly = regexp.MustCompile(`^[2-9][0-9]{6,7}$`)
	extension = regexp.MustCompile(`^[0-9]{1,6}$`)
	phoneText = regexp.MustCompile(`^[( ]*\+?[0-9 ()-]+$`)
)

// extMarkers separate a landline from its extension in written numbers.
var extMarkers = []string{"转", "分机", "ext.", "ext", "x", "#"}

// ParsePhone checks a contact number and returns it normalised. A mobile
// number becomes its 11 digits ("13812345678", a +86 or 0086 prefix
// dropped); a landline becomes "0851-86661234" or "0851-86661234-123"
// with the area code split off by the national numbering plan (010 and 02x
// have three digits, all others four); a local 7-8 digit number without
// area code is returned as its digits. Empty input returns "" and nil
// because the phone is optional. Errors are *Error with Field "phone".
func ParsePhone(s string) (string, error) {
	n := Normalize(s)
	if n == "" || plainMobile(n) {
		// A bare mobile number, most of what a ledger holds and the form
		// it is stored in: spared the regular expressions.
		return n, nil
	}
	body, ext, marked := splitExtension(strings.ToLower(n))
	if !phoneText.MatchString(body) || (marked && !extension.MatchString(ext)) {
		return "", fail(FieldPhone, CodePhone, n)
	}
	if out, ok := phoneNumber(body, ext); ok {
		return out, nil
	}
	return "", fail(FieldPhone, CodePhone, n)
}

// plainMobile reports whether s is exactly what mobile matches: 11
// digits, "1" and then 3-9.
func plainMobile(s string) bool {
	if len(s) != 11 || s[0] != '1' || s[1] < '3' || s[1] > '9' {
		return false
	}
	for i := 2; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// splitExtension cuts s at the first written extension marker such as
// "转" or "ext"; marked reports whether there was one.
func splitExtension(s string) (body, ext string, marked bool) {
	for _, m := range extMarkers {
		if i := strings.Index(s, m); i > 0 {
			return s[:i], strings.TrimSpace(s[i+len(m):]), true
		}
	}
	return s, "", false
}

// phoneNumber formats the digits of body, a string of digits and
// separators. Without an explicit extension, a trailing group after the
// last separator is tried as one ("0851-86661234-123"); with three or more
// groups that reading comes first, so the normalised "area-number-ext" form
// parses back to itself instead of gluing the extension onto the number.
func phoneNumber(body, ext string) (string, bool) {
	if ext != "" {
		return formatPhone(digits(body), ext)
	}
	trimmed := strings.TrimRight(body, " -")
	groups := len(strings.FieldsFunc(trimmed, func(r rune) bool { return r == ' ' || r == '-' }))
	if groups >= 3 {
		if out, ok := splitTrailingExtension(trimmed); ok {
			return out, true
		}
	}
	if out, ok := formatPhone(digits(body), ""); ok {
		return out, true
	}
	return splitTrailingExtension(trimmed)
}

// splitTrailingExtension reads the group after the last separator as an
// extension.
func splitTrailingExtension(body string) (string, bool) {
	i := strings.LastIndexAny(body, " -")
	if i < 0 || !extension.MatchString(strings.TrimSpace(body[i+1:])) {
		return "", false
	}
	return formatPhone(digits(body[:i]), strings.TrimSpace(body[i+1:]))
}

// formatPhone classifies a digit string as mobile, landline or local.
// Only a landline may carry an extension.
func formatPhone(d, ext string) (string, bool) {
	d = stripCountry(d)
	if mobile.MatchString(d) {
		return d, ext == ""
	}
	if m := landline.FindStringSubmatch(d); m != nil {
		out := m[1] + "-" + m[2]
		if ext != "" {
			out += "-" + ext
		}
		return out, true
	}
	return d, ext == "" && localOnly.MatchString(d)
}

// stripCountry removes the 86 country code that follows "+" or "00";
// a landline written "+86 851 ..." gets its trunk 0 back.
func stripCountry(d string) string {
	rest, ok := strings.CutPrefix(d, "+86")
	if !ok {
		rest, ok = strings.CutPrefix(d, "0086")
	}
	if !ok || mobile.MatchString(rest) || strings.HasPrefix(rest, "0") {
		return rest
	}
	return "0" + rest
}

// digits keeps the digits of s and a "+" before the first digit,
// dropping spaces, dashes and brackets.
func digits(s string) string {
	var b strings.Builder
	for _, c := range s {
		if c >= '0' && c <= '9' || c == '+' && b.Len() == 0 {
			b.WriteRune(c)
		}
	}
	return b.String()
}
