package valid_test

import (
	"testing"

	"rehabdesk/store/valid"
)

func TestParsePhoneValid(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", ""},
		{" \u3000", ""},
		{"13812345678", "13812345678"},
		{"138 1234 5678", "13812345678"},
		{"138-1234-5678", "13812345678"},
		{"+86 138 1234 5678", "13812345678"},
		{"+8613812345678", "13812345678"},
		{"008613812345678", "13812345678"},
		{"(+86)13812345678", "13812345678"},
		{fullWidth("13812345678"), "13812345678"},
		{"19912345678", "19912345678"},
		{"0851-86661234", "0851-86661234"},
		{"085186661234", "0851-86661234"},
		{"(0851)8666-1234", "0851-86661234"},
		{"（0851）86661234", "0851-86661234"},
		{"0851 8666 1234", "0851-86661234"},
		{"0851-86661234-123", "0851-86661234-123"},
		{"0851-8666-1234-123", "0851-86661234-123"},
		{"0851-86661234转123", "0851-86661234-123"},
		{"0851-86661234 ext. 8", "0851-86661234-8"},
		{"0854-8123456", "0854-8123456"},
		{"010-62345678", "010-62345678"},
		{"01062345678", "010-62345678"},
		{"02362345678", "023-62345678"},
		{"+86 851 86661234", "0851-86661234"},
		{"+86 10 62345678", "010-62345678"},
		{"86661234", "86661234"},
		{"8666-1234", "86661234"},
		{"8661234", "8661234"},
	}
	for _, tt := range tests {
		got, err := valid.ParsePhone(tt.in)
		if err != nil || got != tt.want {
			t.Errorf("ParsePhone(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
		}
	}
}

func TestParsePhoneInvalid(t *testing.T) {
	for _, in := range []string{
		"1381234567",              // 10 digits
		"138123456789",            // 12 digits
		"12812345678",             // 12x is not a mobile prefix
		"23812345678",             // neither mobile nor landline
		"13812345678-12",          // mobiles have no extension
		"13812345678转12",          // nor written ones
		"0851-1666123",            // local numbers do not start with 1
		"010-12345678",            // nor in Beijing
		"0851-866612345",          // 9-digit local number
		"0851-86661234-1234567",   // extension too long
		"123456",                  // too short for a local number
		"06661234",                // local numbers do not start with 0
		"+1 415 555 0100",         // foreign
		"13812345678/13912345678", // two numbers in one cell
		"13812345678 13912345678", // two numbers in one cell
		"138a1234567",             // letter
		"138+12345678",            // plus in the middle
		"无",                       // "none"
		"0851-86661234转",          // empty extension
	} {
		t.Run(in, func(t *testing.T) {
			_, err := valid.ParsePhone(in)
			wantCode(t, err, valid.FieldPhone, valid.CodePhone)
		})
	}
}
