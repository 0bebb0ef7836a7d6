package valid

import (
	"regexp"
	"strings"
	"time"
)

// ID is a checked 18-digit resident identity number (GB 11643-1999) with
// the facts it encodes.
type ID struct {
	Number string    // 18 characters, the last a digit or upper-case X
	Birth  time.Time // UTC midnight
	Male   bool      // from the sequence code: odd is male
	Region string    // first 6 digits, the household-registration division
}

// idWeights and idCheck implement the ISO 7064 MOD 11-2 check digit.
var (
	idWeights = [17]int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}
	idCheck   = "10X98765432"
)

// provinces are the two-digit codes that open a valid ID number.
var provinces = map[string]bool{
	"11": true, "12": true, "13": true, "14": true, "15": true,
	"21": true, "22": true, "23": true,
	"31": true, "32": true, "33": true, "34": true, "35": true, "36": true, "37": true,
	"41": true, "42": true, "43": true, "44": true, "45": true, "46": true,
	"50": true, "51": true, "52": true, "53": true, "54": true,
	"61": true, "62": true, "63": true, "64": true, "65": true,
	"71": true, "81": true, "82": true,
}

// numericID matches an ID that Excel turned into a number: a decimal
// point or an exponent, e.g. "5.20102E+17" or "520102199001011000.0".
var numericID = regexp.MustCompile(`^[0-9]+(\.[0-9]*)?([eE][+-]?[0-9]+)?$`)

// earliestBirth is the lower bound for a birth date in an ID number.
var earliestBirth = time.Date(1900, 1, 1, 0, 0, 0, 0, time.UTC)

// ParseID checks a resident ID number and returns it normalised to 18
// characters: full-width digits and spaces are cleaned, x becomes X and a
// legacy 15-digit number is upgraded. today bounds the birth date. Errors
// are *Error with Field "id_number".
func ParseID(s string, today time.Time) (ID, error) {
	num, err := cleanID(s)
	if err != nil {
		return ID{}, err
	}
	typed := num
	if len(num) == 15 {
		num = upgradeID(num)
	}
	if !provinces[num[:2]] {
		return ID{}, fail(FieldID, CodeIDRegion, typed)
	}
	birth, ok := idBirth(num[6:14], today)
	if !ok {
		return ID{}, fail(FieldID, CodeIDBirth, typed)
	}
	if err := verifyCheck(num); err != nil {
		return ID{}, err
	}
	male := (num[16]-'0')%2 == 1
	return ID{Number: num, Birth: birth, Male: male, Region: num[:6]}, nil
}

// cleanID normalises s and checks its characters and length, returning
// 15 digits or 17 digits plus a digit or X.
func cleanID(s string) (string, error) {
	n := strings.ReplaceAll(Normalize(s), " ", "")
	n = strings.ToUpper(strings.TrimPrefix(n, "'"))
	switch {
	case n == "":
		return "", fail(FieldID, CodeRequired, "")
	case !idChars(n):
		// Only a number with other characters can be one Excel wrote in
		// scientific notation; the pattern is not tried on every number.
		if numericID.MatchString(n) && strings.ContainsAny(n, ".E") {
			return "", fail(FieldID, CodeIDScientific, n)
		}
		return "", fail(FieldID, CodeIDChars, n)
	case len(n) != 18 && len(n) != 15:
		return "", fail(FieldID, CodeIDLength, n)
	case len(n) == 15 && strings.HasSuffix(n, "X"):
		return "", fail(FieldID, CodeIDChars, n)
	}
	return n, nil
}

// idChars reports whether n is digits with at most a final X.
func idChars(n string) bool {
	for i := 0; i < len(n); i++ {
		c := n[i]
		if c >= '0' && c <= '9' || c == 'X' && i == len(n)-1 {
			continue
		}
		return false
	}
	return true
}

// upgradeID turns a legacy 15-digit number into 18 digits: the century
// "19" goes after the region and a check digit is appended.
func upgradeID(n15 string) string {
	body := n15[:6] + "19" + n15[6:]
	return body + string(CheckDigit(body))
}

// CheckDigit returns the GB 11643-1999 check character ('0'-'9' or 'X')
// for the first 17 digits of body. It is exported so that importers and
// tests can repair or build numbers; body must hold at least 17 digits.
func CheckDigit(body string) byte {
	sum := 0
	for i, w := range idWeights {
		sum += int(body[i]-'0') * w
	}
	return idCheck[sum%11]
}

// verifyCheck compares the 18th character with the computed one. A bad
// check digit after "000" is reported as an Excel number conversion,
// because Excel keeps only 15 significant digits and zeroes the rest.
func verifyCheck(num string) error {
	if num[17] == CheckDigit(num) {
		return nil
	}
	if strings.HasSuffix(num, "000") {
		return fail(FieldID, CodeIDScientific, num)
	}
	return fail(FieldID, CodeIDChecksum, num)
}

// idBirth parses YYYYMMDD and checks it lies between 1900-01-01 and the
// calendar date of today.
func idBirth(ymd string, today time.Time) (time.Time, bool) {
	t, err := time.Parse("20060102", ymd)
	if err != nil {
		return time.Time{}, false
	}
	y, m, d := today.Date()
	limit := time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	return t, !t.Before(earliestBirth) && !t.After(limit)
}

// MaskID hides the middle of an ID number for display, keeping the first
// 4 and last 4 characters ("5201**********1234"), as privacy law requires
// ID numbers to be shown masked by default. Inputs of 8 runes or fewer are
// masked entirely so nothing short leaks.
func MaskID(number string) string {
	r := []rune(number)
	if len(r) <= 8 {
		return strings.Repeat("*", len(r))
	}
	return string(r[:4]) + strings.Repeat("*", len(r)-8) + string(r[len(r)-4:])
}
