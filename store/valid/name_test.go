package valid_test

import (
	"strings"
	"testing"

	"rehabdesk/store/valid"
)

func TestParseNameValid(t *testing.T) {
	const dot = "阿依古丽·买买提"
	tests := []struct{ in, want string }{
		{"张三", "张三"},
		{" 张\u3000\u3000三 ", "张三"},
		{"王小明", "王小明"},
		{dot, dot},
		{"阿依古丽•买买提", dot},
		{"阿依古丽‧买买提", dot},
		{"阿依古丽・买买提", dot},
		{"阿依古丽･买买提", dot},
		{"阿依古丽．买买提", dot},
		{"阿依古丽.买买提", dot},
		{"阿依古丽 · 买买提", dot},
		{"𠀀", "𠀀"},
		{"王𠀀", "王𠀀"},
		{"𪚥𫝀", "𪚥𫝀"},
		{"李〇", "李〇"},
		{"Maria  Lopez", "Maria Lopez"},
		{"ＡＢＣ", "ABC"},
		{"Lü", "Lü"},
		{"A.B", "A·B"},
		{strings.Repeat("张", 30), strings.Repeat("张", 30)},
	}
	for _, tt := range tests {
		got, err := valid.ParseName(tt.in)
		if err != nil || got != tt.want {
			t.Errorf("ParseName(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
		}
	}
}

func TestParseNameInvalid(t *testing.T) {
	tests := []struct{ in, code string }{
		{"", valid.CodeRequired},
		{" \u3000 ", valid.CodeRequired},
		{"张三1", valid.CodeName},
		{"张三２", valid.CodeName},
		{"张三!", valid.CodeName},
		{"张三（曾用名）", valid.CodeName},
		{"张三、李四", valid.CodeName},
		{"·张三", valid.CodeName},
		{"张三·", valid.CodeName},
		{"阿依古丽··买买提", valid.CodeName},
		{"阿依古丽.·买买提", valid.CodeName},
		{"·", valid.CodeName},
		{"김철수", valid.CodeName},
		{"Иван", valid.CodeName},
		{"\ue000", valid.CodeName},
		{"张\x00三", valid.CodeName},
		{"张\xff三", valid.CodeName},
		{strings.Repeat("张", 31), valid.CodeTooLong},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			_, err := valid.ParseName(tt.in)
			wantCode(t, err, valid.FieldName, tt.code)
		})
	}
}
